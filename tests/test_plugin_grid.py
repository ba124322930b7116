"""District administrators switch plugins per village in a grid, per kecamatan, with history."""

import pytest
from django.urls import reverse

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import is_enabled

pytestmark = pytest.mark.django_db
GRID = "/admin/sidekem/plugins/"


def test_grid_lists_villages_and_filters_by_kecamatan(client, district_admin, kreo, kandang):
    client.force_login(district_admin)
    html = client.get(GRID).content.decode()
    assert "Desa Kreo" in html and "Desa Kandang" in html
    html = client.get(GRID, {"kecamatan": "33.27.07"}).content.decode()
    assert "Desa Kreo" in html and "Desa Kandang" not in html


def test_saving_the_grid_switches_and_records_who(client, district_admin, kreo, kandang):
    client.force_login(district_admin)
    # Kreo unticked, Kandang ticked
    response = client.post(
        GRID,
        {"action": "grid", "village": [kreo.pk, kandang.pk], f"switch-{kandang.pk}-sample": "on"},
    )
    assert response.status_code == 302
    assert not is_enabled(kreo, "sample")
    assert is_enabled(kandang, "sample")
    change = PluginSwitchChange.objects.filter(village=kreo, plugin_key="sample").first()
    assert change.enabled is False and change.changed_by == district_admin
    assert change.source == PluginSwitchChange.Source.GRID
    assert not PluginSwitchChange.objects.filter(
        village=kandang, source=PluginSwitchChange.Source.GRID
    ).exists(), "no-op not logged"
    history = client.get(reverse("sidekem_plugin_history")).content.decode()
    assert "Desa Kreo" in history and "nonaktif" in history


def test_bulk_switch_for_a_kecamatan(client, district_admin, kreo, kandang):
    client.force_login(district_admin)
    client.post(
        GRID, {"action": "bulk", "plugin": "sample", "enabled": "0", "bulk_kecamatan": "33.27.12"}
    )
    assert not is_enabled(kandang, "sample")
    assert is_enabled(kreo, "sample")
    assert (
        PluginSwitchChange.objects.filter(
            village=kandang, source=PluginSwitchChange.Source.BULK
        ).count()
        == 1
    )


def test_editors_cannot_see_or_change_switches(client, kreo_editor, kreo):
    client.force_login(kreo_editor)
    assert client.get(GRID).status_code in (302, 403)
    response = client.post(
        GRID, {"action": "bulk", "plugin": "sample", "enabled": "0", "bulk_kecamatan": "33.27.07"}
    )
    assert response.status_code in (302, 403)
    assert is_enabled(kreo, "sample")
    assert client.get(reverse("sidekem_plugin_history")).status_code in (302, 403)


def test_grid_requires_csrf(district_admin, kreo):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(district_admin)
    response = csrf_client.post(GRID, {"action": "bulk", "plugin": "sample", "enabled": "0"})
    assert response.status_code == 403
    assert is_enabled(kreo, "sample")
