"""The public transparency page: published versions only, this village only, gone when the
plugin is off; drill-down, charts, revisions, filters and open data."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.transparency.models import BudgetLine

from .conftest import add_activity, add_line, make_page, make_version, switch

pytestmark = pytest.mark.django_db


def host(village):
    return village.site.hostname


def get(client, village, url):
    return client.get(url, HTTP_HOST=host(village))


def published_budget(village, year=2025, number=1, kind="murni", lines=1, **extra):
    version = make_version(
        village,
        year=year,
        number=number,
        kind=kind,
        status="published",
        legal_basis=f"Perdes No. {number} Tahun {year}",
        **extra,
    )
    add_line(version, "4.2.1.01", "800000000", description="Dana Desa", source="DDS")
    add_line(version, "4.2.3.01", "400000000", description="Alokasi Dana Desa", source="ADD")
    roads = add_activity(version, "2.3", "Rabat beton jalan Dukuh Krajan", location="RT 02")
    for i in range(lines):
        add_line(
            version,
            "5.3.5.03",
            "1000000",
            activity=roads,
            description=f"Semen tahap {i + 1}",
            source="DDS",
            volume=Decimal("10"),
            unit="sak",
            unit_price=Decimal("100000"),
        )
    add_line(version, "6.1.1.01", "5000000", description="SiLPA 2024", source="DDS")
    return version


def test_no_published_budget_yet(client, kreo):
    page = make_page(kreo)
    make_version(kreo)  # a draft: nothing to show
    html = get(client, kreo, page.url).content.decode()
    assert "Belum ada APBDes yang diterbitkan" in html


def test_page_shows_the_published_version(client, kreo):
    page = make_page(kreo)
    published_budget(kreo, lines=2)
    response = get(client, kreo, page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perdes No. 1 Tahun 2025" in html
    assert "Rp 1.200.000.000" in html  # income
    assert "Rp 2.000.000" in html  # spending
    assert "Rabat beton jalan Dukuh Krajan" in html and "Semen tahap 2" in html
    assert "2.3 Sub Bidang Pekerjaan Umum dan Penataan Ruang" in html
    assert html.count('role="img"') == 3 and "<desc" in html
    assert "Pendapatan menurut sumber" in html and "Dana Desa: Rp 800.000.000" in html
    assert "data/2025/1/csv/" in html and "data/2025/1/json/" in html


def test_drafts_are_never_public(client, kreo):
    page = make_page(kreo)
    published_budget(kreo)
    draft = make_version(kreo, number=2, kind="perubahan")
    add_line(draft, "4.2.1.01", "999999999", description="Angka draf rahasia")
    html = get(client, kreo, page.url).content.decode()
    assert "Angka draf rahasia" not in html and "999.999.999" not in html
    assert get(client, kreo, page.url + "?tahun=2025&versi=2").status_code == 404
    assert get(client, kreo, page.url + "data/2025/2/csv/").status_code == 404
    draft_year = make_version(kreo, year=2026)
    add_line(draft_year, "4.2.1.01", "1000", description="Draf 2026")
    assert get(client, kreo, page.url + "?tahun=2026").status_code == 404
    assert get(client, kreo, page.url + "?tahun=abc").status_code == 404


def test_other_villages_data_is_never_shown(client, kreo, kandang):
    page = make_page(kreo)
    published_budget(kreo)
    theirs = make_version(kandang, status="published")
    add_line(theirs, "4.2.1.01", "123456789", description="RAHASIA-KANDANG")
    make_version(kandang, year=2024, status="published")
    html = get(client, kreo, page.url).content.decode()
    assert "RAHASIA-KANDANG" not in html and "123.456.789" not in html
    assert ">2024<" not in html
    assert get(client, kreo, page.url + "?tahun=2024").status_code == 404
    assert get(client, kreo, page.url + "data/2024/1/json/").status_code == 404


def test_switched_off_the_page_and_its_data_are_gone_and_come_back(client, kreo, kandang):
    page = make_page(kreo)
    published_budget(kreo)
    switch(kreo, False)
    assert get(client, kreo, page.url).status_code == 404
    assert get(client, kreo, page.url + "data/2025/1/csv/").status_code == 404
    kandang_page = make_page(kandang)
    assert get(client, kandang, kandang_page.url).status_code == 200
    switch(kreo, True)
    assert "Rabat beton" in get(client, kreo, page.url).content.decode()
    assert BudgetLine.objects.filter(village=kreo).count() == 4


def test_a_revision_shows_the_differences_and_both_versions_stay_public(client, kreo):
    page = make_page(kreo)
    published_budget(kreo)
    revised = published_budget(kreo, number=2, kind="perubahan")
    BudgetLine.objects.filter(version=revised, description="Dana Desa").update(amount=850000000)
    html = get(client, kreo, page.url).content.decode()
    assert "Perubahan dibanding versi 1" in html
    assert "Rp 800.000.000" in html and "Rp 850.000.000" in html and "Rp 50.000.000" in html
    first = get(client, kreo, page.url + "?tahun=2025&versi=1").content.decode()
    assert "Perdes No. 1 Tahun 2025" in first and "Perubahan dibanding" not in first


def test_dana_desa_only_view(client, kreo):
    page = make_page(kreo)
    published_budget(kreo)
    html = get(client, kreo, page.url + "?sumber=DDS").content.decode()
    assert "Hanya baris dengan sumber dana DDS" in html
    assert "Alokasi Dana Desa" not in html.split("<h3>Pendapatan</h3>")[1].split("</table>")[0]
    assert get(client, kreo, page.url + "?sumber=XYZ").status_code == 200  # ignored, not an error


def test_open_data_csv_and_json(client, kreo):
    page = make_page(kreo)
    published_budget(kreo, lines=2)
    response = get(client, kreo, page.url + "data/2025/1/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().lstrip("\ufeff").splitlines()
    assert rows[0].startswith("tahun,versi,kode_rekening,nama_rekening,kode_bidang")
    assert len(rows) == 1 + 5
    assert any("Semen tahap 1" in r and ",2.3," in r and "1000000.00" in r for r in rows)
    data = json.loads(get(client, kreo, page.url + "data/2025/1/json/").content)
    assert data["jumlah"]["pendapatan"] == "1200000000.00"
    assert (
        data["jumlah"]["silpa"]
        == str(Decimal("1200000000") - Decimal("2000000") + Decimal("5000000")) + ".00"
    )
    assert data["dasar_hukum"] == "Perdes No. 1 Tahun 2025" and len(data["baris"]) == 5
    response = get(client, kreo, page.url + "data/2025/1/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("tahun", "versi", "kode_rekening") and len(rows) == 6
    dana_desa = next(r for r in rows if r[2] == "4.2.1.01")
    assert dana_desa[11] == 800000000 and dana_desa[4] in ("", None)
    semen = next(r for r in rows if r[7] == "Semen tahap 1")
    assert semen[4] == "2.3" and semen[8] == 10 and semen[10] == 100000


def test_queries_do_not_grow_with_the_number_of_lines(client, kreo):
    page = make_page(kreo)
    small = published_budget(kreo, lines=2)
    with CaptureQueriesContext(connection) as few:
        assert get(client, kreo, page.url).status_code == 200
    small.delete()
    published_budget(kreo, lines=60)
    with CaptureQueriesContext(connection) as many:
        assert "Semen tahap 60" in get(client, kreo, page.url).content.decode()

    def ours(context):
        return [q["sql"] for q in context.captured_queries if "transparency_" in q["sql"]]

    assert len(ours(many)) == len(ours(few)) <= 12
    assert len(many) <= len(few) + 5  # the rest is the site's (menus, caches), not per line


def test_changes_are_visible_at_once_despite_the_page_cache(client, kreo):
    page = make_page(kreo)
    version = published_budget(kreo)
    assert "Rp 800.000.000" in get(client, kreo, page.url).content.decode()
    line = BudgetLine.objects.get(version=version, description="Dana Desa")
    line.amount = Decimal("777000000")
    line.save()
    assert "Rp 777.000.000" in get(client, kreo, page.url).content.decode()


def test_the_whole_page_stays_within_twelve_queries(client, kreo):
    page = make_page(kreo)
    published_budget(kreo, lines=60)
    assert get(client, kreo, page.url).status_code == 200  # menus and fragments warm
    with CaptureQueriesContext(connection) as warm:
        assert get(client, kreo, page.url).status_code == 200
    assert len(warm) <= 12, "\n".join(q["sql"][:150] for q in warm.captured_queries)
