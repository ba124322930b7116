"""Whole-page cache: served to anonymous visitors, invalidated on publish for that village."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.website.models import NewsIndexPage, NewsPage
from core.website.tests.conftest import add_news, index_of


@pytest.fixture
def page_cache():
    with override_settings(SIDEKEM_PAGE_CACHE_SECONDS=300):
        yield


def _get(client, host, url="/", **extra):
    return client.get(url, HTTP_HOST=host, **extra)


def test_second_visit_is_served_from_cache(demo, client, page_cache):
    first = _get(client, demo.kreo_host)
    assert first["X-Sidekem-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = _get(client, demo.kreo_host)
    assert second["X-Sidekem-Cache"] == "hit"
    assert second.content == first.content
    assert len(ctx.captured_queries) <= 2


def test_cache_is_per_site_and_language(demo, client, page_cache):
    kreo = _get(client, demo.kreo_host).content
    kandang = _get(client, demo.kandang_host)
    assert kandang["X-Sidekem-Cache"] == "miss" and kandang.content != kreo
    english = _get(client, demo.kreo_host, "/en/")
    assert english["X-Sidekem-Cache"] == "miss" and english.content != kreo


def test_publish_invalidates_that_village_and_the_portal(demo, client, page_cache):
    _get(client, demo.kreo_host)
    _get(client, demo.kandang_host)
    _get(client, "localhost")
    add_news(index_of(demo.kreo, NewsIndexPage), "Berita segar tentang kemarau", "Isi.")
    response = _get(client, demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "miss"
    assert "Berita segar tentang kemarau" in response.content.decode()
    portal = _get(client, "localhost")
    assert portal["X-Sidekem-Cache"] == "miss"
    assert "Berita segar tentang kemarau" in portal.content.decode()
    assert _get(client, demo.kandang_host)["X-Sidekem-Cache"] == "hit"


def test_unpublish_invalidates(demo, client, page_cache):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    article = NewsPage.objects.live().descendant_of(home).order_by("-date").first()
    assert article.title in _get(client, demo.kreo_host).content.decode()
    article.unpublish()
    response = _get(client, demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "miss"
    assert article.title not in response.content.decode()


def test_forms_sessions_and_posts_bypass_the_cache(demo, client, page_cache):
    contact = _get(client, demo.kreo_host, "/kontak/")
    assert "X-Sidekem-Cache" not in contact  # it carries this visitor's CSRF token
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host, "/kontak/")
    client.cookies["sessionid"] = "editor-session"
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host)


def test_cache_off_by_setting(demo, client):
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host)


def test_search_results_are_not_cached(demo, client, page_cache):
    response = _get(client, demo.kreo_host, "/cari/?q=desa")
    assert response.status_code == 200 and "X-Sidekem-Cache" not in response
