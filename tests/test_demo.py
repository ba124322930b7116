"""The demo command with every installed plugin's demo data (``PluginConfig.demo``).

``seed_demo`` switches every plugin on in each demo village and calls the plugin's
``seed_demo(village)``; a second run adds nothing. Plakaran, a village the test world does not
have, then shows each plugin's public page with its demo content.

To keep the test short the command runs for two of its villages (Plakaran, new, and Kreo, which
the test world has) and without core's page content (core/demo/content.py, which core's own
tests cover): the plugins' demo data needs only the provisioned village and its home page.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from core.demo.management.commands import seed_demo as command
from core.pluginhost.registry import installed_plugins
from core.pluginhost.switches import is_enabled
from core.villages.models import Village
from plugins.admin_services.models import Service, ServiceRequest, ServiceTemplate
from plugins.transparency.amounts import format_rupiah
from plugins.transparency.models import BudgetVersion, DevelopmentActivity
from plugins.transparency.reports import realised_totals, version_totals
from plugins.umkm.models import Business, Product

pytestmark = pytest.mark.django_db

HOST = "plakaran.localhost"
PLUGIN_LINE = re.compile(r"^\s+(?P<village>.+): (?P<key>\w+) (?P<made>\d+) baru / new$")


@pytest.fixture(autouse=True)
def _two_villages_without_core_content(monkeypatch):
    monkeypatch.setattr(
        command,
        "DEMO_VILLAGES",
        [row for row in command.DEMO_VILLAGES if row[2] in ("plakaran", "kreo")],
    )
    monkeypatch.setattr(command, "seed_village_content", lambda village: 0)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--port", "80", stdout=out)
    return out.getvalue()


def plugin_lines(output: str) -> dict[tuple[str, str], int]:
    found = {}
    for line in output.splitlines():
        match = PLUGIN_LINE.match(line)
        if match:
            found[(match["village"], match["key"])] = int(match["made"])
    return found


def plugin_rows() -> dict[str, int]:
    """The number of rows of every plugin model: what a second run must leave alone."""
    counts = {}
    for cfg in installed_plugins():
        for model in cfg.get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


def get(client: Client, path: str) -> str:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_seed_demo_fills_every_plugin_once_and_shows_it(client):
    output = seed()
    assert "Data demo siap / demo data ready." in output
    made = plugin_lines(output)
    demo_keys = {cfg.get_key() for cfg in installed_plugins() if cfg.demo}
    assert {"transparency", "umkm", "admin_services"} <= demo_keys
    assert "social" not in demo_keys  # the demo never creates accounts that would post
    plakaran = Village.objects.get(site__hostname=HOST)
    for key in demo_keys:
        assert made[(str(plakaran), key)] > 0, (key, output)
    for cfg in installed_plugins():
        assert is_enabled(plakaran, cfg.get_key())

    rows = plugin_rows()
    again = seed()
    assert set(plugin_lines(again).values()) == {0}, again
    assert plugin_rows() == rows

    # Transparency: last year's published APBDes, about Rp 1,5–2,5 billion, balanced.
    version = BudgetVersion.objects.get(village=plakaran)
    assert version.is_published and version.lines.exists()
    totals, realised = version_totals(version), realised_totals(version)
    assert 1_500_000_000 < totals.income < 2_500_000_000
    assert totals.silpa == 0
    assert 0 < realised.spending < totals.spending  # the first semester only
    assert version.activities.values("sector__parent__code").distinct().count() == 5
    assert DevelopmentActivity.objects.filter(village=plakaran, updates__isnull=False).exists()
    page = get(client, "/apbdes/")
    assert format_rupiah(totals.income) in page
    assert f"APBDes {version.budget.year}" in page
    assert "Pembangunan Jalan Rabat Beton" in page

    # UMKM: published businesses with products, valid demo QRIS codes.
    businesses = Business.objects.filter(village=plakaran)
    assert businesses.count() >= 3 and all(b.is_published for b in businesses)
    assert all(b.qris_nmid.startswith("ID00") and b.qris_warnings() == [] for b in businesses)
    assert businesses.filter(category="makanan").exclude(halal_certificate="").exists()
    catalogue = get(client, "/umkm/")
    product = Product.objects.filter(village=plakaran, featured=True).first()
    assert product is not None and product.name in catalogue
    profile = get(client, f"/umkm/usaha/{product.business_id}/")
    assert product.business.name in profile and product.business.qris_nmid in profile

    # Administrative services: the catalogue adopted, requests in different states.
    assert Service.objects.filter(village=plakaran).count() == ServiceTemplate.objects.count()
    states = set(ServiceRequest.objects.filter(village=plakaran).values_list("state", flat=True))
    assert len(states) >= 3
    services = get(client, "/layanan/")
    assert "Surat Keterangan Domisili" in services
