"""Whole-page cache: served to anonymous visitors before the rest of the middleware runs, with no
database query; invalidated per village on publish, unpublish, move, delete, plugin switch and
village change; sites found from a host map in the shared cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from wagtail.models import Page, Site

from core.pluginhost.models import PluginSwitch
from core.villagedata.choices import PopulationCategory
from core.villagedata.models import PopulationFigure
from core.website import cache as page_cache
from core.website.models import NewsIndexPage, NewsPage
from core.website.tests.conftest import add_news, index_of


@pytest.fixture
def page_cache_on():
    with override_settings(SIDEKEM_PAGE_CACHE_SECONDS=300):
        yield


def _get(client, host, url="/", **extra):
    return client.get(url, HTTP_HOST=host, **extra)


def _generation(site_id):
    return cache.get(page_cache.GENERATION_KEY.format(site_id))


def _portal_site_id():
    return Site.objects.get(is_default_site=True).pk


@pytest.mark.parametrize(
    "host_attr, url",
    [
        ("kreo_host", "/"),
        ("kreo_host", "/en/"),
        ("kreo_host", "/berita/"),
        ("kandang_host", "/"),
        (None, "/"),  # the district portal
    ],
)
def test_hit_makes_no_database_query(
    demo, client, page_cache_on, django_assert_num_queries, host_attr, url
):
    host = getattr(demo, host_attr) if host_attr else "localhost"
    first = _get(client, host, url)
    assert first.status_code == 200 and first["X-Sidekem-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _get(client, host, url)
        head = client.head(url, HTTP_HOST=host)
    assert second["X-Sidekem-Cache"] == "hit" and head["X-Sidekem-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == first["Content-Language"]


@pytest.mark.parametrize("url", ["/sitemap.xml", "/berita/feed/", "/berita/feed/atom/"])
def test_feed_and_sitemap_hits_make_no_query(
    demo, client, page_cache_on, django_assert_num_queries, url
):
    assert _get(client, demo.kreo_host, url)["X-Sidekem-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert _get(client, demo.kreo_host, url)["X-Sidekem-Cache"] == "hit"


def test_cache_is_per_site_and_language(demo, client, page_cache_on):
    kreo = _get(client, demo.kreo_host).content
    kandang = _get(client, demo.kandang_host)
    assert kandang["X-Sidekem-Cache"] == "miss" and kandang.content != kreo
    english = _get(client, demo.kreo_host, "/en/")
    assert english["X-Sidekem-Cache"] == "miss" and english.content != kreo
    assert english["Content-Language"] == "en"


def test_key_language_comes_from_the_path(demo, page_cache_on):
    factory = RequestFactory()
    host = demo.kreo_host

    def key(path, **extra):
        return page_cache.slot_for(factory.get(path, HTTP_HOST=host, **extra)).key

    assert ":id:" in key("/berita/") and ":en:" in key("/en/berita/")
    # Accept-Language and the language cookie never change the language of an unprefixed URL.
    assert key("/", HTTP_ACCEPT_LANGUAGE="en") == key("/")


def test_publish_invalidates_that_village_and_the_portal(demo, client, page_cache_on):
    _get(client, demo.kreo_host)
    _get(client, demo.kandang_host)
    _get(client, "localhost")
    kandang_generation = _generation(demo.kandang.site_id)
    kreo_generation = _generation(demo.kreo.site_id)
    portal_generation = _generation(_portal_site_id())
    add_news(index_of(demo.kreo, NewsIndexPage), "Berita segar tentang kemarau", "Isi.")
    assert _generation(demo.kandang.site_id) == kandang_generation
    assert _generation(demo.kreo.site_id) != kreo_generation
    assert _generation(_portal_site_id()) != portal_generation
    response = _get(client, demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "miss"
    assert "Berita segar tentang kemarau" in response.content.decode()
    portal = _get(client, "localhost")
    assert portal["X-Sidekem-Cache"] == "miss"
    assert "Berita segar tentang kemarau" in portal.content.decode()
    assert _get(client, demo.kandang_host)["X-Sidekem-Cache"] == "hit"


def test_unpublish_invalidates(demo, client, page_cache_on):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    article = NewsPage.objects.live().descendant_of(home).order_by("-date").first()
    assert article.title in _get(client, demo.kreo_host).content.decode()
    article.unpublish()
    response = _get(client, demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "miss"
    assert article.title not in response.content.decode()


def _kreo_article(demo):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    return NewsPage.objects.live().descendant_of(home).order_by("-date").first()


def _move(demo):
    article = _kreo_article(demo)
    article.move(article.get_parent().get_parent(), pos="last-child")


def _delete(demo):
    Page.objects.get(pk=_kreo_article(demo).pk).delete()


def _switch(demo):
    switch, _ = PluginSwitch.objects.get_or_create(village=demo.kreo, plugin_key="sample")
    switch.enabled = not switch.enabled
    switch.save()


def _village(demo):
    demo.kreo.save()


def _data(demo):
    PopulationFigure.objects.create(
        village=demo.kreo, year=2024, category=PopulationCategory.values[0], label="Uji", value=1
    )


@pytest.mark.parametrize("change", [_move, _delete, _switch, _village, _data])
def test_changes_of_a_village_invalidate_it_and_the_portal_only(
    demo, client, page_cache_on, change
):
    for host in (demo.kreo_host, demo.kandang_host, "localhost"):
        _get(client, host)
    kandang_generation = _generation(demo.kandang.site_id)
    kreo_generation = _generation(demo.kreo.site_id)
    portal_generation = _generation(_portal_site_id())
    change(demo)
    assert _generation(demo.kreo.site_id) != kreo_generation
    assert _generation(_portal_site_id()) != portal_generation
    assert _generation(demo.kandang.site_id) == kandang_generation
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    assert _get(client, "localhost")["X-Sidekem-Cache"] == "miss"
    assert _get(client, demo.kandang_host)["X-Sidekem-Cache"] == "hit"


def test_bump_is_repeated_when_the_transaction_commits(demo, django_capture_on_commit_callbacks):
    site_id = demo.kreo.site_id
    page_cache.bump_site(site_id)
    before = _generation(site_id)
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump_site(site_id)
        during = _generation(site_id)
    assert before < during < _generation(site_id)  # pages rendered before the commit are dropped


def test_a_lost_generation_never_revives_old_pages(demo, client, page_cache_on):
    _get(client, demo.kreo_host)
    cache.delete(page_cache.GENERATION_KEY.format(demo.kreo.site_id))
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "hit"


def test_forms_sessions_and_posts_bypass_the_cache(demo, client, page_cache_on):
    contact = _get(client, demo.kreo_host, "/kontak/")
    assert "X-Sidekem-Cache" not in contact  # it carries this visitor's CSRF token
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host, "/kontak/")
    client.cookies["sessionid"] = "editor-session"
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host)


def test_cache_off_by_setting(demo, client):
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host)


def test_search_results_are_not_cached(demo, client, page_cache_on):
    response = _get(client, demo.kreo_host, "/cari/?q=desa")
    assert response.status_code == 200 and "X-Sidekem-Cache" not in response
    assert "X-Sidekem-Cache" not in _get(client, demo.kreo_host, "/cari/?q=desa")


def test_disallowed_host_is_still_refused(demo, client, page_cache_on):
    with override_settings(ALLOWED_HOSTS=["kreo.localhost"]):
        assert _get(client, "evil.example").status_code == 400


# --- Sites from the host map -----------------------------------------------------------------


def _same_site_as_wagtail(host, port="80"):
    request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)
    expected = Site.find_for_request(request)
    slot = page_cache.slot_for(request)
    return (slot.site_id if slot else None) == (expected.pk if expected else None)


def test_host_map_chooses_the_site_wagtail_chooses(demo):
    home = demo.kandang.home_pages.get(locale__language_code="id")
    Site.objects.create(hostname="kreo.localhost", port=8080, root_page=home)
    Site.objects.create(hostname="dua.localhost", port=8080, root_page=home)
    Site.objects.create(hostname="dua.localhost", port=8081, root_page=home)
    hosts = [
        "kreo.localhost",
        "kreo.localhost:8080",
        "kandang.localhost",
        "localhost",
        "localhost:8000",
        "tidak-dikenal.localhost",
        "dua.localhost",
        "KREO.localhost",
    ]
    ports = ["80", "8080", "8081", "9000"]
    for host in hosts:
        for port in ports:
            assert _same_site_as_wagtail(host, port), (host, port)
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    cache.delete(page_cache.SITE_MAP_KEY)  # update() sends no signal
    for host in hosts:
        for port in ports:
            assert _same_site_as_wagtail(host, port), (host, port)


def test_host_map_follows_site_changes(demo, client, page_cache_on):
    assert _get(client, demo.kandang_host)["X-Sidekem-Cache"] == "miss"
    site = demo.kandang.site
    site.hostname = "kandang-baru.localhost"
    site.save()
    assert page_cache.resolve_site_id(page_cache.site_map(), "kandang-baru.localhost", 80) == (
        site.pk
    )
    response = _get(client, "kandang-baru.localhost")
    assert response["X-Sidekem-Cache"] == "miss" and "Kandang" in response.content.decode()
    assert _get(client, "kandang-baru.localhost")["X-Sidekem-Cache"] == "hit"
    # The old hostname now falls back to the portal, as Wagtail does.
    assert _same_site_as_wagtail("kandang.localhost")


def test_a_stale_host_map_stores_nothing(demo, client, page_cache_on):
    portal_id = _portal_site_id()
    wrong = ({demo.kreo_host: ((80, demo.kandang.site_id, False),)}, ("localhost", portal_id))
    cache.set(page_cache.SITE_MAP_KEY, wrong, None)
    response = _get(client, demo.kreo_host)
    assert response.status_code == 200 and "X-Sidekem-Cache" not in response
    assert cache.get(page_cache.SITE_MAP_KEY) is None  # rebuilt on the next request
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    assert _get(client, demo.kreo_host)["X-Sidekem-Cache"] == "hit"
