"""Village websites as residents and editors use them (issue "Village websites").

Content: the session world has Kreo and Kandang provisioned but empty, so ``village_content``
seeds both with the demo content (``core.demo.content.seed_village_content``: news index,
articles, some in English) plus one Kandang-only article, for this module only. It runs after
``browser_world`` (so the villages and their English home pages are committed: wagtail-localize
publishes those on commit, see core/website/tests/conftest.py) and in autocommit, so the live
server sees the content with PostgreSQL too. Everything it adds (and whatever the live server
committed meanwhile, e.g. the article the editor publishes with PostgreSQL) is removed at the
end of the module, and the villages and home pages get their old values back: later tests see
the world as it was. Media files go to a temporary MEDIA_ROOT, removed with them.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, allow_db_beside_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: Kreo's article a resident reads, and the English word searched for (in its title).
ARTICLE_SLUG = "musyawarah-desa-rkpdes"
SEARCH_WORD = "Deliberation"
#: Only Kandang has this article (both languages); its English title has SEARCH_WORD too.
KANDANG_ONLY_ID = "Pameran Konveksi Warga Kandang Ditutup dengan Musyawarah"
KANDANG_ONLY_EN = "Kandang Garment Fair Closes With a Village Deliberation"


@dataclass(frozen=True)
class Article:
    title: str
    en_title: str
    path: str  # on the village's site, e.g. /berita/musyawarah-desa-rkpdes/
    en_path: str


@dataclass(frozen=True)
class VillageContent:
    kreo_article: Article
    kreo_news_index_id: int
    news_index_title: str  # "Berita"
    en_news_index_title: str  # "News"
    kandang_only: Article


# -- content ---------------------------------------------------------------------------------


class _Snapshot:
    """What seeding changes, to be put back: new rows go, changed rows get their old values."""

    def __init__(self) -> None:
        from taggit.models import Tag
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

        from core.villagedata.models import PopulationFigure, PotentialFigure
        from core.villages.models import Village
        from core.website.models import VillageHomePage

        self.page_model = Page
        self.image_model = get_image_model()
        self.document_model = get_document_model()
        # Rows without a tree or files: anything newer than now is deleted at the end.
        self.plain = [
            Redirect,
            Revision,
            PageLogEntry,
            ReferenceIndex,
            PopulationFigure,
            PotentialFigure,
            Tag,
        ]
        tracked = [Page, self.image_model, self.document_model, *self.plain]
        self.max_pk = {model: self._max_pk(model) for model in tracked}
        self.rows = [
            self._row(Village, pk) for pk in Village.objects.values_list("pk", flat=True)
        ] + [
            self._row(VillageHomePage, pk)
            for pk in VillageHomePage.objects.values_list("pk", flat=True)
        ]

    @staticmethod
    def _max_pk(model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return last or 0

    @staticmethod
    def _row(model, pk):
        """``(model, pk, {concrete model: {attname: value}})`` without tree fields."""
        skip = {"path", "depth", "numchild"}
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip
        ]
        values = model.objects.filter(pk=pk).values(*(f.attname for f in fields)).get()
        by_model: dict = {}
        for f in fields:
            by_model.setdefault(f.model._meta.concrete_model, {})[f.attname] = values[f.attname]
        return model, pk, by_model

    def restore(self) -> None:
        from django.core.cache import cache
        from wagtail.models import ReferenceIndex
        from wagtail.search import index

        Page = self.page_model
        for model, pk, by_model in self.rows:
            for concrete, values in by_model.items():
                concrete.objects.filter(pk=pk).update(**values)
            if issubclass(model, Page):
                page = model.objects.get(pk=pk)
                index.insert_or_update_object(page)
                ReferenceIndex.create_or_update_for_object(page)
        for page in Page.objects.filter(pk__gt=self.max_pk[Page]).order_by("depth", "path"):
            with contextlib.suppress(Page.DoesNotExist):
                Page.objects.get(pk=page.pk).delete()  # with its descendants
        for model in (self.image_model, self.document_model, *self.plain):
            model.objects.filter(pk__gt=self.max_pk[model]).delete()
        cache.clear()


def _add_kandang_only_article(kandang) -> None:
    """A Kandang article (and its English translation) found by SEARCH_WORD on Kandang only."""
    from wagtail.models import Locale

    from core.website.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.child_of(kandang.home_pages.get(locale__language_code="id")).get()
    if NewsPage.objects.child_of(index).filter(title=KANDANG_ONLY_ID).exists():
        return
    summary = "Pameran konveksi warga Kandang ditutup dengan musyawarah para perajin."
    page = NewsPage(
        title=KANDANG_ONLY_ID,
        slug="pameran-konveksi-kandang",
        locale=index.locale,
        category="ekonomi",
        summary=summary,
        search_description=summary,
        body=json.dumps([{"type": "paragraph", "value": f"<p>{summary}</p>"}]),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    en_summary = "The garment fair of Kandang closed with a village deliberation of its makers."
    copy = page.copy_for_translation(Locale.objects.get(language_code="en"))
    copy.title = KANDANG_ONLY_EN
    copy.slug = "kandang-garment-fair"
    copy.summary = copy.search_description = en_summary
    copy.body = json.dumps([{"type": "paragraph", "value": f"<p>{en_summary}</p>"}])
    copy.save()
    copy.save_revision().publish()


def _article(page) -> Article:
    from core.website.models import NewsPage

    english = NewsPage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    return Article(
        title=page.title,
        en_title=english.title,
        path=page.get_url_parts()[2],
        en_path=english.get_url_parts()[2],
    )


def _seed() -> VillageContent:
    from core.demo.content import seed_village_content
    from core.villages.models import Village
    from core.website.models import NewsIndexPage, NewsPage

    kreo = Village.objects.get(code="33.27.07.2013")
    kandang = Village.objects.get(code="33.27.12.2017")
    seed_village_content(kreo)
    seed_village_content(kandang)
    _add_kandang_only_article(kandang)

    def news_index(village, language):
        home = village.home_pages.get(locale__language_code=language)
        return NewsIndexPage.objects.child_of(home).get()

    kreo_index = news_index(kreo, "id")
    return VillageContent(
        kreo_article=_article(NewsPage.objects.child_of(kreo_index).get(slug=ARTICLE_SLUG)),
        kreo_news_index_id=kreo_index.pk,
        news_index_title=kreo_index.title,
        en_news_index_title=news_index(kreo, "en").title,
        kandang_only=_article(
            NewsPage.objects.child_of(news_index(kandang, "id")).get(title=KANDANG_ONLY_ID)
        ),
    )


@pytest.fixture(scope="module")
def village_content(browser_world, django_db_blocker) -> VillageContent:
    """Demo content for Kreo and Kandang, committed, for this module (see the docstring)."""
    from django.core.cache import cache
    from django.test import override_settings

    media = tempfile.mkdtemp(prefix="sidekem-browser-media-")
    snapshot = None
    with override_settings(MEDIA_ROOT=media):
        try:
            with django_db_blocker.unblock(), allow_db_beside_playwright():
                snapshot = _Snapshot()
                try:
                    content = _seed()
                finally:
                    cache.clear()
            yield content
        finally:
            if snapshot is not None:
                with django_db_blocker.unblock(), allow_db_beside_playwright():
                    snapshot.restore()
            shutil.rmtree(media, ignore_errors=True)


# -- helpers ---------------------------------------------------------------------------------


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def log_in(page, world, village) -> None:
    page.goto(world.url(village.key, "/admin/login/"))
    page.get_by_label("Nama pengguna").fill(village.editor)
    page.locator("input[name=password]").fill(world.password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(world.url(village.key, "/admin/"))


def latest_news(page):
    """The home page's "latest news" section (Indonesian)."""
    return page.locator("section").filter(
        has=page.get_by_role("heading", name="Berita terbaru", exact=True)
    )


# -- residents -------------------------------------------------------------------------------


def test_resident_on_a_phone_reads_news_in_both_languages_and_searches_the_village(
    browser_world, village_content, new_page, assert_accessible
):
    world, content = browser_world, village_content
    article, kandang_only = content.kreo_article, content.kandang_only
    page = new_page(mobile=True)
    assert page.viewport_size == PHONE

    # Kreo's home page, in Indonesian.
    response = page.goto(world.url("kreo"))
    assert response.status == 200
    assert html_lang(page) == "id"
    expect(page.locator("h1")).to_contain_text(world.kreo.short_name)
    assert_accessible(page)

    # Main menu → news index.
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name=content.news_index_title, exact=True).click()
    expect(page).to_have_url(world.url("kreo", "/berita/"))
    expect(page.locator("h1")).to_have_text(content.news_index_title)
    assert_accessible(page)

    # The article's card → the article.
    page.locator("main").get_by_role("link", name=article.title, exact=True).click()
    expect(page).to_have_url(world.url("kreo", article.path))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main h1")).to_have_text(article.title)
    assert_accessible(page)

    # Language switcher → the English translation of the same article.
    switcher = page.get_by_role("navigation", name="Pilih bahasa")
    switcher.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(world.url("kreo", article.en_path))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(article.en_title)
    expect(page.get_by_role("navigation", name="Choose language")).to_be_visible()
    assert_accessible(page)

    # The site's search form (English now): a word of the article's title.
    search = page.get_by_role("search")
    search.get_by_label("Search this site").fill(SEARCH_WORD)
    search.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(world.url("kreo", f"/en/cari/?q={SEARCH_WORD}"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_contain_text(f"for “{SEARCH_WORD}”")
    results = page.locator("main ol.results")
    hit = results.get_by_role("link", name=article.en_title, exact=True)
    expect(hit).to_have_count(1)
    expect(hit).to_have_attribute(
        "href", re.compile(rf"^(http://kreo\.localhost:\d+)?{article.en_path}$")
    )
    # Nothing from Kandang: not its own article, nor any link to its site.
    expect(results).not_to_contain_text(kandang_only.en_title)
    expect(page.locator("main a[href*='kandang.localhost']")).to_have_count(0)
    assert_accessible(page)

    hit.click()
    expect(page).to_have_url(world.url("kreo", article.en_path))
    expect(page.locator("main h1")).to_have_text(article.en_title)

    # Control: the same search on Kandang's site does find Kandang's article.
    page.goto(world.url("kandang", f"/en/cari/?q={SEARCH_WORD}"))
    expect(
        page.locator("main ol.results").get_by_role("link", name=kandang_only.en_title, exact=True)
    ).to_have_count(1)
    expect(page.locator("main ol.results")).not_to_contain_text(world.kreo.short_name)


def test_first_tab_on_a_phone_reaches_the_skip_link_which_leads_to_the_content(
    browser_world, village_content, new_page
):
    world = browser_world
    page = new_page(viewport=PHONE)  # a phone-sized window with a keyboard
    page.goto(world.url("kreo"))
    main = page.locator("main#main")
    expect(main).to_have_count(1)
    # The header (brand, language switcher, menu, search) pushes the content down.
    main_top = main.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert main_top > 0

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Langsung ke isi")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()  # visible when focused, not left off-screen

    page.keyboard.press("Enter")
    expect(page).to_have_url(world.url("kreo", "/#main"))
    # Scrolled so that the content starts at the top of the window…
    page.wait_for_function(
        "() => Math.abs(document.getElementById('main').getBoundingClientRect().top) <= 2"
    )
    assert page.evaluate("window.scrollY") > 0
    # …and focus moved there: either onto <main> itself, or the next Tab lands inside it.
    in_main = "() => document.getElementById('main').contains(document.activeElement)"
    if not page.evaluate(in_main):
        page.keyboard.press("Tab")
        assert page.evaluate(in_main), "after the skip link, Tab focused " + page.evaluate(
            "document.activeElement.outerHTML.slice(0, 200)"
        )


# -- editors ---------------------------------------------------------------------------------


def test_editor_publishes_news_that_shows_on_own_village_home_only(
    browser_world, village_content, new_page, assert_accessible
):
    world, content, kreo = browser_world, village_content, browser_world.kreo
    title = "Warga Kreo Tanam Seribu Pohon di Bantaran Sungai"
    summary = "Karang taruna dan warga menanam seribu bibit pohon untuk mencegah longsor."
    page = new_page()
    log_in(page, world, kreo)

    # Explorer: Kreo (Indonesian) → news index → add a child page.
    page.goto(world.url("kreo", "/admin/pages/"))
    row = page.locator("tbody tr").filter(
        has=page.locator(".w-status--label", has_text="Bahasa Indonesia")
    )
    row.get_by_role("link", name=f"Jelajahi halaman turunan dari '{kreo.name}'").click()
    expect(page).to_have_url(world.url("kreo", f"/admin/pages/{kreo.home_id}/"))
    page.get_by_role(
        "link", name=f"Jelajahi halaman turunan dari '{content.news_index_title}'"
    ).click()
    index_url = world.url("kreo", f"/admin/pages/{content.kreo_news_index_id}/")
    expect(page).to_have_url(index_url)
    page.get_by_role("link", name="Tambahkan halaman turunan", exact=True).click()
    # News is the only page type allowed there: straight to its editor.
    expect(page).to_have_url(
        world.url("kreo", f"/admin/pages/add/website/newspage/{content.kreo_news_index_id}/")
    )

    form = page.locator("form#page-edit-form")
    form.locator("input[name=title]").fill(title)
    form.get_by_role("combobox", name="Kategori").select_option(label="Kemasyarakatan")
    form.get_by_role("textbox", name="Ringkasan").fill(summary)
    # Body: one paragraph block, typed into the rich-text editor.
    form.get_by_role("button", name="Sisipkan blok").first.click()
    page.get_by_role("option", name="Paragraf").click()
    editor = form.locator("[data-contentpath=body] [role=textbox]").first
    editor.click()
    page.keyboard.type("Bibit pohon disediakan oleh dinas lingkungan hidup.")
    # Draftail saves its state to the form a moment after typing (as a person takes it).
    expect(form.locator("input[name='body-0-value']")).to_have_value(
        re.compile("Bibit pohon disediakan")
    )

    # Publish (in the footer's "more actions" menu).
    page.locator("footer").get_by_role("button", name="Tindakan lainnya").click()
    page.get_by_role("button", name="Publikasi", exact=True).click()
    expect(page).to_have_url(index_url)
    published = page.locator("tbody tr").filter(has_text=title)
    expect(published).to_have_count(1)
    expect(published.locator(".w-status")).to_contain_text(re.compile("aktif", re.I))

    # Kreo's home page lists it among the latest news, and it opens.
    visitor = new_page(mobile=True)
    visitor.goto(world.url("kreo"))
    news = latest_news(visitor)
    expect(news.get_by_role("link", name=title, exact=True)).to_be_visible()
    assert_accessible(visitor)
    news.get_by_role("link", name=title, exact=True).click()
    expect(visitor.locator("main h1")).to_have_text(title)
    expect(visitor.locator("main")).to_contain_text(
        "Bibit pohon disediakan oleh dinas lingkungan hidup."
    )
    assert_accessible(visitor)

    # Kandang's home page does not.
    visitor.goto(world.url("kandang"))
    expect(visitor.locator("h1")).to_contain_text(world.kandang.short_name)
    expect(latest_news(visitor).locator(".card")).not_to_have_count(0)
    expect(visitor.locator("body")).not_to_contain_text(title)
    assert_accessible(visitor)
