"""The admin home page in a browser (core/dashboard): a Kreo editor finds Kreo's own dashboard
and nothing of another village; the district administrator finds the district's figures.

Nothing is saved: the figures the pages must show are read from the database beside the live
server (tests/browser/conftest.py, ``allow_db_beside_playwright``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from core.dashboard.district import DistrictFigures
from core.dashboard.village import village_counts
from core.villages.lookup import pages_of_villages_q
from core.villages.models import Village
from tests.browser.conftest import allow_db_beside_playwright
from tests.browser.test_admin_editor import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DISTRICT_ADMIN = "admin"  # the superuser of the session world (tests/conftest.py)


def kreo_counts(code: str) -> dict[str, int]:
    with allow_db_beside_playwright():
        village = Village.objects.get(code=code)
        counts = village_counts(village)
        assert counts["pages"] == Page.objects.filter(pages_of_villages_q({village.pk})).count()
        return {**counts, "pk": village.pk}


def district_figures():
    with allow_db_beside_playwright():
        figures = DistrictFigures()
        return {
            "villages": [(row.village.code, row.village.kecamatan.name) for row in figures.rows],
            "stale": [row.village.code for row in figures.stale],
            "adoption": {p.key: (p.villages, p.total) for p in figures.plugin_adoption},
            "unsent": figures.unsent_total,
        }


def test_kreo_editor_finds_kreos_own_dashboard(browser_world, page, assert_accessible):
    world, kreo, kandang = browser_world, browser_world.kreo, browser_world.kandang
    counts = kreo_counts(kreo.code)
    log_in(page, world, kreo)

    overview = page.locator(f"#village-{counts['pk']}-section")
    expect(overview.get_by_role("heading", name=kreo.name)).to_be_visible()
    expect(overview).to_contain_text(kreo.kecamatan_name)
    sites = overview.locator(".sidekem-village-sites a")
    expect(sites).to_have_count(2)
    expect(sites.nth(0)).to_have_attribute("href", world.url("kreo", "/"))
    expect(sites.nth(1)).to_have_attribute("href", world.url("kreo", "/en/"))
    for key in ("pages", "drafts", "images", "documents"):
        expect(overview.locator(f'[data-count="{key}"]')).to_have_text(str(counts[key]))

    expect(page.locator("#village-contact-messages-section")).to_be_visible()
    expect(page.locator("#village-moderation-section")).to_be_visible()
    expect(page.locator("#village-recent-edits-section")).to_contain_text(kreo.name)
    expect(page.locator(".sample-dashboard-panel")).to_contain_text(kreo.short_name)
    # Only Kreo: no other village's name anywhere, and no panel of Wagtail's that looks beyond.
    expect(page.locator(".sidekem-village-overview")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text(kandang.short_name)
    expect(page.locator("#recent-edits-section")).to_have_count(0)
    assert_accessible(page)

    # A quick action leads where it says.
    overview.get_by_role("link", name="Unggah dokumen").click()
    expect(page).to_have_url(world.url("kreo", "/admin/documents/multiple/add/"))


def test_district_administrator_finds_the_district_figures(browser_world, page, assert_accessible):
    world = browser_world
    figures = district_figures()
    page.goto(world.url("localhost", "/admin/login/"))
    page.get_by_label("Nama pengguna").fill(DISTRICT_ADMIN)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(world.url("localhost", "/admin/"))

    villages = page.locator("#district-villages-section")
    expect(villages.locator("tr[data-village]")).to_have_count(len(figures["villages"]))
    for code, kecamatan in figures["villages"]:
        group = villages.locator("tbody").filter(has=page.locator(f'tr[data-village="{code}"]'))
        expect(group.locator("th")).to_contain_text(f"Kecamatan {kecamatan}")
    for info in world.villages.values():
        expect(villages).to_contain_text(info.name)

    stale = page.locator("#district-stale-villages-section")
    if figures["stale"]:
        expect(stale.locator('[data-count="stale-villages"]')).to_have_text(
            str(len(figures["stale"]))
        )
    else:
        expect(stale).to_contain_text("Semua desa/kelurahan menerbitkan sesuatu")

    adoption = page.locator("#district-plugin-adoption-section")
    for key, (count, total) in figures["adoption"].items():
        row = adoption.locator(f'tr[data-plugin="{key}"]')
        expect(row.locator('[data-count="plugin-villages"]')).to_have_text(str(count))
        expect(row).to_contain_text(re.compile(rf"dari\s+{total}"))

    unsent = page.locator("#district-unsent-messages-section")
    if figures["unsent"]:
        expect(unsent.locator('[data-count="unsent-messages"]')).to_have_text(
            str(figures["unsent"])
        )
    else:
        expect(unsent).to_contain_text("Semua pesan warga sudah diteruskan lewat surel.")
    expect(page.locator(".sidekem-village-overview")).to_have_count(0)
    assert_accessible(page)
