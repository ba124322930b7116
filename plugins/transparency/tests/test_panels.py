"""The home-page panel and the village-dashboard panel, on and off."""

import datetime

import pytest
from django.utils import timezone

from plugins.transparency.models import BudgetLine, Realisation
from plugins.transparency.panels import semester_start

from .conftest import add_line, home_of, make_page, make_version, switch

pytestmark = pytest.mark.django_db


def test_home_panel_shows_the_latest_published_budget(client, kreo):
    make_page(kreo)
    version = make_version(kreo, year=2025, status="published")
    line = add_line(version, "4.2.1.01", "800000000", description="Dana Desa")
    Realisation.objects.create(
        village=kreo, line=line, date=datetime.date(2025, 6, 30), amount=400000000
    )
    draft = make_version(kreo, year=2026)
    add_line(draft, "4.2.1.01", "999000000")
    url = home_of(kreo).url
    html = client.get(url, HTTP_HOST=kreo.site.hostname).content.decode()
    assert "panel-transparency" in html
    assert "Rp 800.000.000" in html and "50,0%" in html and "999.000.000" not in html
    assert "/apbdes/" in html
    switch(kreo, False)
    html = client.get(url, HTTP_HOST=kreo.site.hostname).content.decode()
    assert "Rp 800.000.000" not in html
    assert BudgetLine.objects.filter(village=kreo).count() == 2  # switching off deletes nothing


def test_no_home_panel_without_a_published_budget(client, kreo):
    make_version(kreo)
    html = client.get(home_of(kreo).url, HTTP_HOST=kreo.site.hostname).content.decode()
    assert "panel-transparency" not in html


def test_dashboard_panel(client, kreo, kandang, kreo_editor):
    today = timezone.localdate()
    client.force_login(kreo_editor)
    html = client.get("/admin/").content.decode()
    assert f"APBDes {today.year} belum diterbitkan:" in html and "Kreo" in html
    assert "Kandang" not in html.split("transparency-dashboard-panel")[1].split("</section>")[0]
    version = make_version(kreo, year=today.year, status="published")
    line = add_line(version, "4.2.1.01", "1000")
    html = client.get("/admin/").content.decode()
    assert "Realisasi belum diperbarui semester ini" in html
    Realisation.objects.create(village=kreo, line=line, date=semester_start(today), amount=500)
    html = client.get("/admin/").content.decode()
    assert "sudah diterbitkan dan realisasinya diperbarui" in html
    switch(kreo, False)
    assert "transparency-dashboard-panel" not in client.get("/admin/").content.decode()


def test_semester_start():
    assert semester_start(datetime.date(2025, 6, 30)) == datetime.date(2025, 1, 1)
    assert semester_start(datetime.date(2025, 7, 1)) == datetime.date(2025, 7, 1)
