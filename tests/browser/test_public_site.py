"""Residents on the public sites: a village's home page in both languages, the district portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_resident_on_a_phone_reads_kreo_in_indonesian_and_english(
    browser_world, new_page, assert_accessible
):
    kreo = browser_world.kreo
    page = new_page(mobile=True)

    response = page.goto(browser_world.url("kreo"))
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text(kreo.short_name)
    assert html_lang(page) == "id"
    assert_accessible(page)

    switcher = page.get_by_role("navigation", name="Pilih bahasa")
    english = switcher.get_by_role("link", name="English", exact=True)
    expect(english).to_have_attribute("hreflang", "en")
    english.click()

    expect(page).to_have_url(browser_world.url("kreo", "/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text(kreo.short_name)
    # The switcher now marks English as current and links back to the Indonesian page.
    expect(page.get_by_role("link", name="Bahasa Indonesia", exact=True)).to_have_attribute(
        "href", re.compile(r"^(http://kreo\.localhost:\d+)?/$")
    )
    assert_accessible(page)


def test_unknown_hostname_shows_the_district_portal_listing_villages_by_kecamatan(
    browser_world, page, assert_accessible
):
    response = page.goto(browser_world.url("nosuch.localhost"))
    assert response.status == 200
    heading = page.locator("h1")
    expect(heading).to_have_text(browser_world.district_name)
    for village in browser_world.villages.values():
        expect(heading).not_to_contain_text(village.short_name)
        section = page.locator("section").filter(
            has=page.get_by_role("heading", name=f"Kecamatan {village.kecamatan_name}")
        )
        expect(section.get_by_role("link", name=village.name, exact=True)).to_have_attribute(
            "href", browser_world.url(village.key)
        )
    assert_accessible(page)

    kecamatan = page.locator("section").filter(
        has=page.get_by_role("heading", name=f"Kecamatan {browser_world.kreo.kecamatan_name}")
    )
    kecamatan.get_by_role("link", name=browser_world.kreo.name, exact=True).click()
    expect(page).to_have_url(browser_world.url("kreo"))
    expect(page.locator("h1")).to_contain_text(browser_world.kreo.short_name)


def test_village_page_stylesheet_is_served(browser_world, page):
    with page.expect_response(re.compile(r"/static/.+\.css$")) as css:
        page.goto(browser_world.url("kreo"))
    assert css.value.status == 200, f"{css.value.url} → {css.value.status}"
    # The header's brand colour comes from sidekem.css.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(11, 110, 79)")
