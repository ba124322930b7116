"""Search-engine and link-preview metadata: every public page has a description, a canonical link
and an Open Graph image (core/website/templatetags/content_tags.py, includes/page_meta.html)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from core.website.models import NewsIndexPage
from core.website.tests.conftest import add_news, index_of

META = re.compile(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')


def _meta(body: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in META.findall(body):
        found.setdefault(name, []).append(html.unescape(value))
    return found


def _get(client, host: str, url: str):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    return response.content.decode()


def _public_pages(demo):
    """Every live, public page of Kreo (both languages) and of the portal, with its host."""
    hosts = {demo.kreo.site.pk: demo.kreo_host, demo.portal.get_site().pk: "localhost"}
    pages = []
    for page in Page.objects.live().public().filter(depth__gte=2).specific():
        site = page.get_site()
        url = page.relative_url(site) if site is not None else None
        if site is not None and site.pk in hosts and url:
            pages.append((page, hosts[site.pk], url))
    return pages


def test_every_public_page_has_description_canonical_and_image(demo, client):
    pages = _public_pages(demo)
    assert len(pages) > 20  # both languages of Kreo and the portal
    for page, host, url in pages:
        body = _get(client, host, url)
        meta = _meta(body)
        where = f"{url} ({type(page).__name__})"
        assert len(meta.get("description", [])) == 1, where
        description = meta["description"][0]
        assert 20 <= len(description) <= 160, (where, description)
        assert meta["og:description"] == [description], where
        canonicals = CANONICAL.findall(body)
        assert canonicals == [f"http://{host}{url}"], (where, canonicals)
        assert meta["og:url"] == canonicals, where
        image = meta["og:image"][0]
        assert image.startswith(f"http://{host}/"), (where, image)
        assert meta.get("og:image:alt", [""])[0], where


def test_description_falls_back_from_own_words_to_paragraph_tagline_and_sentence(demo, client):
    index = index_of(demo.kreo, NewsIndexPage)
    described = add_news(index, "Berita dengan deskripsi", "Isi berita panjang.")
    described.search_description = "Deskripsi untuk mesin pencari tentang kerja bakti."
    described.save_revision().publish()
    assert (
        _meta(_get(client, demo.kreo_host, described.get_url()))["description"][0]
        == "Deskripsi untuk mesin pencari tentang kerja bakti."
    )

    bare = add_news(
        index, "Berita tanpa ringkasan", "Paragraf pertama tentang panen raya.", summary=""
    )
    assert (
        _meta(_get(client, demo.kreo_host, bare.get_url()))["description"][0]
        == "Paragraf pertama tentang panen raya."
    )

    empty = add_news(index, "Berita kosong", "", summary="")
    description = _meta(_get(client, demo.kreo_host, empty.get_url()))["description"][0]
    assert description.startswith("Situs resmi Desa Kreo, Kecamatan ")

    home = demo.kreo.home_pages.get(locale__language_code="id").specific
    home.tagline = "Sentra kerajinan kulit Pemalang."
    home.save_revision().publish()
    assert (
        _meta(_get(client, demo.kreo_host, empty.get_url()))["description"][0]
        == "Sentra kerajinan kulit Pemalang."
    )


def test_english_pages_fall_back_to_english(demo, client):
    english = demo.kreo.home_pages.get(locale__language_code="en").specific
    english.intro = ""
    english.save_revision().publish()
    description = _meta(_get(client, demo.kreo_host, "/en/"))["description"][0]
    assert description.startswith("Official website of Village Kreo, "), description


def test_long_descriptions_are_cut_at_160_characters(demo, client):
    index = index_of(demo.kreo, NewsIndexPage)
    page = add_news(index, "Berita panjang", "kata " * 200, summary="")
    description = _meta(_get(client, demo.kreo_host, page.get_url()))["description"][0]
    assert len(description) <= 160 and description.endswith("…")


@pytest.mark.django_db
def test_share_image_of_the_village_is_the_fallback_image(demo, client, settings):
    image = get_image_model().objects.create(
        title="Balai desa", file=get_test_image_file(size=(1300, 700))
    )
    home = demo.kreo.home_pages.get(locale__language_code="id").specific
    home.share_image = image
    home.save_revision().publish()
    body = _get(client, demo.kreo_host, "/kontak/")
    meta = _meta(body)
    assert re.match(r"http://kreo\.localhost/.+\.jpg$", meta["og:image"][0]), meta["og:image"]
    assert meta["og:image:alt"] == ["Desa Kreo"]


def test_default_image_is_a_real_1200_by_630_picture():
    with PILImage.open(finders.find("img/og-default.png")) as picture:
        assert picture.size == (1200, 630)


@override_settings(SIDEKEM_PAGE_CACHE_SECONDS=0)
def test_metadata_costs_at_most_one_query_more(demo, client, django_assert_max_num_queries):
    url = "/kontak/"
    _get(client, demo.kreo_host, url)
    with django_assert_max_num_queries(12):
        _get(client, demo.kreo_host, url)
