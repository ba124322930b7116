"""The open-data JSON endpoints (api.py): published versions of the host's village only, the
year's latest version unless asked, development activities with their reports and photos, any
origin allowed, gone when the plugin is off, queries flat in the number of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from plugins.transparency.models import DevelopmentActivity, ProgressUpdate

from .conftest import make_version, switch
from .test_public import get, published_budget

pytestmark = pytest.mark.django_db

INDEX = "/transparency/api/anggaran.json"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def development(version, name, photos=0):
    row = DevelopmentActivity.objects.create(
        village_id=version.village_id,
        budget=version.budget,
        name=name,
        location="Dukuh Krajan RT 02",
        volume="250 m",
        executor="TPK Desa",
    )
    row.activities.set(version.activities.all())
    for day in range(1, photos + 2):
        photo = None
        if day <= photos:
            photo = get_image_model().objects.create(
                title=f"{name} {day}", file=get_test_image_file()
            )
        ProgressUpdate.objects.create(
            village_id=version.village_id,
            development=row,
            date=datetime.date(2025, 6, day),
            percent=20 * day,
            photo=photo,
            photo_alt=f"Pengecoran hari {day}" if photo else "",
        )
    return row


def test_index_lists_published_versions_with_totals(client, kreo):
    published_budget(kreo, year=2025)
    published_budget(kreo, year=2025, number=2, kind="perubahan")
    make_version(kreo, year=2026)  # a draft: not open data
    response = get(client, kreo, INDEX)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["desa"] == {"kode": kreo.code, "nama": kreo.name}
    assert [year["tahun"] for year in data["anggaran"]] == [2025]
    versions = data["anggaran"][0]["versi"]
    assert [v["versi"] for v in versions] == [2, 1]
    assert versions[0]["jumlah"]["pendapatan"] == "1200000000.00"
    assert data["anggaran"][0]["url"] == "http://kreo.localhost/transparency/api/anggaran/2025.json"


def test_year_gives_the_latest_version_unless_asked(client, kreo):
    published_budget(kreo, year=2025, lines=2)
    published_budget(kreo, year=2025, number=2, kind="perubahan", lines=3)
    latest = get(client, kreo, "/transparency/api/anggaran/2025.json").json()
    assert latest["versi"] == 2 and latest["jenis"] == "perubahan"
    assert len([r for r in latest["baris"] if r["kode_rekening"] == "5.3.5.03"]) == 3
    assert latest["jumlah"]["belanja"] == "3000000.00"
    first = get(client, kreo, "/transparency/api/anggaran/2025.json?versi=1").json()
    assert first["versi"] == 1 and first["jumlah"]["belanja"] == "2000000.00"
    assert get(client, kreo, "/transparency/api/anggaran/2025.json?versi=7").status_code == 404
    assert get(client, kreo, "/transparency/api/anggaran/2024.json").status_code == 404


def test_developments_with_reports_and_photos(client, kreo):
    version = published_budget(kreo)
    development(version, "Rabat beton Dukuh Krajan", photos=1)
    data = get(client, kreo, "/transparency/api/pembangunan/2025.json").json()
    [row] = data["pembangunan"]
    assert row["nama"] == "Rabat beton Dukuh Krajan" and row["pelaksana"] == "TPK Desa"
    assert row["kemajuan_persen"] == 40  # the newest report
    assert [r["persen"] for r in row["laporan"]] == [40, 20]
    photo = row["laporan"][1]["foto"]
    assert photo["alt"] == "Pengecoran hari 1"
    assert photo["url"].startswith("http://kreo.localhost/") and photo["url"].endswith(".png")
    assert row["laporan"][0]["foto"] is None


def test_another_village_and_switched_off(client, kreo, kandang):
    published_budget(kreo)
    assert get(client, kandang, INDEX).json()["anggaran"] == []
    assert get(client, kandang, "/transparency/api/anggaran/2025.json").status_code == 404
    assert get(client, kandang, "/transparency/api/pembangunan/2025.json").status_code == 404
    switch(kreo, False)
    assert get(client, kreo, INDEX).status_code == 404
    assert client.get(INDEX, HTTP_HOST="localhost").status_code == 404  # not on the portal


def test_queries_flat_in_activities_and_photos(client, kreo):
    version = published_budget(kreo)
    development(version, "Satu", photos=1)
    url = "/transparency/api/pembangunan/2025.json"
    get(client, kreo, url)  # renditions made once
    with CaptureQueriesContext(connection) as few:
        get(client, kreo, url)
    for i in range(6):
        development(version, f"Lain {i}", photos=2)
    get(client, kreo, url)
    with CaptureQueriesContext(connection) as many:
        assert len(get(client, kreo, url).json()["pembangunan"]) == 7
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
