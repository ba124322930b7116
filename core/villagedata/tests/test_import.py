"""Village data import: preview, all-or-nothing, row errors by number, village injected."""

from __future__ import annotations

import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from core.imports.engine import load_dataset, run_import
from core.villagedata.models import PopulationFigure, PotentialFigure
from core.villagedata.resources import PopulationResource

URL = "/admin/population_figures/import/"
GOOD = (
    "tahun,kategori,uraian,jumlah,urutan\n"
    "2025,jenis_kelamin,Laki-laki,2150,1\n"
    "2025,Jenis kelamin,Perempuan,2.210,2\n"
    "2025,agama,Islam,4300,1\n"
)


def _upload(client, content: str | bytes, name="data.csv", url=URL):
    data = content.encode() if isinstance(content, str) else content
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_one_bad_row_saves_nothing_and_names_the_row(client, editor):
    client.force_login(editor)
    bad = GOOD + "2025,agama,Kristen,banyak,2\n"  # line 5 of the file
    response = _upload(client, bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Baris 5" in body and "banyak" in body
    assert 'name="token"' not in body  # nothing to confirm
    assert not PopulationFigure.objects.exists()


def test_unknown_category_and_duplicates_are_reported(client, editor):
    client.force_login(editor)
    bad = GOOD + "2025,hobi,Mancing,10,1\n2025,agama,Islam,1,1\n"
    body = _upload(client, bad).content.decode()
    assert "Baris 5" in body and "hobi" in body
    assert "Baris 6" in body and "baris 4" in body.lower()
    assert not PopulationFigure.objects.exists()


def test_preview_then_confirm_imports_into_the_editors_village(client, editor, villages):
    client.force_login(editor)
    body = _upload(client, GOOD).content.decode()
    assert not PopulationFigure.objects.exists()  # the preview is a dry run
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    response = client.post(URL, {"token": token}, follow=True)
    assert response.status_code == 200
    figures = PopulationFigure.objects.all()
    assert figures.count() == 3
    assert {f.village_id for f in figures} == {villages[0].pk}
    assert figures.get(label="Perempuan").value == 2210
    # Importing the same file again updates, it does not duplicate.
    body = _upload(client, GOOD.replace("2150", "2160")).content.decode()
    client.post(
        URL, {"token": re.search(r'name="token" value="([^"]+)"', body).group(1)}, follow=True
    )
    assert PopulationFigure.objects.count() == 3
    assert PopulationFigure.objects.get(label="Laki-laki").value == 2160


def test_confirm_is_all_or_nothing(villages):
    kreo = villages[0]
    dataset = load_dataset((GOOD + "2025,agama,Kristen,-4,2\n").encode(), "csv")
    result = run_import(PopulationResource(village=kreo), dataset, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not PopulationFigure.objects.exists()


def test_id_column_cannot_reach_another_village(client, editor, villages):
    kreo, kandang = villages
    theirs = PopulationFigure.objects.create(
        village=kandang, year=2025, category="agama", label="Islam", value=999
    )
    client.force_login(editor)
    content = f"id,tahun,kategori,uraian,jumlah\n{theirs.pk},2025,agama,Islam,1\n"
    body = _upload(client, content).content.decode()
    # The same rule as every village import (core/imports/resources.py): a row error.
    assert f"id {theirs.pk} bukan data desa ini" in body
    assert 'name="token"' not in body
    theirs.refresh_from_db()
    assert theirs.value == 999 and theirs.village == kandang
    assert not PopulationFigure.objects.filter(village=kreo).exists()


def test_xlsx_potential_import(client, editor, villages):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["tahun", "kategori", "uraian", "nilai", "satuan", "urutan"])
    sheet.append([2025, "penggunaan_lahan", "Sawah", 245.5, "ha", 1])
    sheet.append([2025, "Peternakan", "Kambing", 620, "ekor", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(editor)
    url = "/admin/potential_figures/import/"
    body = _upload(client, buffer.getvalue(), "data.xlsx", url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    client.post(url, {"token": token}, follow=True)
    assert PotentialFigure.objects.get(label="Sawah").value == 245.5
    assert PotentialFigure.objects.get(label="Kambing").category == "peternakan"


def test_editor_cannot_choose_another_village(client, editor, villages):
    client.force_login(editor)
    response = client.get(f"{URL}?desa={villages[1].pk}")
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect
    assert response.status_code == 403 or response["Location"] == "/admin/"


def test_import_needs_the_model_permission(client, villages, django_user_model):
    user = django_user_model.objects.create_user("officer", password="x")
    user.groups.add(villages[0].officers_group)  # no village data permissions
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)


def test_district_admin_chooses_the_village(client, villages, django_user_model):
    admin = django_user_model.objects.create_superuser("villagedata.admin", password="x")
    client.force_login(admin)
    choices = client.get(URL).content.decode()
    assert 'name="desa"' in choices and str(villages[1]) in choices
    url = f"{URL}?desa={villages[1].pk}"
    body = _upload(client, GOOD, url=url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    client.post(url, {"token": token}, follow=True)
    assert set(PopulationFigure.objects.values_list("village_id", flat=True)) == {villages[1].pk}


def test_admin_views_are_scoped(client, editor, villages):
    theirs = PopulationFigure.objects.create(
        village=villages[1], year=2025, category="agama", label="Islam", value=5
    )
    client.force_login(editor)
    assert client.get("/admin/population_figures/").status_code == 200
    assert client.get(f"/admin/population_figures/edit/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/population_figures/delete/{theirs.pk}/").status_code == 404
    template = client.get(URL + "?template=csv")
    assert template.status_code == 200 and b"tahun,kategori" in template.content


def test_odd_village_choice_is_no_choice(client, villages, django_user_model):
    admin = django_user_model.objects.create_superuser("villagedata.odd", password="x")
    client.force_login(admin)
    for odd in ("²", "①", "9" * 40, "1\x00"):
        assert client.get(URL, {"desa": odd}).status_code == 200, odd
