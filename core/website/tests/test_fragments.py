"""Fragments of public pages (core/website/fragments.py, {% village_fragment %}): the same bytes as
without them on every page, fewer queries, rebuilt after every change of their village and never
holding anything personal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as django_cache
from django.db import connection
from django.template import engines
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction, Site

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.villagedata.choices import PopulationCategory
from core.villagedata.models import PopulationFigure
from core.website import fragments
from core.website.models import NewsIndexPage, NewsPage
from core.website.tests.conftest import add_news, index_of

POISON = "<!--fragment-from-cache-->"
ROUTES = {
    "NewsIndexPage": ["feed/", "feed/atom/", "?page=2", "?kategori=pembangunan"],
    "EventIndexPage": ["ical/"],
    "DistrictHomePage": ["berita/", "berita/feed/", "?q=kre"],
    "VillageHomePage": ["cari/?q=desa"],
}


class RecordingCache:
    """The shared cache, noting which fragments were stored."""

    def __init__(self) -> None:
        self.stored: list[str] = []

    def get(self, key, default=None):
        return django_cache.get(key, default)

    def set(self, key, value, timeout=None):
        self.stored.append(key)
        django_cache.set(key, value, timeout)

    def poison(self) -> int:
        """Mark every stored HTML fragment: a page showing the mark was served from them."""
        count = 0
        for key in set(self.stored):
            html = django_cache.get(key)
            if isinstance(html, str):
                django_cache.set(key, POISON + html, 300)
                count += 1
        return count


@pytest.fixture
def stored(monkeypatch):
    recorder = RecordingCache()
    monkeypatch.setattr(fragments, "cache", recorder)
    return recorder


def _normalise(body: bytes) -> bytes:
    """What legitimately differs between two renderings: the contact form's CSRF token and
    signed timestamp, the calendar's DTSTAMP (all of the moment)."""
    body = re.sub(
        rb'name="(issued|csrfmiddlewaretoken)" value="[^"]+"', rb'name="\1" value=""', body
    )
    return re.sub(rb"DTSTAMP:\S+", b"DTSTAMP:", body)


def _site_urls(hostname: str) -> list[str]:
    """Every live public page of a site (each language) and the routes of its listings."""
    site = Site.objects.get(hostname=hostname)
    urls = ["/sitemap.xml"]
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    for root in roots:
        for page in Page.objects.live().public().descendant_of(root, inclusive=True).specific():
            url = page.get_url(None, site)
            urls.append(url)
            urls.extend(url + route for route in ROUTES.get(type(page).__name__, []))
    return urls


def _render_all(client, host, urls) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200, (host, url, response.status_code)
        pages[url] = _normalise(response.content)
    return pages


@pytest.mark.parametrize("host_attr", ["kreo_host", None])
def test_every_page_is_byte_identical_with_fragments(demo, client, host_attr):
    host = getattr(demo, host_attr) if host_attr else "localhost"
    urls = _site_urls(host)
    assert len(urls) > (30 if host_attr else 5)
    with override_settings(SIDEKEM_FRAGMENT_CACHE_SECONDS=0):
        without = _render_all(client, host, urls)
    with override_settings(SIDEKEM_FRAGMENT_CACHE_SECONDS=300):
        cold = _render_all(client, host, urls)
        warm = _render_all(client, host, urls)
    for url in urls:
        assert cold[url] == without[url], url
        assert warm[url] == without[url], url


def _count(client, host, url) -> int:
    client.get(url, HTTP_HOST=host)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, HTTP_HOST=host).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/", "/en/", "/berita/rabat-beton-jalan-dusun/", "/pemerintahan/"])
def test_fragments_save_queries(demo, client, url):
    with override_settings(SIDEKEM_FRAGMENT_CACHE_SECONDS=0):
        without = _count(client, demo.kreo_host, url)
    with override_settings(SIDEKEM_FRAGMENT_CACHE_SECONDS=300):
        warm = _count(client, demo.kreo_host, url)
    assert warm < without <= 12


def _home(client, host, url="/") -> str:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def _warm_and_poison(client, host, stored, url="/") -> None:
    _home(client, host, url)
    assert stored.poison() >= 3  # menu, footer, the home page's parts
    assert POISON in _home(client, host, url)  # served from the fragments


def test_publish_and_unpublish_rebuild_the_fragments(demo, client, stored):
    _warm_and_poison(client, demo.kreo_host, stored)
    news = add_news(index_of(demo.kreo, NewsIndexPage), "Sedekah bumi Kreo", "Isi.")
    page = _home(client, demo.kreo_host)
    assert POISON not in page and "Sedekah bumi Kreo" in page

    _warm_and_poison(client, demo.kreo_host, stored)
    news.unpublish()
    page = _home(client, demo.kreo_host)
    assert POISON not in page and "Sedekah bumi Kreo" not in page


def test_an_article_is_rebuilt_after_its_edit(demo, client, stored):
    article = NewsPage.objects.live().get(
        slug="rabat-beton-jalan-dusun", locale__language_code="id", path__startswith=_prefix(demo)
    )
    url = article.get_url()
    _warm_and_poison(client, demo.kreo_host, stored, url)
    article.summary = "Ringkasan yang baru saja diubah."
    article.save_revision().publish()
    page = _home(client, demo.kreo_host, url)
    assert POISON not in page and "Ringkasan yang baru saja diubah." in page


def _prefix(demo) -> str:
    return demo.kreo.home_pages.get(locale__language_code="id").path[:8]


def test_a_village_change_rebuilds_its_footer(demo, client, stored):
    _warm_and_poison(client, demo.kreo_host, stored)
    demo.kreo.phone = "0284-777123"
    demo.kreo.save()
    page = _home(client, demo.kreo_host)
    assert POISON not in page and 'href="tel:0284-777123"' in page


def test_village_data_and_plugin_switches_rebuild_the_fragments(demo, client, stored):
    _warm_and_poison(client, demo.kreo_host, stored)
    PopulationFigure.objects.create(
        village=demo.kreo,
        year=2024,
        category=PopulationCategory.choices[0][0],
        label="Uji",
        value=3,
    )
    assert POISON not in _home(client, demo.kreo_host)

    _warm_and_poison(client, demo.kreo_host, stored)
    set_plugin_enabled([demo.kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert POISON not in _home(client, demo.kreo_host)


def test_another_villages_change_keeps_the_fragments(demo, client, stored):
    _warm_and_poison(client, demo.kreo_host, stored)
    add_news(index_of(demo.kandang, NewsIndexPage), "Berita Kandang", "Isi.")
    assert POISON in _home(client, demo.kreo_host)  # Kreo's pages did not change
    portal = _home(client, "localhost")  # the portal lists every village's news
    assert POISON not in portal


def test_fragments_are_per_language(demo, client, stored):
    indonesian = _home(client, demo.kreo_host)
    english = _home(client, demo.kreo_host, "/en/")
    assert 'lang="en"' in english and 'lang="id"' in indonesian
    assert "Berita terbaru" in indonesian and "Berita terbaru" not in english


def _request(host: str, **attrs):
    request = RequestFactory().get("/", HTTP_HOST=host)
    for name, value in attrs.items():
        setattr(request, name, value)
    return request


def _render(source: str, request) -> str:
    template = engines["django"].from_string("{% load fragment_tags %}" + source)
    with translation.override("id"):
        return template.render({}, request)


def test_a_fragment_with_a_csrf_token_is_never_stored(demo, stored):
    source = '{% village_fragment "form" %}<form>{% csrf_token %}</form>{% endvillage_fragment %}'
    for _ in range(2):
        request = _request(demo.kreo_host)
        html = _render(source, request)
        assert "csrfmiddlewaretoken" in html
    assert stored.stored == []


def test_a_fragment_using_the_token_after_the_page_did_is_never_stored(demo, stored):
    source = (
        "{% csrf_token %}"
        '{% village_fragment "script" %}<script>var t = "{{ csrf_token }}";</script>'
        "{% endvillage_fragment %}"
    )
    html = _render(source, _request(demo.kreo_host))
    assert 'var t = "' in html and 'var t = "";' not in html
    assert stored.stored == []


def test_a_fragment_showing_messages_is_never_stored(demo, stored):
    request = _request(demo.kreo_host)
    request._messages = CookieStorage(request)
    messages.success(request, "Pesan Anda terkirim.")
    source = (
        '{% village_fragment "notes" %}{% for m in messages %}{{ m }}{% endfor %}'
        "{% endvillage_fragment %}"
    )
    assert _render(source, request) == "Pesan Anda terkirim."
    assert stored.stored == []


def test_previews_neither_read_nor_store_fragments(demo, stored):
    source = '{% village_fragment "part" %}{{ request.path }}{% endvillage_fragment %}'
    assert _render(source, _request(demo.kreo_host)) == "/"
    assert stored.poison() == 1
    assert _render(source, _request(demo.kreo_host)) == POISON + "/"
    stored.stored.clear()
    for attrs in ({"is_preview": True}, {"method": "POST"}):
        assert _render(source, _request(demo.kreo_host, **attrs)) == "/"
    assert stored.stored == []


def test_fragments_are_per_site_and_off_with_zero_seconds(demo, stored, settings):
    source = '{% village_fragment "part" %}{{ request.get_host }}{% endvillage_fragment %}'
    assert _render(source, _request(demo.kreo_host)) == demo.kreo_host
    assert _render(source, _request(demo.kandang_host)) == demo.kandang_host
    settings.SIDEKEM_FRAGMENT_CACHE_SECONDS = 0
    stored.stored.clear()
    assert _render(source, _request(demo.kreo_host)) == demo.kreo_host
    assert stored.stored == []


class Clock:
    """``timezone`` as core/website/home.py uses it, at a chosen moment."""

    def __init__(self, now):
        self.now = now

    def localtime(self, value=None):
        return self.now if value is None else timezone.localtime(value)

    def localdate(self):
        return timezone.localtime(self.now).date()


def test_upcoming_events_are_cached_only_until_one_of_them_is_over(demo, monkeypatch):
    from core.website import home as home_module
    from core.website.models import EventIndexPage, EventPage

    home = demo.kreo.home_pages.get(locale__language_code="id")
    index = EventIndexPage.objects.child_of(home).get()
    now = timezone.localtime()
    soon = EventPage(
        title="Rapat sebentar lagi usai",
        slug="rapat-usai",
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
        place="Balai desa",
    )
    index.add_child(instance=soon)
    soon.save_revision().publish()
    request = _request(demo.kreo_host)
    monkeypatch.setattr(home_module, "timezone", Clock(now))
    first = home_module.cached_upcoming_events(home, request)
    assert soon in first
    # Cached: the same list without a query, while the event is not over.
    monkeypatch.setattr(home_module, "timezone", Clock(now + timedelta(minutes=30)))
    again = _request(demo.kreo_host)
    Site.find_for_request(again)  # as VillageMiddleware does before the page
    with CaptureQueriesContext(connection) as ctx:
        assert home_module.cached_upcoming_events(home, again) == first
    assert len(ctx.captured_queries) == 0
    # Once it is over, the list is queried again and the event is gone.
    monkeypatch.setattr(home_module, "timezone", Clock(now + timedelta(hours=2)))
    later = home_module.cached_upcoming_events(home, _request(demo.kreo_host))
    assert soon not in later
    assert later == list(home_module.upcoming_events(home, now=now + timedelta(hours=2)))


def _kreo_article(demo):
    return NewsPage.objects.live().get(
        slug="rabat-beton-jalan-dusun", locale__language_code="id", path__startswith=_prefix(demo)
    )


def test_remembered_routes_follow_unpublishing(demo, client):
    article = _kreo_article(demo)
    url = article.get_url()
    for _ in range(2):  # the second one from the remembered route
        response = client.get(url, HTTP_HOST=demo.kreo_host)
        assert response.status_code == 200 and "sepanjang 350 meter" in response.content.decode()
    article.unpublish()
    assert client.get(url, HTTP_HOST=demo.kreo_host).status_code == 404


def test_remembered_routes_keep_view_restrictions(demo, client):
    article = _kreo_article(demo)
    url = article.get_url()
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="rahasia"
    )
    for _ in range(2):
        response = client.get(url, HTTP_HOST=demo.kreo_host)
        assert response.status_code == 200
        assert "sepanjang 350 meter" not in response.content.decode()
        assert 'name="password"' in response.content.decode()
