"""HTTP caching of public pages (Cache-Control, ETag, Last-Modified, 304), and nothing personal
ever stored in or served from the page cache: sessions, cookies, CSRF tokens, messages,
previews, signed-in users are ``private, no-store``."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.http import http_date, parse_http_date

from core.website import cache as page_cache
from core.website.models import NewsIndexPage, NewsPage
from core.website.tests.conftest import add_news, index_of


@pytest.fixture
def page_cache_on():
    with override_settings(
        SIDEKEM_PAGE_CACHE_SECONDS=300,
        SIDEKEM_BROWSER_CACHE_SECONDS=60,
        SIDEKEM_PROXY_CACHE_SECONDS=600,
    ):
        yield


@pytest.fixture
def editor(demo, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x")
    user.groups.add(demo.kreo.editors_group)
    return user


def _get(client, host, url="/", **extra):
    return client.get(url, HTTP_HOST=host, **extra)


def _directives(response):
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}


def _is_private(response):
    return {"private", "no-store"} <= _directives(response) and "public" not in _directives(
        response
    )


def _stored(host, url="/"):
    request = RequestFactory().get(url, HTTP_HOST=host)
    return cache.get(page_cache.slot_for(request).key) is not None


# --- Public pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/en/", "/berita/", "/berita/feed/", "/sitemap.xml"])
def test_public_pages_say_how_long_to_keep_them(demo, client, page_cache_on, url):
    for state in ("miss", "hit"):
        response = _get(client, demo.kreo_host, url)
        assert response.status_code == 200 and response["X-Sidekem-Cache"] == state
        assert _directives(response) == {"public", "max-age", "s-maxage"}
        assert "max-age=60" in response["Cache-Control"]
        assert "s-maxage=600" in response["Cache-Control"]
        assert response["ETag"].startswith('"') and parse_http_date(response["Last-Modified"])
        vary = response.get("Vary", "").lower()
        assert "cookie" not in vary and "accept-language" not in vary
    assert int(response["Age"]) >= 0  # the hit says how old it is


def test_last_modified_covers_the_page_the_site_and_the_day(demo, client, page_cache_on):
    article = NewsPage.objects.live().descendant_of(demo.kreo.home_pages.first()).first()
    response = _get(client, demo.kreo_host, article.url)
    last_modified = parse_http_date(response["Last-Modified"])
    assert last_modified >= int(article.last_published_at.timestamp())
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert last_modified >= int(start.timestamp())
    assert last_modified <= timezone.now().timestamp() + 1


def test_if_none_match_gets_304_from_the_cache_without_a_query(
    demo, client, page_cache_on, django_assert_num_queries
):
    first = _get(client, demo.kreo_host)
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = _get(client, demo.kreo_host, HTTP_IF_NONE_MATCH=etag)
        weak = _get(client, demo.kreo_host, HTTP_IF_NONE_MATCH=f"W/{etag}")  # gzip proxies
    assert again.status_code == 304 and again["X-Sidekem-Cache"] == "hit"
    assert again["ETag"] == etag and not again.content
    assert "public" in again["Cache-Control"]
    assert weak.status_code == 304
    other = _get(client, demo.kreo_host, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_if_none_match_gets_304_on_a_miss_too(demo, client, page_cache_on):
    etag = _get(client, demo.kreo_host)["ETag"]
    cache.clear()
    response = _get(client, demo.kreo_host, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["X-Sidekem-Cache"] == "miss"


def test_if_modified_since_gets_304_without_a_query(
    demo, client, page_cache_on, django_assert_num_queries
):
    first = _get(client, demo.kreo_host)
    last_modified = first["Last-Modified"]
    with django_assert_num_queries(0):
        same = _get(client, demo.kreo_host, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert same.status_code == 304 and same["X-Sidekem-Cache"] == "hit"
    earlier = http_date(parse_http_date(last_modified) - 3600)
    response = _get(client, demo.kreo_host, HTTP_IF_MODIFIED_SINCE=earlier)
    assert response.status_code == 200 and response.content == first.content


def test_after_a_publish_old_validators_get_the_new_page(demo, client, page_cache_on):
    first = _get(client, demo.kreo_host)
    add_news(index_of(demo.kreo, NewsIndexPage), "Jembatan baru diresmikan", "Isi.")
    response = _get(client, demo.kreo_host, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and "Jembatan baru diresmikan" in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_without_the_page_cache_public_pages_carry_no_public_headers(demo, client):
    response = _get(client, demo.kreo_host)
    assert "public" not in response.get("Cache-Control", "") and "X-Sidekem-Cache" not in response
    assert _is_private(_get(client, demo.kreo_host, "/kontak/"))  # always private


# --- Personal responses: private, no-store; never stored, never served from the cache --------


def test_admin_is_private(demo, client, page_cache_on, editor):
    assert _is_private(client.get("/admin/login/"))
    client.force_login(editor)
    assert _is_private(client.get("/admin/"))


def test_preview_views_are_private(demo, client, page_cache_on, editor):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{home.pk}/edit/preview/", HTTP_HOST=demo.kreo_host)
    assert _is_private(preview)
    revision = home.latest_revision
    view = client.get(f"/admin/pages/{home.pk}/revisions/{revision.pk}/view/")
    assert _is_private(view)


def test_preview_parameter_is_never_stored_or_served(demo, client, page_cache_on):
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    preview = _get(client, demo.kreo_host, "/?preview=1")
    assert "X-Sidekem-Cache" not in preview and _is_private(preview)
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host, "/?preview=1")


def test_contact_page_with_its_token_is_private_and_never_stored(demo, client, page_cache_on):
    first = _get(client, demo.kreo_host, "/kontak/")
    assert "csrfmiddlewaretoken" in first.content.decode() and _is_private(first)
    assert "X-Sidekem-Cache" not in first and not _stored(demo.kreo_host, "/kontak/")
    second = _get(client, demo.kreo_host, "/kontak/")
    assert "X-Sidekem-Cache" not in second and _is_private(second)


def test_search_results_are_private(demo, client, page_cache_on):
    response = _get(client, demo.kreo_host, "/cari/?q=desa")
    assert response.status_code == 200 and _is_private(response)
    assert not _stored(demo.kreo_host, "/cari/?q=desa")


def test_session_cookie_is_never_served_from_the_cache_nor_stored(
    demo, client, page_cache_on, django_assert_max_num_queries
):
    client.cookies["sessionid"] = "someone"
    response = _get(client, demo.kreo_host)
    assert "X-Sidekem-Cache" not in response and _is_private(response)
    assert not _stored(demo.kreo_host)
    del client.cookies["sessionid"]
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    client.cookies["sessionid"] = "someone"
    again = _get(client, demo.kreo_host)
    assert "X-Sidekem-Cache" not in again and _is_private(again)


def test_a_signed_in_editor_gets_fresh_private_pages_and_leaves_nothing(
    demo, client, page_cache_on, editor
):
    client.force_login(editor)
    own = _get(client, demo.kreo_host)
    assert own.status_code == 200 and "X-Sidekem-Cache" not in own and _is_private(own)
    assert not _stored(demo.kreo_host)
    client.logout()
    client.cookies.clear()
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"  # now stored, anonymously
    client.force_login(editor)
    again = _get(client, demo.kreo_host)
    assert "X-Sidekem-Cache" not in again and _is_private(again)


def test_messages_cookie_is_never_served_from_the_cache_nor_stored(demo, client, page_cache_on):
    client.cookies["messages"] = "pesan"
    response = _get(client, demo.kreo_host)
    assert "X-Sidekem-Cache" not in response and _is_private(response)
    assert not _stored(demo.kreo_host)
    del client.cookies["messages"]
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    client.cookies["messages"] = "pesan"
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host)


# The middleware around a stand-in view: what a response does decides whether it is stored.


def _page_view(demo, before=None):
    def view(request):
        request._wagtail_site = demo.kreo.site  # as VillageMiddleware does
        response = HttpResponse("<p>Halaman</p>", content_type="text/html; charset=utf-8")
        if before:
            before(request, response)
        return response

    return view


def _through(view, **extra):
    request = RequestFactory().get("/halaman/", HTTP_HOST="kreo.localhost", **extra)
    return page_cache.PageCacheMiddleware(view)(request)


def test_a_plain_public_response_is_stored(demo, page_cache_on):
    response = _through(_page_view(demo))
    assert response["X-Sidekem-Cache"] == "miss" and _stored("kreo.localhost", "/halaman/")
    assert _through(_page_view(demo))["X-Sidekem-Cache"] == "hit"


def _sets_cookie(request, response):
    response.set_cookie("pilihan", "x")


def _varies_on_cookie(request, response):
    response["Vary"] = "Cookie"


def _signed_in(request, response):
    request._cached_user = type("User", (), {"is_authenticated": True})()


def _marked(request, response):
    request.sidekem_no_page_cache = True


def _is_preview(request, response):
    request.is_preview = True


@pytest.mark.parametrize(
    "before", [_sets_cookie, _varies_on_cookie, _signed_in, _marked, _is_preview]
)
def test_personal_responses_are_never_stored(demo, page_cache_on, before):
    response = _through(_page_view(demo, before))
    assert "X-Sidekem-Cache" not in response and _is_private(response)
    assert not _stored("kreo.localhost", "/halaman/")


def test_a_response_carrying_messages_is_never_stored(demo, page_cache_on):
    def add_message(request, response):
        messages.info(request, "Tersimpan.")

    view = SessionMiddleware(MessageMiddleware(_page_view(demo, add_message)))
    response = _through(view)
    assert response.cookies and _is_private(response)
    assert not _stored("kreo.localhost", "/halaman/")


def test_explicit_no_cache_of_a_view_is_respected(demo, page_cache_on):
    def no_cache(request, response):
        response["Cache-Control"] = "no-cache"

    response = _through(_page_view(demo, no_cache))
    assert "X-Sidekem-Cache" not in response and get_max_age(response) is None
    assert not _stored("kreo.localhost", "/halaman/")
