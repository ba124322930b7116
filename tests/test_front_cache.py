"""The front cache: which URLs a change purges (a recording backend), the Varnish backend's
requests (a fake cache), and end to end through Debian's varnishd with deploy/varnish/sidekem.vcl
in front of a live server (marker ``varnish``).

Without /usr/sbin/varnishd (``apt-get install varnish``; or ``SIDEKEM_VARNISHD``) the end-to-end
tests skip, except where ``SIDEKEM_REQUIRE_SERVICES`` is set (as in .ci/run): there they fail.
They start their own varnishd on a free port (never the package's service on :6081) and stop it.
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Locale

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import ensure_district_portal, provision_village
from core.website import frontend_cache
from core.website.models import NewsIndexPage, NewsPage
from tests.conftest import KANDANG, KREO

REPO = Path(__file__).resolve().parent.parent
VCL = REPO / "deploy" / "varnish" / "sidekem.vcl"
VARNISHD = os.environ.get("SIDEKEM_VARNISHD", "/usr/sbin/varnishd")
NEWS_SLUG = "panen-raya-uji-cache"
PORTAL_HOST = "localhost"

#: What the recording backends were asked to do: ("PURGE", url), ("BAN", host).
SENT: list[tuple[str, str]] = []


class RecordingBackend(BaseBackend):
    """A front cache that can ban hosts, like VarnishBackend."""

    def purge(self, url):
        SENT.append(("PURGE", url))

    def ban_hosts(self, hosts):
        SENT.extend(("BAN", host) for host in hosts)


class RecordingCdnBackend(BaseBackend):
    """A front cache without bans, like Wagtail's CloudFront and Cloudflare backends."""

    def purge_batch(self, urls):
        SENT.extend(("PURGE", url) for url in urls)


def purged() -> set[str]:
    return {target for action, target in SENT if action == "PURGE"}


def banned() -> set[str]:
    return {target for action, target in SENT if action == "BAN"}


@pytest.fixture
def front_cache(settings):
    SENT.clear()
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    yield
    SENT.clear()


@pytest.fixture
def cdn_front_cache(settings):
    """A backend without bans: every URL shows, also on a host that is purged as a whole."""
    SENT.clear()
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.RecordingCdnBackend"}}
    yield
    SENT.clear()


@dataclass
class KreoNews:
    index: NewsIndexPage
    news: NewsPage
    en_index: NewsIndexPage
    en_news: NewsPage


def publish(page):
    page.save_revision().publish()
    return page


def add_kreo_news(village, title: str = "Panen raya di Kreo", *, english: bool = True) -> KreoNews:
    """Kreo's news index (the one there is, e.g. the demo's, or a new one) and a new article,
    published, and (``english``) their translations.

    Tests that capture on-commit callbacks call it inside a capture of its own: what it
    publishes is one batch, sent there, and the test's change starts the next one."""
    home = village.home_pages.get(locale__language_code="id")
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = publish(home.add_child(instance=NewsIndexPage(title="Berita", slug="berita")))
    news = index.add_child(
        instance=NewsPage(title=title, slug=NEWS_SLUG, summary="Gabah kering panen melimpah.")
    )
    publish(news)
    en_index = en_news = None
    if english:
        en = Locale.objects.get(language_code="en")
        en_index = NewsIndexPage.objects.filter(
            translation_key=index.translation_key, locale=en
        ).first() or publish(index.copy_for_translation(en))
        en_news = publish(news.copy_for_translation(en))
    return KreoNews(index, news, en_index, en_news)


@pytest.fixture
def news_in_kreo(kreo, django_capture_on_commit_callbacks):
    """Makes Kreo's news, its purges sent and forgotten: the test's change starts afresh."""

    def make(*, english: bool = True) -> KreoNews:
        with django_capture_on_commit_callbacks(execute=True):
            pages = add_kreo_news(kreo, english=english)
        SENT.clear()
        return pages

    return make


# -- Which URLs (no Varnish) ------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_in_kreo_purges_kreo_and_the_portal_only(
    kandang, front_cache, news_in_kreo, django_capture_on_commit_callbacks
):
    pages = news_in_kreo()
    with django_capture_on_commit_callbacks(execute=True):
        pages.news.title = "Panen raya melimpah di Kreo"
        publish(pages.news)
    kreo_root = "http://kreo.localhost"
    index, en_index = pages.index.get_full_url(), pages.en_index.get_full_url()
    assert (index, en_index) == (f"{kreo_root}/berita/", f"{kreo_root}/en/{pages.en_index.slug}/")
    expected = {
        # the article in both languages
        f"{index}{NEWS_SLUG}/",
        f"{en_index}{NEWS_SLUG}/",
        # its listings and feeds
        index,
        f"{index}feed/",
        f"{index}feed/atom/",
        en_index,
        f"{en_index}feed/",
        f"{en_index}feed/atom/",
        # the village home pages and the sitemap
        f"{kreo_root}/",
        f"{kreo_root}/en/",
        f"{kreo_root}/sitemap.xml",
        # the portal's pages with every village's news
        f"http://{PORTAL_HOST}/",
        f"http://{PORTAL_HOST}/berita/",
        f"http://{PORTAL_HOST}/berita/feed/",
    }
    urls = purged()
    assert expected <= urls
    assert {urlsplit(url).netloc for url in urls} == {"kreo.localhost", PORTAL_HOST}
    assert not any(kandang.site.hostname in url for url in urls)
    assert banned() == set()  # an article is not on every page of the village


@pytest.mark.django_db
def test_an_event_index_purges_its_calendar(
    kreo, cdn_front_cache, django_capture_on_commit_callbacks
):
    from core.website.models import EventIndexPage

    home = kreo.home_pages.get(locale__language_code="id")
    with django_capture_on_commit_callbacks(execute=True):
        agenda = EventIndexPage.objects.child_of(home).first() or home.add_child(
            instance=EventIndexPage(title="Agenda", slug="agenda")
        )
        publish(agenda)
    assert f"{agenda.get_full_url()}ical/" in purged()
    assert f"http://{PORTAL_HOST}/" not in purged()  # no news involved


@pytest.mark.django_db
def test_purges_wait_for_the_commit(front_cache, news_in_kreo, django_capture_on_commit_callbacks):
    pages = news_in_kreo(english=False)
    with django_capture_on_commit_callbacks() as callbacks:
        publish(pages.news)
        pages.news.unpublish()
    assert SENT == []  # nothing while the transaction is open
    assert len(callbacks) >= 1
    pending = [c for c in callbacks if isinstance(c, frontend_cache._Pending)]
    assert len(pending) == 1  # one batch per transaction, whatever the number of signals
    assert callbacks[-1] is pending[0]  # after the page cache's bumps
    for callback in callbacks:
        callback()
    assert pages.news.get_full_url() in purged()


@pytest.mark.django_db
def test_nothing_is_sent_without_a_front_cache(
    kreo, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    sent = []
    monkeypatch.setattr(frontend_cache, "dispatch", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        pages = add_kreo_news(kreo, english=False)
        set_plugin_enabled([kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
        pages.news.delete()
    assert sent == []


@pytest.mark.django_db
def test_unpublish_and_delete_purge_the_page_and_its_listings(
    front_cache, news_in_kreo, django_capture_on_commit_callbacks
):
    pages = news_in_kreo(english=False)
    article = f"http://kreo.localhost/berita/{NEWS_SLUG}/"
    for change in (pages.news.unpublish, pages.news.delete):
        SENT.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert {article, "http://kreo.localhost/berita/", "http://kreo.localhost/"} <= purged()
        assert f"http://{PORTAL_HOST}/berita/" in purged()


@pytest.mark.django_db
def test_a_move_purges_the_old_and_the_new_urls(
    kreo, cdn_front_cache, news_in_kreo, settings, django_capture_on_commit_callbacks
):
    pages = news_in_kreo(english=False)
    home = kreo.home_pages.get(locale__language_code="id")
    with django_capture_on_commit_callbacks(execute=True):
        pages.news.move(home, pos="last-child")
    assert f"http://kreo.localhost/berita/{NEWS_SLUG}/" in purged()  # gone from here
    assert f"http://kreo.localhost/{NEWS_SLUG}/" in purged()
    assert "http://kreo.localhost/berita/" in purged()  # the listing it left
    # Now a child of the home page, in the menu of every page: the whole village.
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news = NewsPage.objects.get(pk=pages.news.pk)  # back: at depth 3 before the move
        news.move(NewsIndexPage.objects.get(pk=pages.index.pk), pos="last-child")
    assert banned() == {"kreo.localhost"}
    assert f"http://{PORTAL_HOST}/" in purged()


@pytest.mark.django_db
def test_a_section_page_bans_its_village(
    front_cache, news_in_kreo, django_capture_on_commit_callbacks
):
    pages = news_in_kreo(english=False)
    with django_capture_on_commit_callbacks(execute=True):
        pages.index.title = "Kabar desa"
        publish(pages.index)
    assert banned() == {"kreo.localhost"}
    # the ban covers the village's URLs; the portal lists its news, on another host
    assert {urlsplit(url).netloc for url in purged()} == {PORTAL_HOST}


@pytest.mark.django_db
def test_a_plugin_switch_bans_that_village_only(
    kreo, kandang, front_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_plugin_enabled([kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert banned() == {"kreo.localhost"}
    assert purged() == set()


@pytest.mark.django_db
def test_without_bans_every_known_url_of_the_village_is_purged(
    kreo, kandang, cdn_front_cache, news_in_kreo, django_capture_on_commit_callbacks
):
    pages = news_in_kreo()
    with django_capture_on_commit_callbacks(execute=True):
        set_plugin_enabled([kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    urls = purged()
    assert {
        "http://kreo.localhost/",
        "http://kreo.localhost/en/",
        pages.news.get_full_url(),
        pages.en_news.get_full_url(),
        "http://kreo.localhost/berita/feed/",
        "http://kreo.localhost/sitemap.xml",
    } <= urls
    assert {urlsplit(url).netloc for url in urls} == {"kreo.localhost"}


@pytest.mark.django_db
def test_a_village_change_bans_it_and_purges_the_portal(
    kreo, front_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kreo.name = "Kreyo"
        kreo.save()
    assert banned() == {"kreo.localhost"}
    assert f"http://{PORTAL_HOST}/" in purged()


@pytest.mark.django_db
def test_a_new_hostname_bans_the_old_one_too(kreo, front_cache, django_capture_on_commit_callbacks):
    site = kreo.site
    with django_capture_on_commit_callbacks(execute=True):
        site.hostname = "kreyo.localhost"
        site.save()
    assert banned() == {"kreo.localhost", "kreyo.localhost"}


# -- The Varnish backend (a fake cache) -------------------------------------------------------


class _FakeCache(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept-alive connections, as Varnish
    requests: list[tuple[str, str, str, int]] = []

    def _answer(self):
        self.requests.append((self.command, self.headers["Host"], self.path, self.client_address))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_BAN = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_cache():
    _FakeCache.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeCache)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_varnish_backend_purges_and_bans_over_one_connection(fake_cache):
    port = fake_cache.server_address[1]
    backend = frontend_cache.VarnishBackend({"LOCATION": f"http://127.0.0.1:{port}"})
    backend.purge_batch(
        [
            "http://kreo.localhost:8000/berita/",
            "http://kreo.localhost:8000/berita/feed/",
            "https://kreo.desa.example.id/berita/?page=2",
        ]
    )
    backend.ban_hosts(["kandang.localhost:8000"])
    requests = _FakeCache.requests
    assert [(method, host, path) for method, host, path, _client in requests] == [
        ("PURGE", "kreo.localhost:8000", "/berita/"),
        ("PURGE", "kreo.localhost:8000", "/berita/feed/"),
        ("PURGE", "kreo.desa.example.id", "/berita/"),
        ("BAN", "kandang.localhost:8000", "/"),
    ]
    assert len({client for *_rest, client in requests[:3]}) == 1  # one connection for the batch


@pytest.mark.django_db
def test_a_publish_succeeds_while_the_front_cache_is_down(
    settings, caplog, news_in_kreo, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "core.website.frontend_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
            "TIMEOUT": 1,
        }
    }
    pages = news_in_kreo(english=False)
    caplog.clear()
    caplog.set_level(logging.ERROR, logger="sidekem.frontend_cache")
    with django_capture_on_commit_callbacks(execute=True):
        pages.news.title = "Tetap terbit"
        publish(pages.news)
    assert NewsPage.objects.get(pk=pages.news.pk).live
    assert "unreachable" in caplog.text


# -- End to end through varnishd --------------------------------------------------------------


def _varnishd() -> str:
    if os.path.isfile(VARNISHD) and os.access(VARNISHD, os.X_OK):
        return VARNISHD
    reason = f"varnishd not found at {VARNISHD} (apt-get install varnish, or set SIDEKEM_VARNISHD)"
    if os.environ.get("SIDEKEM_REQUIRE_SERVICES"):
        pytest.fail(f"{reason}; SIDEKEM_REQUIRE_SERVICES requires it", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_vcl(backend_port: int) -> str:
    """deploy/varnish/sidekem.vcl as shipped, with the live server as its backend."""
    text, count = re.subn(r'\.port = "8000";', f'.port = "{backend_port}";', VCL.read_text())
    assert count == 1, "the backend port of deploy/varnish/sidekem.vcl moved"
    return text


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


class Varnish:
    def __init__(self, port: int, backend_port: int):
        self.port = port
        self.backend_port = backend_port

    def host(self, hostname: str) -> str:
        """The Host visitors send: the sites' address is the live server's port."""
        return f"{hostname}:{self.backend_port}"

    def request(
        self, method: str, hostname: str, path: str = "/", *, source: str = "127.0.0.1", **headers
    ) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, headers={"Host": self.host(hostname), **headers})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def get(self, hostname: str, path: str = "/", **headers) -> Answer:
        return self.request("GET", hostname, path, **headers)


@pytest.fixture(scope="module")
def varnish(live_server, tmp_path_factory):
    """varnishd with the shipped VCL on a free port, in front of the live server."""
    binary = _varnishd()
    backend_port = urlsplit(live_server.url).port
    workdir = tmp_path_factory.mktemp("varnish")
    vcl = workdir / "sidekem.vcl"
    vcl.write_text(render_vcl(backend_port))
    port = _free_port()
    log = (workdir / "varnishd.log").open("w")
    # -F: foreground child of this process; -j none: no privilege separation (the work
    # directory under the test's tmp is not the varnish user's); -T none: no admin port.
    process = subprocess.Popen(
        [
            binary,
            "-F",
            "-j",
            "none",
            "-n",
            str(workdir / "n"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-f",
            str(vcl),
            "-s",
            "malloc,32m",
            "-p",
            "thread_pools=1",
            "-p",
            "thread_pool_min=5",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.flush()
                pytest.fail(
                    "varnishd exited:\n" + (workdir / "varnishd.log").read_text(), pytrace=False
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("varnishd did not start listening", pytrace=False)
                time.sleep(0.2)
        yield Varnish(port, backend_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@dataclass
class World:
    kreo: object
    kandang: object
    news: KreoNews


@pytest.fixture
def world(varnish, settings) -> World:
    """Portal, Kreo and Kandang on the live server's port (committed: transactional tests), Kreo
    with news; the page cache on, the front cache pointing at this varnishd."""
    port = varnish.backend_port
    ensure_district_portal(hostname=PORTAL_HOST, port=port)
    villages = []
    for spec in (KREO, KANDANG):
        village = provision_village(replace(spec, port=port)).village
        site = village.site
        if (site.hostname, site.port) != (spec.hostname, port):
            site.hostname, site.port = spec.hostname, port
            site.save()
        villages.append(village)
    news = add_kreo_news(villages[0])
    settings.SIDEKEM_PAGE_CACHE_SECONDS = 300
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "core.website.frontend_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{varnish.port}",
        }
    }
    cache.clear()
    return World(*villages, news)


def _twice(varnish: Varnish, hostname: str, path: str = "/") -> Answer:
    """Fetch until cached: the second answer must be a hit."""
    first = varnish.get(hostname, path)
    assert first.status == 200, (hostname, path, first.status)
    second = varnish.get(hostname, path)
    assert second.cache == "HIT", (hostname, path, first.headers, second.headers)
    assert second.body == first.body
    return second


@pytest.mark.varnish
def test_a_publish_reaches_visitors_through_varnish(varnish, world):
    kreo = world.kreo.site.hostname
    kandang = world.kandang.site.hostname
    article = f"/berita/{NEWS_SLUG}/"
    first = varnish.get(kreo, article)
    assert first.status == 200 and first.cache == "MISS"
    assert "s-maxage" in first.headers["Cache-Control"]
    assert "Panen raya di Kreo" in _twice(varnish, kreo, article).body
    for path in ("/berita/", "/berita/feed/", "/"):
        assert "Panen raya di Kreo" in _twice(varnish, kreo, path).body
    kandang_home = _twice(varnish, kandang, "/").body
    assert "Panen raya di Kreo" in _twice(varnish, PORTAL_HOST, "/").body

    # An editor publishes a change; the purge runs once the publish has committed.
    news = NewsPage.objects.get(pk=world.news.news.pk)
    news.title = "Panen raya melimpah"
    publish(news)

    for hostname, path in (
        (kreo, article),
        (kreo, "/berita/"),
        (kreo, "/berita/feed/"),
        (kreo, "/"),
        (PORTAL_HOST, "/"),
    ):
        fresh = varnish.get(hostname, path)
        assert fresh.cache == "MISS", (hostname, path)
        assert "Panen raya melimpah" in fresh.body, (hostname, path)
    assert varnish.get(kreo, article).cache == "HIT"  # and cached again
    untouched = varnish.get(kandang, "/")
    assert untouched.cache == "HIT" and untouched.body == kandang_home


@pytest.mark.varnish
def test_a_plugin_switch_bans_one_village(varnish, world):
    kreo = world.kreo.site.hostname
    kandang = world.kandang.site.hostname
    _twice(varnish, kreo, "/")
    _twice(varnish, kreo, f"/berita/{NEWS_SLUG}/")
    _twice(varnish, kandang, "/")
    set_plugin_enabled([world.kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert varnish.get(kreo, "/").cache == "MISS"
    assert varnish.get(kreo, f"/berita/{NEWS_SLUG}/").cache == "MISS"
    assert varnish.get(kandang, "/").cache == "HIT"


@pytest.mark.varnish
def test_what_varnish_never_caches(varnish, world):
    kreo = world.kreo.site.hostname
    _twice(varnish, kreo, "/")
    # a session (an editor): always from the application
    for _ in range(2):
        assert varnish.get(kreo, "/", Cookie="sessionid=abc").cache == "MISS"
    # other cookies do not stop a visitor from getting the cached page
    assert varnish.get(kreo, "/", Cookie="csrftoken=abc; _ga=1").cache == "HIT"
    for path in ("/admin/login/", "/i18n/setlang/", "/documents/1/x.pdf"):
        varnish.get(kreo, path)
        assert varnish.get(kreo, path).cache == "MISS", path
    posted = varnish.request("POST", kreo, "/", Cookie="csrftoken=abc")
    assert posted.cache == "MISS"
    # PURGE and BAN only straight from the application's addresses, not through a proxy there
    for method in ("PURGE", "BAN"):
        assert varnish.request(method, kreo, "/", source="127.0.0.2").status == 405, method
        relayed = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        for name, value in relayed.items():
            assert varnish.request(method, kreo, "/", **{name: value}).status == 405, name
    assert varnish.get(kreo, "/").cache == "HIT"
    assert varnish.request("PURGE", kreo, "/").status == 200
    assert varnish.get(kreo, "/").cache == "MISS"


@pytest.mark.varnish
def test_tracking_parameters_share_one_cache_object(varnish, world):
    kreo = world.kreo.site.hostname
    article = f"/berita/{NEWS_SLUG}/"
    cached = _twice(varnish, kreo, article)
    for shared in (
        f"{article}?fbclid=IwAR0abc",
        f"{article}?utm_source=whatsapp&utm_medium=social",
        f"{article}?utm_campaign=panen&fbclid=x&gclid=y",
    ):
        answer = varnish.get(kreo, shared)
        assert answer.cache == "HIT", shared
        assert answer.body == cached.body
    # a parameter the page may read keeps its own object; the tracking part is still dropped
    paged = varnish.get(kreo, "/berita/?page=2&utm_source=wa")
    assert paged.cache == "MISS"
    assert varnish.get(kreo, "/berita/?page=2").cache == "HIT"
