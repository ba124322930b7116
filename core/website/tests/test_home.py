"""Home page: announcements by validity, agenda, metadata and plugin panels."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import timezone
from wagtail import hooks

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.panels import HomePanel
from core.pluginhost.switches import set_plugin_enabled
from core.website.models import AnnouncementIndexPage, AnnouncementPage, NewsPage
from core.website.tests.conftest import index_of
from tests.sample_plugin.models import SampleNote


def _home(client, demo, url="/"):
    response = client.get(url, HTTP_HOST=demo.kreo_host)
    assert response.status_code == 200
    return response.content.decode()


def _announce(index, title, start, end):
    today = timezone.localdate()
    page = AnnouncementPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        body="<p>Isi</p>",
        valid_from=today + dt.timedelta(days=start),
        valid_until=today + dt.timedelta(days=end) if end is not None else None,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_expired_announcements_leave_the_home_page(demo, client):
    index = index_of(demo.kreo, AnnouncementIndexPage)
    _announce(index, "Pengumuman kedaluwarsa", -10, -1)
    _announce(index, "Pengumuman berlaku", -1, 3)
    _announce(index, "Pengumuman akan datang", 2, 5)
    body = _home(client, demo)
    assert "Pengumuman berlaku" in body
    assert "Pengumuman kedaluwarsa" not in body
    assert "Pengumuman akan datang" not in body
    listing = _home(client, demo, "/pengumuman/")
    assert "Pengumuman kedaluwarsa" in listing  # still in the archive


def test_home_shows_greeting_links_news_and_agenda(demo, client):
    body = _home(client, demo)
    home = demo.kreo.home_pages.get(locale__language_code="id").specific
    assert home.head_name in body
    assert "Layanan cepat" in body and 'href="/kontak/"' in body
    assert "Berita terbaru" in body and "Agenda mendatang" in body
    assert 'srcset="' in body and ".webp" in body


def test_all_images_have_alt_text(demo, client):
    for url in ["/", "/berita/", "/galeri/", "/galeri/kerja-bakti/", "/pemerintahan/"]:
        body = _home(client, demo, url)
        for tag in re.findall(r"<img\b[^>]*>", body):
            assert re.search(r'\balt="[^"]*"', tag), (url, tag)


def test_open_graph_and_schema_org(demo, client):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    article = NewsPage.objects.live().descendant_of(home).exclude(featured_image=None).first()
    body = _home(client, demo, article.get_url())
    assert f'<meta property="og:title" content="{article.title}">' in body
    assert '<meta property="og:type" content="article">' in body
    assert re.search(
        r'<meta property="og:image" content="http://kreo\.localhost/[^"]+\.jpg">', body
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle" and data["headline"] == article.title
    assert data["publisher"]["name"] == str(demo.kreo)
    home_data = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', _home(client, demo), re.S
    ).group(1)
    assert json.loads(home_data)["@type"] == "GovernmentOrganization"


def test_feed_autodiscovery_and_search_form(demo, client):
    body = _home(client, demo)
    assert 'type="application/rss+xml"' in body and 'href="/berita/feed/"' in body
    assert 'action="/cari/"' in body
    assert 'action="/en/cari/"' in _home(client, demo, "/en/")


def test_plugin_panels_follow_the_switch_and_escape(demo, client):
    """The sample plugin's home panel (a template component) shows only while the plugin is
    on, escapes what editors typed, and a failing panel is left out."""
    SampleNote.objects.create(village=demo.kreo, title="<b>Catatan</b> Kreo unik")

    class BrokenPanel(HomePanel):
        plugin_key = "sample"
        template_name = "sample_plugin/home_panel.html"

        def get_context_data(self, parent_context=None):
            raise RuntimeError("boom")

    with hooks.register_temporarily("register_home_panel", lambda: BrokenPanel):
        body = _home(client, demo)
    assert "&lt;b&gt;Catatan&lt;/b&gt; Kreo unik" in body
    assert "<b>Catatan</b>" not in body
    set_plugin_enabled([demo.kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert "Kreo unik" not in _home(client, demo)
