"""A village editor in the Wagtail admin: edits their own village's pages, never another's.

Nothing is saved: the tests only open editors, so the shared world stays as it was (with
PostgreSQL the live server's writes are committed, not rolled back with the test).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def log_in(page, world, village):
    page.goto(world.url(village.key, "/admin/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Nama pengguna").fill(village.editor)
    page.locator("input[name=password]").fill(world.password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(world.url(village.key, "/admin/"))
    expect(page.locator("html")).to_have_attribute("lang", "id")


def explorer_row(page, locale_name):
    """The explorer row of a page whose locale label is ``locale_name``."""
    return page.locator("tbody tr").filter(
        has=page.locator(".w-status--label", has_text=locale_name)
    )


def test_editor_edits_own_village_home_pages_in_both_languages(browser_world, page):
    world, kreo, kandang = browser_world, browser_world.kreo, browser_world.kandang
    log_in(page, world, kreo)

    page.goto(world.url("kreo", "/admin/pages/"))
    listing = page.locator("main table")
    expect(listing.get_by_role("link", name=kreo.name, exact=True)).to_have_count(2)
    expect(listing).not_to_contain_text(kandang.short_name)

    # Indonesian home page: Wagtail's page editor.
    explorer_row(page, "Bahasa Indonesia").get_by_role("link", name=kreo.name, exact=True).click()
    expect(page).to_have_url(world.url("kreo", f"/admin/pages/{kreo.home_id}/edit/"))
    form = page.locator("form#page-edit-form")
    title = form.locator("input[name=title]")
    expect(title).to_have_value(kreo.name)
    expect(title).to_be_editable()
    expect(form.get_by_role("button", name="Simpan konsep")).to_be_enabled()

    # English home page: wagtail-localize's translation editor (a React app).
    page.goto(world.url("kreo", "/admin/pages/"))
    explorer_row(page, "English").get_by_role("link", name=kreo.name, exact=True).click()
    expect(page).to_have_url(world.url("kreo", f"/admin/pages/{kreo.en_home_id}/edit/"))
    editor = page.locator(".js-translation-editor")
    title_segment = editor.locator("li").filter(has=page.get_by_role("heading", name="Judul")).first
    expect(title_segment).to_contain_text(kreo.name)
    title_segment.get_by_role("button", name=re.compile("Translate|Terjemahkan")).click()
    translation = title_segment.locator("textarea")
    expect(translation).to_be_editable()
    translation.fill(f"{kreo.short_name} Village")
    publish = page.get_by_role("button", name=re.compile("Publish in English|Publikasikan"))
    expect(publish).to_be_visible()


@pytest.mark.parametrize(
    "view, locale",
    [("edit", "id"), ("edit", "en"), ("explore", "id"), ("explore", "en")],
)
def test_editor_cannot_open_another_villages_pages(browser_world, page, view, locale):
    """AdminVillageScopeMiddleware (core/confinement) answers 404 for another village's pages.

    (Before it, Wagtail redirected the edit view to the dashboard with "Maaf, Anda tidak memiliki
    izin…", and the explorer showed "Exploring: Desa Kandang", because an editor's explorable
    root is the tree root, the common ancestor of the village's two locale trees.)
    """
    world, kreo, kandang = browser_world, browser_world.kreo, browser_world.kandang
    log_in(page, world, kreo)
    page_id = kandang.home_id if locale == "id" else kandang.en_home_id
    path = f"/admin/pages/{page_id}/edit/" if view == "edit" else f"/admin/pages/{page_id}/"

    response = page.goto(world.url("kreo", path))

    assert response.request.redirected_from is None, f"redirected to {response.url}"
    assert response.status == 404, f"{path} answered {response.status}"
    expect(page).to_have_url(world.url("kreo", path))
    expect(page.locator("form#page-edit-form")).to_have_count(0)
    expect(page.locator(".js-translation-editor")).to_have_count(0)
    expect(page.locator(f"input[value='{kandang.name}']")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(kandang.short_name)
