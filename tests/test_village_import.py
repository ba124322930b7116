"""Bulk village import in the Wagtail admin: upload → preview with row errors → confirm."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Site

from core.villages import wilayah
from core.villages.models import Village

pytestmark = pytest.mark.django_db
URL = "/admin/sidekem/villages/import/"
HEADER = ["kode", "nama", "jenis", "kecamatan_kode", "kecamatan", "hostname"]


def csv_file(rows, name="desa.csv"):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buf.getvalue().encode("utf-8"), content_type="text/csv")


def official_rows(limit=None, skip=("33.27.07.2013", "33.27.12.2017")):
    rows = []
    for area in wilayah.villages():
        if area.code in skip:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", area.name.lower()).strip("-")
        rows.append(
            [
                area.code,
                area.name,
                area.kind,
                area.kecamatan_code,
                area.kecamatan_name,
                f"{slug}-{area.code[-4:]}.localhost",
            ]
        )
    return rows[:limit] if limit else rows


@pytest.fixture
def admin_client(client, district_admin):
    client.force_login(district_admin)
    return client


def preview(client, upload):
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    return response


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


def test_one_bad_row_saves_nothing_and_names_the_row(admin_client):
    before = Village.objects.count()
    rows = official_rows(3)
    rows[2][0] = "33.27.06.99"  # malformed code in the third data row = line 4 of the file
    html = preview(admin_client, csv_file(rows)).content.decode()
    assert "Baris 4" in html and "33.27.06.99" in html
    assert 'name="token"' not in html, "a file with errors cannot be confirmed"
    assert "Tidak ada yang disimpan" in html
    assert Village.objects.count() == before


def test_valid_file_previews_then_imports(admin_client):
    rows = official_rows(3)
    response = preview(admin_client, csv_file(rows))
    html = response.content.decode()
    assert "3 baru" in html
    assert Village.objects.filter(code=rows[0][0]).count() == 0, "preview saves nothing"
    response = admin_client.post(URL, {"token": token_of(response)})
    assert response.status_code == 302 and "?job=" in response["Location"]
    assert "Impor selesai" in admin_client.get(response["Location"]).content.decode()
    for row in rows:
        village = Village.objects.get(code=row[0])
        assert village.site.hostname == row[5]
        assert village.home_pages.count() == 2


def test_failure_at_confirm_rolls_back_every_row(admin_client, kreo):
    rows = official_rows(3)
    response = preview(admin_client, csv_file(rows))
    token = token_of(response)
    # between preview and confirm, another site takes the third row's hostname
    Site.objects.create(hostname=rows[2][5], port=80, root_page=kreo.site.root_page)
    before = Village.objects.count()
    html = admin_client.post(URL, {"token": token}, follow=True).content.decode()
    assert "Impor dibatalkan" in html and "Baris 4" in html
    assert Village.objects.count() == before


def test_duplicates_within_the_file(admin_client):
    rows = official_rows(2)
    rows.append(list(rows[0]))
    html = preview(admin_client, csv_file(rows)).content.decode()
    assert "sudah muncul di baris 2" in html


def test_xlsx_upload(admin_client):
    import tablib

    data = tablib.Dataset(*official_rows(2), headers=HEADER)
    upload = SimpleUploadedFile("desa.xlsx", data.export("xlsx"))
    assert "2 baru" in preview(admin_client, upload).content.decode()


def test_rejects_other_files_and_keeps_form(admin_client):
    upload = SimpleUploadedFile("desa.exe", b"MZ...")
    html = preview(admin_client, upload).content.decode()
    assert "Hanya berkas .csv atau .xlsx" in html


def test_missing_columns(admin_client):
    upload = SimpleUploadedFile("desa.csv", b"foo,bar\n1,2\n")
    assert "Kolom wajib tidak ada: kode, nama" in preview(admin_client, upload).content.decode()


def test_token_cannot_escape_the_upload_folder(admin_client):
    response = admin_client.post(URL, {"token": "../../etc/passwd.csv"})
    assert response.status_code in (302, 403)


def test_editors_cannot_import(client, kreo_editor):
    client.force_login(kreo_editor)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert client.post(URL, {"file": csv_file(official_rows(1))}).status_code in (302, 403)
    assert not Village.objects.filter(code=official_rows(1)[0][0]).exists()


def test_district_menu_items_hidden_from_editors(client, kreo_editor, district_admin):
    client.force_login(kreo_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert URL not in html and "/admin/sidekem/plugins/" not in html
    client.force_login(district_admin)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert URL in html and "/admin/sidekem/plugins/" in html


def test_two_hundred_villages_from_one_csv(admin_client):
    rows = official_rows(200)
    assert len(rows) == 200
    before = Village.objects.count()
    response = preview(admin_client, csv_file(rows))
    assert "200 baru" in response.content.decode()
    assert Village.objects.count() == before
    html = admin_client.post(URL, {"token": token_of(response)}, follow=True).content.decode()
    assert "Impor selesai: 200 baru" in html
    assert Village.objects.count() == before + 200


def test_job_page_is_private_to_whoever_imported(admin_client, client, kreo_editor):
    from core.imports.models import ImportJob

    response = preview(admin_client, csv_file(official_rows(1)))
    response = admin_client.post(URL, {"token": token_of(response)})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.totals["new"] == 1
    other = get_user_model().objects.create_superuser("admin2", password="x")
    client.force_login(other)
    assert client.get(f"{URL}?job={job.pk}").status_code == 404
    assert client.get(f"{URL}?job=not-a-uuid").status_code == 404
