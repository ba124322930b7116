"""The district view: per kecamatan and village the latest published budget of a year, its
realisation % and Dana Desa share, the villages that have not published; on the portal (public,
portal only) and in the admin (district administrators only); queries flat in the number of
villages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site

from core.villages.models import Kecamatan, Village
from plugins.transparency.district import district_report
from plugins.transparency.models import Realisation

from .conftest import add_activity, add_line, make_version, switch

pytestmark = pytest.mark.django_db

PORTAL_URL = "/apbdes-kabupaten/"


def published_budget(village, *, year=2025, number=1, kind="murni", dd="600000000", spend=None):
    """A published version: Dana Desa + ADD income, one activity, realisation of half."""
    version = make_version(village, year=year, number=number, kind=kind, status="published")
    add_line(version, "4.2.1.01", dd, source="DDS")
    add_line(version, "4.2.3.01", "400000000", source="ADD")
    activity = add_activity(version, "2.3", "Jalan desa")
    line = add_line(
        version, "5.3.5.03", spend or "800000000", activity=activity, description="Bahan"
    )
    Realisation.objects.create(
        village=village,
        line=line,
        date=datetime.date(year, 6, 30),
        amount=Decimal(spend or "800000000") / 2,
    )
    return version


def test_portal_page_shows_each_village_and_who_has_not_published(client, kreo, kandang):
    published_budget(kreo)
    make_version(kandang, status="draft")  # a draft is not published
    response = client.get(PORTAL_URL, HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('data-village="33.27.07.2013"')[1].split("</tr>")[0]
    assert "Rp 1.000.000.000" in row  # income
    assert "Rp 800.000.000" in row  # spending
    assert "50,0%" in row  # realisation of spending
    assert "Rp 600.000.000" in row and "60,0%" in row  # Dana Desa and its share of income
    assert "Kecamatan Randudongkal" in html and "Kecamatan Comal" in html
    unpublished = html.split('class="tp-unpublished"')[1].split("</ul>")[0]
    assert "Kandang" in unpublished and "Kreo" not in unpublished
    assert "1 dari 2 desa telah menerbitkan APBDes 2025" in html


def test_latest_published_version_counts_and_years_are_separate(client, kreo, kandang):
    published_budget(kreo, dd="600000000")
    published_budget(kreo, number=2, kind="perubahan", dd="700000000")
    make_version(kreo, number=3, kind="perkades", status="draft")
    published_budget(kandang, year=2024, dd="500000000")
    report = district_report(2025)
    rows = {row.village.pk: row for row in report.villages}
    assert rows[kreo.pk].version.number == 2
    assert rows[kreo.pk].dana_desa == Decimal("700000000")
    assert rows[kreo.pk].income == Decimal("1100000000")
    assert not rows[kandang.pk].published
    assert report.years == [2025, 2024]
    html = client.get(PORTAL_URL + "?tahun=2024", HTTP_HOST="localhost").content.decode()
    row = html.split('data-village="33.27.12.2017"')[1].split("</tr>")[0]
    assert "Rp 500.000.000" in row
    assert client.get(PORTAL_URL + "?tahun=abc", HTTP_HOST="localhost").status_code == 404


def test_villages_with_the_plugin_off_are_left_out(client, kreo, kandang):
    published_budget(kandang)
    switch(kandang, False)
    html = client.get(PORTAL_URL, HTTP_HOST="localhost").content.decode()
    assert "Kandang" not in html and "Kreo" in html


def test_district_page_is_the_portals_only(client, kreo):
    assert client.get(PORTAL_URL, HTTP_HOST="kreo.localhost").status_code == 404


def test_admin_report_for_district_administrators_only(
    client, kreo, kandang, district_admin, kreo_editor
):
    published_budget(kreo)
    url = reverse("transparency_district")
    client.force_login(kreo_editor)
    refused = client.get(url)  # Wagtail turns PermissionDenied into a redirect home
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url not in menu
    client.force_login(district_admin)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-village="33.27.07.2013"' in html and "Rp 1.000.000.000" in html
    assert "Kandang" in html.split('class="tp-unpublished"')[1]
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()  # reports menu


def test_a_kelurahan_is_not_expected_to_publish(client, kreo):
    """A kelurahan has no APBDes: with the plugin on it is neither listed nor counted."""
    [kelurahan] = add_villages(1, start=40, kind=Village.Kind.KELURAHAN)
    published_budget(kreo)
    report = district_report(2025)
    listed = {row.village.pk for row in report.villages}
    assert kreo.pk in listed and kelurahan.pk not in listed
    html = client.get(PORTAL_URL, HTTP_HOST="localhost").content.decode()
    assert kelurahan.name not in html


def add_villages(count: int, start: int = 0, kind: str = Village.Kind.DESA) -> list[Village]:
    """Bare villages (a Site each, no pages) with the plugin on and a published budget."""
    root = Page.objects.get(depth=1)
    kecamatan, _created = Kecamatan.objects.get_or_create(code="33.27.99", defaults={"name": "Uji"})
    villages = []
    for i in range(start, start + count):
        site = Site.objects.create(hostname=f"uji{i}.localhost", port=80, root_page=root)
        village = Village.objects.create(
            site=site,
            code=f"33.27.99.{(2001 if kind == Village.Kind.DESA else 1001) + i}",
            kind=kind,
            name=f"Uji {i}",
            slug=f"uji-{i}",
            kecamatan=kecamatan,
        )
        switch(village, True)
        if kind == Village.Kind.DESA:
            published_budget(village)
        villages.append(village)
    return villages


def report_queries(client) -> int:
    cache.clear()  # the whole-page cache would answer without a query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PORTAL_URL, HTTP_HOST="localhost")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_district_page_queries_do_not_grow_with_the_villages(client, kreo, kandang):
    add_villages(3)
    report_queries(client)  # warm the per-process caches
    few = report_queries(client)
    add_villages(9, start=3)  # 3 → 12 villages with a published budget
    many = report_queries(client)
    assert many == few
    html = client.get(PORTAL_URL, HTTP_HOST="localhost").content.decode()
    assert html.count('class="tp-village"') == 14
