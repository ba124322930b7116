"""Imports into village-data viewsets: the village comes from the user; ids stay in it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.sample_plugin.models import SampleNote

pytestmark = pytest.mark.django_db


def upload(text):
    return SimpleUploadedFile("catatan.csv", text.encode(), content_type="text/csv")


def confirm(client, url, response, **extra):
    import re

    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(url, {"token": token, **extra}, follow=True)


def test_import_creates_rows_in_the_editors_village(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    url = reverse("sample_notes:import")
    response = client.post(url, {"file": upload("id,title\n,Catatan satu\n,Catatan dua\n")})
    assert "2 baru" in response.content.decode()
    confirm(client, url, response)
    assert set(SampleNote.objects.filter(village=kreo).values_list("title", flat=True)) == {
        "Catatan satu",
        "Catatan dua",
    }


def test_id_of_another_village_is_a_row_error_and_nothing_changes(
    client, kreo, kandang, kreo_editor
):
    theirs = SampleNote.objects.create(village=kandang, title="Milik Kandang")
    client.force_login(kreo_editor)
    url = reverse("sample_notes:import")
    html = client.post(
        url, {"file": upload(f"id,title\n,Baru\n{theirs.pk},Dibajak\n")}
    ).content.decode()
    assert "Baris 3" in html and f"id {theirs.pk} bukan data desa ini" in html
    assert 'name="token"' not in html
    theirs.refresh_from_db()
    assert theirs.title == "Milik Kandang" and theirs.village == kandang
    assert not SampleNote.objects.filter(title="Baru").exists()


def test_village_column_in_the_file_is_ignored(client, kreo, kandang, kreo_editor):
    client.force_login(kreo_editor)
    url = reverse("sample_notes:import")
    response = client.post(url, {"file": upload(f"title,village\nSelundupan,{kandang.pk}\n")})
    confirm(client, url, response)
    assert SampleNote.objects.get(title="Selundupan").village == kreo


def test_district_admin_chooses_the_village(client, district_admin, kandang):
    client.force_login(district_admin)
    url = reverse("sample_notes:import")
    assert 'name="desa"' in client.get(url).content.decode()
    response = client.post(url, {"file": upload("title\nUntuk Kandang\n"), "desa": kandang.pk})
    confirm(client, url, response, desa=kandang.pk)
    assert SampleNote.objects.get(title="Untuk Kandang").village == kandang


def test_import_refused_when_plugin_off(client, kreo, kreo_editor):
    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled

    set_plugin_enabled([kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    client.force_login(kreo_editor)
    url = reverse("sample_notes:import")
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": upload("title\nX\n")}).status_code == 403
    assert not SampleNote.objects.filter(title="X").exists()


def test_index_offers_the_import(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    html = client.get(reverse("sample_notes:index")).content.decode()
    assert reverse("sample_notes:import") in html


def test_editor_cannot_choose_another_village(client, kreo, kandang, kreo_editor):
    client.force_login(kreo_editor)
    url = reverse("sample_notes:import")
    response = client.post(url, {"file": upload("title\nNyasar\n"), "desa": kandang.pk})
    assert response.status_code in (302, 403)
    assert not SampleNote.objects.filter(title="Nyasar").exists()
