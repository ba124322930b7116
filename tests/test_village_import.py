"""Bulk village import in the Wagtail admin: upload → preview with row errors → confirm."""

import csv
import io
import re

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Collection, GroupPagePermission, Page, Site

from core.imports.models import ImportJob
from core.provisioning import resources
from core.provisioning.services import VillageSpec
from core.villages import wilayah
from core.villages.models import Kecamatan, Village

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


def counts():
    models = (Site, Page, Collection, GroupPagePermission, Village, Kecamatan)
    return [model.objects.count() for model in models]


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
    data = tablib.Dataset(*official_rows(2), headers=HEADER)
    upload = SimpleUploadedFile("desa.xlsx", data.export("xlsx"))
    assert "2 baru" in preview(admin_client, upload).content.decode()


def test_rejects_other_files_and_keeps_form(admin_client):
    upload = SimpleUploadedFile("desa.exe", b"MZ...")
    html = preview(admin_client, upload).content.decode()
    assert "Hanya berkas .csv atau .xlsx" in html


def test_missing_columns(admin_client):
    upload = SimpleUploadedFile("desa.csv", b"foo,bar\n1,2\n")
    assert "Kolom wajib tidak ada: kode" in preview(admin_client, upload).content.decode()
    upload = SimpleUploadedFile("desa.csv", b"kode,foo\n33.27.03.2004,2\n")
    html = preview(admin_client, upload).content.decode()
    assert "Kolom wajib tidak ada: nama" in html and 'name="token"' not in html
    assert "Baris 2" not in html, "one message for the file, not one per row"


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


def test_job_page_is_private_to_whoever_imported(admin_client, client, kreo_editor):
    response = preview(admin_client, csv_file(official_rows(1)))
    response = admin_client.post(URL, {"token": token_of(response)})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.totals["new"] == 1
    other = get_user_model().objects.create_superuser("admin2", password="x")
    client.force_login(other)
    assert client.get(f"{URL}?job={job.pk}").status_code == 404
    assert client.get(f"{URL}?job=not-a-uuid").status_code == 404


# Villages that share a name: Kuta (Belik and Bantarbolang), Sarwodadi (Bantarbolang and Comal).
NAME_PAIRS = [
    ["33.27.03.2004", "Kuta", "desa", "33.27.03", "Belik", ""],
    ["33.27.06.2014", "Kuta", "desa", "33.27.06", "Bantarbolang", ""],
    ["33.27.06.2010", "Sarwodadi", "desa", "33.27.06", "Bantarbolang", ""],
    ["33.27.12.2012", "Sarwodadi", "desa", "33.27.12", "Comal", ""],
]
PAIR_HOSTS = {
    "33.27.03.2004": "kuta-belik.localhost",
    "33.27.06.2014": "kuta-bantarbolang.localhost",
    "33.27.06.2010": "sarwodadi-bantarbolang.localhost",
    "33.27.12.2012": "sarwodadi-comal.localhost",
}


def confirm(client, response):
    token = token_of(response)
    assert token, "the preview can be confirmed"
    return client.post(URL, {"token": token}, follow=True).content.decode()


def test_same_named_villages_get_distinct_hostnames_shown_in_the_preview(admin_client):
    response = preview(admin_client, csv_file(NAME_PAIRS))
    html = response.content.decode()
    assert "Siap diimpor: 4 baru, 0 diperbarui" in html
    for hostname in PAIR_HOSTS.values():
        assert f"<td>{hostname}</td>" in html
    html = confirm(admin_client, response)
    assert "Impor selesai: 4 baru, 0 diperbarui" in html
    hosts = dict(Village.objects.filter(code__in=PAIR_HOSTS).values_list("code", "site__hostname"))
    assert hosts == PAIR_HOSTS


def test_kuta_imported_after_the_other_kuta_exists(admin_client):
    """The issue: the row previewed as "1 diperbarui" and nothing was saved."""
    call_command("village", "create", "--code", "33.27.06.2014", stdout=io.StringIO())
    response = preview(admin_client, csv_file(NAME_PAIRS[:1]))
    html = response.content.decode()
    assert "Siap diimpor: 1 baru, 0 diperbarui" in html
    assert "<td>kuta-belik.localhost</td>" in html
    assert "Impor selesai: 1 baru, 0 diperbarui" in confirm(admin_client, response)
    assert Village.objects.get(code="33.27.03.2004").site.hostname == "kuta-belik.localhost"


def test_explicit_hostname_taken_by_another_village(admin_client, kreo):
    rows = [[*NAME_PAIRS[0][:5], "kreo.localhost"]]
    html = preview(admin_client, csv_file(rows)).content.decode()
    assert "Baris 2" in html and "kreo.localhost" in html and "sudah dipakai" in html
    assert 'name="token"' not in html


def test_unknown_and_malformed_codes_are_told_apart(admin_client):
    rows = [
        ["33.27.99.9999", "Uji", "", "33.27.99", "Uji", ""],
        ["33.27.9.2001", "Uji", "", "33.27.09", "Uji", ""],
    ]
    html = preview(admin_client, csv_file(rows)).content.decode()
    assert re.search(r"Baris 2:[^<]*tidak ada di daftar resmi", html)
    assert re.search(r"Baris 3:[^<]*salah bentuk", html)


def test_a_row_that_was_not_saved_fails_the_import_and_is_named(admin_client, kreo, monkeypatch):
    """If provisioning returns without the row's village existing, the job fails loudly and
    rolls back instead of reporting a success."""
    rows = official_rows(2)
    response = preview(admin_client, csv_file(rows))
    real = resources.provision_village

    def lossy(spec, user=None):
        if spec.code == rows[1][0]:  # the second data row = line 3 of the file
            return real(VillageSpec(code=kreo.code, name=kreo.name, kecamatan_code="33.27.07"))
        return real(spec, user=user)

    monkeypatch.setattr(resources, "provision_village", lossy)
    before = Village.objects.count()
    html = confirm(admin_client, response)
    assert "Impor dibatalkan" in html and "Impor selesai" not in html
    assert "Baris 3" in html and rows[1][0] in html
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert Village.objects.count() == before


def test_the_official_list_imports_as_shipped_and_again_changes_nothing(admin_client):
    """core/villages/data/pemalang_wilayah.csv as it is: 14 kecamatan rows, 223 villages."""
    content = wilayah.DATA_FILE.read_bytes()
    upload = SimpleUploadedFile("pemalang_wilayah.csv", content, content_type="text/csv")
    before = Village.objects.count()
    assert before == 2  # Kreo and Kandang (tests/conftest.py)
    response = preview(admin_client, upload)
    html = response.content.decode()
    assert "Siap diimpor: 221 baru, 2 diperbarui, 14 dilewati" in html
    for hostname in PAIR_HOSTS.values():
        assert f"<td>{hostname}</td>" in html
    assert Village.objects.count() == before, "preview saves nothing"
    assert "Impor selesai: 221 baru, 2 diperbarui" in confirm(admin_client, response)
    assert Village.objects.count() == 223
    hosts = dict(Village.objects.values_list("code", "site__hostname"))
    assert len(set(hosts.values())) == 223
    assert {code: hosts[code] for code in PAIR_HOSTS} == PAIR_HOSTS
    assert hosts["33.27.07.2013"] == "kreo.localhost", "existing villages keep their hostname"
    kecamatan = dict(Kecamatan.objects.values_list("code", "name"))
    assert len(kecamatan) == 14 and kecamatan["33.27.03"] == "Belik"

    before = counts()
    upload = SimpleUploadedFile("pemalang_wilayah.csv", content, content_type="text/csv")
    response = preview(admin_client, upload)
    assert "Siap diimpor: 0 baru, 223 diperbarui, 14 dilewati" in response.content.decode()
    assert "Impor selesai: 0 baru, 223 diperbarui" in confirm(admin_client, response)
    assert counts() == before
