"""Search, feeds and sitemaps never show another village's (or language's) content."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.website.models import EventIndexPage, EventPage, NewsIndexPage
from core.website.tests.conftest import add_news, index_of

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def marked(demo, django_capture_on_commit_callbacks):
    """One news article per village with a word only that village uses."""
    with django_capture_on_commit_callbacks(execute=True):
        kreo = add_news(
            index_of(demo.kreo, NewsIndexPage),
            "Lomba layang-layang zebrakreo",
            "Kabar zebrakreo dan kerbaubersama dari Kreo.",
        )
        kandang = add_news(
            index_of(demo.kandang, NewsIndexPage),
            "Pasar garmen zebrakandang",
            "Kabar zebrakandang dan kerbaubersama dari Kandang.",
        )
    return kreo, kandang


def _search(client, host, query, prefix=""):
    response = client.get(f"{prefix}/cari/", {"q": query}, HTTP_HOST=host)
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('<ol class="results">')
    return body[start : body.index("</ol>", start)]


def test_search_is_scoped_to_the_village(demo, client, marked):
    assert "zebrakreo" in _search(client, demo.kreo_host, "zebrakreo")
    assert "zebrakandang" not in _search(client, demo.kreo_host, "zebrakandang")
    shared = _search(client, demo.kreo_host, "kerbaubersama")
    assert "zebrakreo" in shared and "zebrakandang" not in shared
    shared = _search(client, demo.kandang_host, "kerbaubersama")
    assert "zebrakandang" in shared and "zebrakreo" not in shared


def test_search_is_scoped_to_the_language(demo, client, marked):
    # The Indonesian article exists only in Indonesian: the English search does not show it.
    assert "zebrakreo" not in _search(client, demo.kreo_host, "zebrakreo", prefix="/en")
    english = _search(client, demo.kreo_host, "Concrete", prefix="/en")
    assert "Concrete Road" in english
    assert "Concrete Road" not in _search(client, demo.kreo_host, "Concrete")


def test_search_leaves_out_disabled_plugin_pages(
    demo, client, django_capture_on_commit_callbacks, monkeypatch
):

    from tests.sample_plugin.models import SamplePage

    home = demo.kreo.home_pages.get(locale__language_code="id")
    with django_capture_on_commit_callbacks(execute=True):
        page = SamplePage(title="Halaman contoh plugin gajahunik", slug="contoh")
        home.add_child(instance=page)
        page.save_revision().publish()
    assert "gajahunik" in _search(client, demo.kreo_host, "gajahunik")
    set_plugin_enabled([demo.kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert "gajahunik" not in _search(client, demo.kreo_host, "gajahunik")
    sitemap = client.get("/sitemap.xml", HTTP_HOST=demo.kreo_host).content.decode()
    assert "/contoh/" not in sitemap


def _rss_links(client, host, url):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [item.findtext("link") for item in root.iter("item")]


def test_village_feed_has_only_that_village(demo, client, marked):
    links = _rss_links(client, demo.kreo_host, "/berita/feed/")
    assert links and all(link.startswith(f"http://{demo.kreo_host}/berita/") for link in links)
    assert any("zebrakreo" in link or "layang" in link for link in links)
    english = _rss_links(client, demo.kreo_host, "/en/news/feed/")
    assert english and all(link.startswith(f"http://{demo.kreo_host}/en/news/") for link in english)
    assert len(english) < len(links)


def test_atom_feed(demo, client, marked):
    response = client.get("/berita/feed/atom/", HTTP_HOST=demo.kandang_host)
    root = ET.fromstring(response.content)
    hrefs = [
        link.get("href")
        for entry in root.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
    ]
    assert hrefs and all(h.startswith(f"http://{demo.kandang_host}/") for h in hrefs)


def test_sitemap_per_site_in_both_languages(demo, client):
    response = client.get("/sitemap.xml", HTTP_HOST=demo.kreo_host)
    root = ET.fromstring(response.content)
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(f"http://{demo.kreo_host}/") for loc in locs)
    assert any("/en/news/" in loc for loc in locs)
    assert any("/berita/" in loc for loc in locs)
    portal = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    assert demo.kreo_host not in portal and "/tentang/" in portal


def test_icalendar_feed(demo, client):
    response = client.get("/agenda/ical/", HTTP_HOST=demo.kreo_host)
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    home = demo.kreo.home_pages.get(locale__language_code="id")
    events = EventPage.objects.live().descendant_of(home)
    assert text.count("BEGIN:VEVENT") == events.count()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    kandang_index = index_of(demo.kandang, EventIndexPage)
    for event in EventPage.objects.child_of(kandang_index):
        assert f"UID:event-{event.pk}-" not in text


def test_portal_lists_news_of_every_village_linking_to_their_sites(demo, client, marked):
    body = client.get("/", HTTP_HOST="localhost").content.decode()
    assert f"http://{demo.kreo_host}/berita/" in body
    assert f"http://{demo.kandang_host}/berita/" in body
    links = _rss_links(client, "localhost", "/berita/feed/")
    assert any(demo.kreo_host in link for link in links)
    assert any(demo.kandang_host in link for link in links)
    listing = client.get("/berita/", HTTP_HOST="localhost").content.decode()
    assert "zebrakreo" in listing and "zebrakandang" in listing


def test_portal_village_search(demo, client):
    body = client.get("/", {"q": "kandang"}, HTTP_HOST="localhost").content.decode()
    assert f"http://{demo.kandang_host}/" in body
    assert f'href="http://{demo.kreo_host}/"' not in body


def test_unknown_host_gets_the_portal(demo, client):
    body = client.get("/", HTTP_HOST="unknown.example").content.decode()
    assert "Desa dan kelurahan per kecamatan" in body


def test_hreflang_only_for_existing_translations(demo, client):
    from core.website.models import NewsPage

    home = demo.kreo.home_pages.get(locale__language_code="id")
    translated = NewsPage.objects.live().descendant_of(home).get(slug="rabat-beton-jalan-dusun")
    single = NewsPage.objects.live().descendant_of(home).get(slug="vaksinasi-hewan-ternak")
    body = client.get(translated.get_url(), HTTP_HOST=demo.kreo_host).content.decode()
    assert 'hreflang="en"' in body and 'hreflang="id"' in body
    body = client.get(single.get_url(), HTTP_HOST=demo.kreo_host).content.decode()
    assert "hreflang" not in body


def test_private_pages_leave_listings_search_feeds_and_sitemap(
    demo, client, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    index = index_of(demo.kreo, NewsIndexPage)
    with django_capture_on_commit_callbacks(execute=True):
        secret = add_news(index, "Rapat tertutup zebrarahasia", "Isi zebrarahasia.")
    assert "zebrarahasia" in client.get("/berita/", HTTP_HOST=demo.kreo_host).content.decode()
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    for url in ["/", "/berita/", "/berita/feed/", "/sitemap.xml"]:
        body = client.get(url, HTTP_HOST=demo.kreo_host).content.decode()
        assert "zebrarahasia" not in body, url
    assert "zebrarahasia" not in _search(client, demo.kreo_host, "zebrarahasia")
    response = client.get(secret.get_url(), HTTP_HOST=demo.kreo_host)
    body = response.content.decode()
    assert 'type="password"' in body and "Isi zebrarahasia" not in body
