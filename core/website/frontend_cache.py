"""The front cache (Varnish, or a CDN) forgets what a change made stale, once it is committed.

Wagtail's frontend-cache backends do the sending (``WAGTAILFRONTENDCACHE`` in
site/sidekem_site/settings/base.py; empty, nothing is sent). Wagtail's own app and its signal
handlers are not installed: they purge only the page itself. Here a change to a village's page
purges what shows it, all on that village's host, never another village's:

* the page and its other language versions, with their routes (feeds, iCalendar);
* their parents up to the village home page (listings, the home page's latest items), with
  their routes: a news article purges the news index, its RSS and Atom feeds and the home page;
* ``/sitemap.xml`` of the host;
* when news is involved, the district portal's pages (``/``, ``/berita/``, ``/berita/feed/``
  and their translations), which list every village's latest news;
* when the home page or one of its direct children changes (the header and menu of every page,
  core/website/queries.py and core/website/templatetags/sidekem_tags.py), the whole host.

A whole host (a plugin switch, the village's record, site settings or view restrictions) is a
``BAN`` with :class:`VarnishBackend` (deploy/varnish/sidekem.vcl); backends without bans (CDNs)
get every known URL of that site instead. Moves purge the old URLs of the moved pages too.

What a transaction makes stale is gathered in one :class:`_Pending` batch, run by
``transaction.on_commit`` (robust: a failure is logged and never undoes or fails the change),
after the page cache's own after-commit bumps (core/website/cache.py; core/website/
signal_handlers.py bumps before it collects), so a refetch never finds the old page there.
The batch goes to a Celery task (the worker sends it; in process without Redis). Backends log
what they cannot send.
"""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils.encoding import iri_to_uri
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from core.villages.lookup import village_id_for_page
from core.villages.models import Village
from core.website.models import DistrictHomePage, NewsPage

logger = logging.getLogger("sidekem.frontend_cache")

#: A village's home page is at depth 2; it and its children (depth 3) appear on every page.
SECTION_DEPTH = 3
SITEMAP_PATH = "/sitemap.xml"
USER_AGENT = f"Sidekem-frontendcache (Wagtail {wagtail_version})"


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# -- Varnish ----------------------------------------------------------------------------------


class VarnishBackend(BaseBackend):
    """``PURGE`` a page (every query string of its path) or ``BAN`` a whole host, as
    deploy/varnish/sidekem.vcl understands them, over one kept-alive connection.

    Params: ``LOCATION`` (``http://127.0.0.1:6081``), ``TIMEOUT`` in seconds per request
    (default 2). An unreachable cache is logged once per batch and the rest of the batch is
    dropped; nothing is raised.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.https = location.scheme == "https"
        self.address = location.hostname or "127.0.0.1"
        self.port = location.port or (443 if self.https else 80)
        self.timeout = float(params.get("TIMEOUT", 2))

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls: Iterable[str]) -> None:
        targets = []
        for url in urls:
            parts = urlsplit(url)
            targets.append((parts.netloc, iri_to_uri(parts.path or "/")))
        self._send("PURGE", targets)

    def ban_hosts(self, hosts: Iterable[str]) -> None:
        self._send("BAN", [(host, "/") for host in hosts])

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        return cls(self.address, self.port, timeout=self.timeout)

    def _send(self, method: str, targets: list[tuple[str, str]]) -> int:
        """Send each request; returns how many the cache accepted."""
        accepted = done = 0
        connection: http.client.HTTPConnection | None = None
        try:
            for host, path in targets:
                reused = connection is not None
                if connection is None:
                    connection = self._connect()
                try:
                    status = self._request(connection, method, host, path)
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    if not reused:
                        raise
                    connection.close()  # the cache closed the kept-alive connection: once more
                    connection = self._connect()
                    status = self._request(connection, method, host, path)
                done += 1
                if status == 200:
                    accepted += 1
                else:
                    logger.error("Front cache refused %s %s%s: HTTP %s", method, host, path, status)
        except (OSError, http.client.HTTPException) as exc:
            logger.error(
                "Front cache at %s:%s unreachable (%s): %d of %d %s requests not sent",
                self.address,
                self.port,
                exc,
                len(targets) - done,
                len(targets),
                method,
            )
        finally:
            if connection is not None:
                connection.close()
        if accepted:
            logger.info("Front cache: %d %s request(s) accepted", accepted, method)
        return accepted

    @staticmethod
    def _request(connection: http.client.HTTPConnection, method: str, host: str, path: str) -> int:
        connection.request(method, path, headers={"Host": host, "User-Agent": USER_AGENT})
        response = connection.getresponse()
        response.read()
        return response.status


# -- Which URLs -------------------------------------------------------------------------------


class _Urls:
    """URLs and whole hosts to invalidate; also Wagtail's cache object for site root paths."""

    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.hosts: set[str] = set()

    def add_page(self, page: Page) -> str | None:
        """The page's URL and its cached paths (its routes without arguments); its host."""
        url = page.get_full_url(self)
        if not url:
            return None
        paths = {"/", *page.specific_deferred.get_cached_paths(), *_routes(page)}
        self.urls.update(url + path.lstrip("/") for path in paths)
        parts = urlsplit(url)
        self.urls.add(f"{parts.scheme}://{parts.netloc}{SITEMAP_PATH}")
        return parts.netloc


def _routes(page: Page) -> set[str]:
    specific = page.specific_deferred
    if not isinstance(specific, RoutablePageMixin):
        return set()
    paths = set()
    for pattern in specific.get_subpage_urls():
        if pattern.name and not pattern.pattern.regex.groups:
            try:
                paths.add(specific.reverse_subpage(pattern.name))
            except NoReverseMatch:
                continue
    return paths


def _add_page_event(urls: _Urls, page: Page, *, subtree: bool) -> None:
    """What publishing, unpublishing, deleting (``subtree=False``; each deleted page has its own
    signal) or moving (``subtree=True``) ``page`` makes stale."""
    pages = list(page.get_descendants(inclusive=True)) if subtree else [page]
    keys = {p.translation_key for p in pages}
    versions = list(Page.objects.filter(translation_key__in=keys)) or pages
    for version in versions:
        urls.add_page(version)
    tops = [v for v in versions if v.translation_key == page.translation_key] or [page]
    for top in tops:
        for ancestor in top.get_ancestors().filter(depth__gte=2):
            urls.add_page(ancestor)
        host = urls.add_page(top)
        if host and top.depth <= SECTION_DEPTH:
            urls.hosts.add(host)
    if village_id_for_page(page) is not None and (
        NewsPage.objects.descendant_of(page, inclusive=True).exists()
    ):
        _add_portal(urls)


def _add_portal(urls: _Urls) -> None:
    for portal in DistrictHomePage.objects.all():
        urls.add_page(portal)


def _host_of_site(site: Site | None) -> str | None:
    return urlsplit(site.root_url).netloc if site is not None else None


def known_site_urls(hosts: Iterable[str]) -> set[str]:
    """Every URL the front cache may hold for these hosts: each live page of the site's trees
    (every language) with its routes, and the sitemap. For backends that cannot ban a host."""
    wanted = set(hosts)
    urls = _Urls()
    for site in Site.objects.select_related("root_page"):
        if _host_of_site(site) not in wanted:
            continue
        roots = Page.objects.filter(translation_key=site.root_page.translation_key)
        for root in roots:
            for page in Page.objects.live().filter(path__startswith=root.path):
                urls.add_page(page)
    return {url for url in urls.urls if urlsplit(url).netloc in wanted}


# -- After commit -----------------------------------------------------------------------------


class _Pending(_Urls):
    """What one transaction made stale; called once, after it commits."""

    done = False

    def __call__(self) -> None:
        self.done = True
        if self.urls or self.hosts:
            dispatch(sorted(self.urls), sorted(self.hosts))


def _collect(fill: Callable[[_Pending], None]) -> None:
    """Add to this transaction's batch (registered on first use); in autocommit, send now.

    The batch stays the last on-commit callback registered so far, so it runs after the page
    cache's bumps of the same changes (their callers bump first, then come here).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        pending = _Pending()
        fill(pending)
        pending()
        return
    hooks = connection.run_on_commit  # [(savepoint ids, callback, robust), ...]
    for entry in hooks:
        if isinstance(entry[1], _Pending) and not entry[1].done:
            fill(entry[1])
            hooks.remove(entry)
            hooks.append(entry)
            return
    pending = _Pending()
    fill(pending)
    transaction.on_commit(pending, robust=True)


def dispatch(urls: list[str], hosts: list[str]) -> None:
    try:
        purge_front_cache.delay(urls, hosts)
    except Exception:  # the broker is down: send from here rather than not at all
        logger.warning("Front cache task not queued; sending from this process", exc_info=True)
        send(urls, hosts)


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def purge_front_cache(urls: list[str], hosts: list[str]) -> None:
    send(urls, hosts)


def send(urls: list[str], hosts: list[str]) -> None:
    """Purge ``urls`` and ban ``hosts`` on every configured backend; errors are logged."""
    try:
        backends = get_backends()
    except Exception:
        logger.exception("Front cache misconfigured (WAGTAILFRONTENDCACHE)")
        return
    site_urls: set[str] | None = None
    for name, backend in backends.items():
        own_hosts = {host for host in hosts if backend.invalidates_hostname(host)}
        own_urls = {url for url in urls if backend.invalidates_hostname(urlsplit(url).netloc)}
        try:
            if own_hosts and hasattr(backend, "ban_hosts"):
                backend.ban_hosts(sorted(own_hosts))
                own_urls = {url for url in own_urls if urlsplit(url).netloc not in own_hosts}
            elif own_hosts:
                if site_urls is None:
                    site_urls = known_site_urls(hosts)
                own_urls |= {url for url in site_urls if urlsplit(url).netloc in own_hosts}
            if own_urls:
                backend.purge_batch(sorted(own_urls))
        except Exception:
            logger.exception("Front cache backend %r failed", name)


# -- Events (core/website/signal_handlers.py) -------------------------------------------------

_moving = threading.local()


def page_changed(page: Page) -> None:
    """Published, unpublished, or about to be deleted."""
    if enabled():
        _collect(lambda pending: _add_page_event(pending, page, subtree=False))


def page_moving(page: Page) -> None:
    """Before a move (Wagtail sends this outside the move's transaction): the old URLs, kept
    until :func:`page_moved`."""
    if enabled():
        old = _Urls()
        _add_page_event(old, page, subtree=True)
        if not hasattr(_moving, "urls"):
            _moving.urls = {}
        _moving.urls[page.pk] = old


def page_moved(page: Page) -> None:
    old = getattr(_moving, "urls", {}).pop(page.pk, None)
    if not enabled():
        return

    def fill(pending: _Pending) -> None:
        if old is not None:
            pending.urls |= old.urls
            pending.hosts |= old.hosts
        _add_page_event(pending, page, subtree=True)

    _collect(fill)


def site_changed(
    site: Site | int | None, *, portal: bool = False, extra_hosts: Iterable[str] = ()
) -> None:
    """Everything on the site's host (and ``extra_hosts``); ``portal``: the portal's pages."""
    if not enabled():
        return
    if isinstance(site, int):
        site = Site.objects.filter(pk=site).first()
    hosts = {host for host in (_host_of_site(site), *extra_hosts) if host}

    def fill(pending: _Pending) -> None:
        pending.hosts |= hosts
        if portal:
            _add_portal(pending)

    _collect(fill)


def village_changed(village_id: int | None, *, portal: bool = False) -> None:
    """Everything on the village's host (a plugin switch, its record); ``portal``: the portal's
    pages too (they list villages by name)."""
    if enabled():
        site_id = Village.objects.filter(pk=village_id).values_list("site_id", flat=True).first()
        site_changed(site_id, portal=portal)


def host_of_page(page: Page) -> str | None:
    url = page.get_full_url()
    return urlsplit(url).netloc if url else None


def page_site_changed(page: Page) -> None:
    """Everything on the host of ``page`` (e.g. a view restriction hides a subtree everywhere)."""
    if enabled():
        host = host_of_page(page)
        site_changed(None, extra_hosts=[host] if host else [])
