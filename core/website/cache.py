"""Public pages at static-file speed: the whole-page cache and HTTP caching, in one middleware.

Lookup first. :class:`PageCacheMiddleware` sits right after SecurityMiddleware and WhiteNoise
(MIDDLEWARE in site/sidekem_site/settings/base.py). An anonymous GET/HEAD (no session or messages
cookie, no Authorization header, no ``preview`` parameter, not under /admin/, /documents/ or
/i18n/) is answered from the shared cache before the session, locale, CSRF, auth and village
middleware run, and without a database query:

* the Site comes from a host map in the shared cache (:func:`site_map`, making Wagtail's own
  choice of ``Site.find_for_request`` from it: :func:`resolve_site_id`); the map is rebuilt after
  a Site is saved or deleted. Each process resolves with its own copy and reads the shared map
  in the same ``get_many`` as the page, trusting the copy only while the two are equal: a hit
  is one cache round trip;
* campaign and click identifiers (``utm_*``, ``fbclid``...) are dropped from the query first
  (:func:`drop_tracking_parameters`): one entry per page however it was shared;
* the language comes from the URL prefix as LocaleMiddleware takes it (``/en/...`` English,
  anything else Indonesian: i18n_patterns with prefix_default_language=False, in
  site/sidekem_site/urls.py);
* an entry sits under (site, day, language, digest of scheme, host and path with query) and
  carries the generation of its site it was rendered under; it is served only while that is
  still the site's generation. One ``get_many`` reads the host map, the generation, the time
  of the site's last change and the entry.

Store on the way out. The same middleware sees the final response, after the session, CSRF,
messages and locale middleware have added their cookies and Vary headers. A 200 HTML, feed,
calendar or sitemap response is stored only when nothing about it is personal
(:func:`is_personal`: no cookie set, no ``Vary: Cookie`` (a session read or a CSRF token used),
no signed-in user, no preview, not marked by its view with ``request.sidekem_no_page_cache``
as the contact page and search results are) and the Site Wagtail found for it is the one the
map gave.

Invalidation. Publishing, unpublishing, moving or deleting a page of a village, switching one
of its plugins or changing its data bumps the generation of that village's site and of the
district portal (which lists every village's news): core/website/signal_handlers.py and
core/villagedata/signal_handlers.py call :func:`bump_village`. A bump happens at once and again
when the transaction commits, so a page rendered in between from the old rows is not kept.

HTTP. Stored and served pages carry ``Cache-Control: public, max-age=<SIDEKEM_BROWSER_CACHE_
SECONDS>, s-maxage=<SIDEKEM_PROXY_CACHE_SECONDS>``, an ``ETag`` (digest of the body) and a
``Last-Modified`` (the latest of the page's last publication, the site's last change and the
start of the day, since pages change with the date); conditional requests get 304, from the
cache too. Hits carry ``Age``. Every personal response, whatever view or plugin made it, gets
``Cache-Control: private, no-store`` here, with the page cache on or off.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.request import split_domain_port
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_path
from wagtail.models import Site

from core.villages.models import Village

GENERATION_KEY = "sidekem:pagecache:gen:{}"
CHANGED_KEY = "sidekem:pagecache:changed:{}"
PAGE_KEY = "sidekem:pagecache:v2:{site}:{day}:{lang}:{digest}"
SITE_MAP_KEY = "sidekem:pagecache:site-map:v1"
SITE_MAP_SECONDS = 3600  # rebuilt on every Site change; the timeout only bounds a missed one
CACHE_HEADER = "X-Sidekem-Cache"
#: Views set this attribute on the request to keep their response out of every cache.
NO_CACHE_ATTR = "sidekem_no_page_cache"
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "text/calendar",
    "application/xml",
)
UNCACHED_PATHS = ("/admin/", "/documents/", "/i18n/")
# Campaign and click identifiers added to shared links; dropped from cacheable requests.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "msclkid", "igshid", "mc_cid", "mc_eid"})
TRACKING_MARKS = ("utm_", *TRACKING_PARAMETERS)
PRIVATE_PATHS = ("/admin/",)
DEFAULT_BROWSER_SECONDS = 60
# Wagtail's order of preference among the sites of a hostname (its get_site_for_hostname).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = 0, 1, 2, 3

#: hostname -> ((port, site id, is default), ...), and (hostname, id) of the default site.
SiteMap = tuple[dict[str, tuple[tuple[int, int, bool], ...]], tuple[str, int] | None]


def timeout() -> int:
    """Seconds a page stays in the shared cache; 0 switches the page cache off."""
    return int(getattr(settings, "SIDEKEM_PAGE_CACHE_SECONDS", 0) or 0)


def browser_seconds() -> int:
    return int(getattr(settings, "SIDEKEM_BROWSER_CACHE_SECONDS", DEFAULT_BROWSER_SECONDS))


def proxy_seconds() -> int:
    value = getattr(settings, "SIDEKEM_PROXY_CACHE_SECONDS", None)
    return timeout() if value is None else int(value)


# --- Sites without the database ------------------------------------------------------------


def _build_site_map() -> SiteMap:
    by_host: dict[str, list[tuple[int, int, bool]]] = {}
    default = None
    rows = Site.objects.values_list("pk", "hostname", "port", "is_default_site")
    for pk, hostname, port, is_default in rows:
        by_host.setdefault(hostname, []).append((port, pk, is_default))
        if is_default:
            default = (hostname, pk)
    return {host: tuple(entries) for host, entries in by_host.items()}, default


#: This process's copy of the host map: a cache hit resolves its site with it and reads the
#: shared map along with the page (one round trip), using the copy only while they are equal.
_local_site_map: SiteMap | None = None


def site_map() -> SiteMap:
    global _local_site_map
    data = cache.get(SITE_MAP_KEY)
    if data is None:
        data = _build_site_map()
        cache.set(SITE_MAP_KEY, data, SITE_MAP_SECONDS)
    _local_site_map = data
    return data


def resolve_site_id(data: SiteMap, hostname: str, port: int) -> int | None:
    """The id of the Site that ``Site.find_for_request`` finds for this hostname and port."""
    by_host, default = data
    matches = [
        (
            MATCH_HOSTNAME_PORT
            if site_port == port
            else MATCH_HOSTNAME_DEFAULT
            if is_default
            else MATCH_HOSTNAME,
            pk,
        )
        for site_port, pk, is_default in by_host.get(hostname, ())
    ]
    if default is not None and default[0] != hostname:
        matches.append((MATCH_DEFAULT, default[1]))
    if not matches:
        return None
    matches.sort(key=lambda match: match[0])
    best = matches[0][0]
    if len(matches) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return matches[0][1]
    if best == MATCH_DEFAULT:  # the default, unless exactly one site has this hostname
        return matches[len(matches) == 2][1]
    return None  # several sites with this hostname, none on this port, and no default


def _now_and_on_commit(action: Callable[[], None]) -> None:
    """Run ``action`` now, and again once the current transaction (if any) commits: whatever
    is cached in between from rows not yet committed is dropped by the second run."""
    action()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(action, robust=True)


def _forget_site_map() -> None:
    global _local_site_map
    _local_site_map = None
    cache.delete(SITE_MAP_KEY)  # other processes see their copy differ from it and reload


@receiver([post_save, post_delete], sender=Site, dispatch_uid="sidekem-pagecache-sites")
def _site_changed(sender: Any, instance: Site, **kwargs: Any) -> None:
    _now_and_on_commit(_forget_site_map)
    bump_site(instance.pk)  # a new root page or port changes what its hostname serves


# --- Invalidation --------------------------------------------------------------------------


def _fresh_generation() -> int:
    # Microseconds since the epoch: never a generation a site had before, even after the
    # counter was evicted from the cache.
    return time.time_ns() // 1000


def _bump(site_id: int) -> None:
    key = GENERATION_KEY.format(site_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_generation(), None)
    cache.set(CHANGED_KEY.format(site_id), time.time(), None)


def bump_site(site_id: int | None) -> None:
    if site_id:
        _now_and_on_commit(partial(_bump, site_id))


def portal_site_id() -> int | None:
    default = site_map()[1]
    return default[1] if default else None


def bump_village(village_id: int | None) -> None:
    """Invalidate a village's pages and the portal (which shows every village's news)."""
    if village_id:
        bump_site(Village.objects.filter(pk=village_id).values_list("site_id", flat=True).first())
    bump_site(portal_site_id())


# --- What may be cached --------------------------------------------------------------------


def _anonymous_request(request: HttpRequest) -> bool:
    """No session, no messages, no credentials, no preview: the request of a passer-by."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # Any mention of a preview in the query (no parsing: this runs on every request).
    return "preview" not in request.META.get("QUERY_STRING", "").lower()


def is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response may be for this visitor only (never cached anywhere)."""
    if request.path_info.startswith(PRIVATE_PATHS) or not _anonymous_request(request):
        return True
    if getattr(request, NO_CACHE_ATTR, False) or getattr(request, "is_preview", False):
        return True
    if response.cookies or has_vary_header(response, "Cookie"):
        return True  # a cookie set or deleted, a session read, a CSRF token used
    user = getattr(request, "_cached_user", None)  # only if something looked at request.user
    return bool(user is not None and user.is_authenticated)


def mark_private(response: HttpResponseBase) -> None:
    patch_cache_control(response, private=True, no_store=True)


def _storable(request: HttpRequest, response: HttpResponseBase, site_id: int) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.get("Content-Type", "").split(";")[0].strip() not in CACHEABLE_TYPES:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-" in cache_control:
        return False
    site = getattr(request, "_wagtail_site", None)  # set by VillageMiddleware
    if getattr(site, "pk", None) != site_id:
        _forget_site_map()  # the map gave another site than Wagtail: build it again
        return False
    return True


# --- The middleware ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where a request's page would be in the cache."""

    site_id: int
    key: str

    @property
    def generation_key(self) -> str:
        return GENERATION_KEY.format(self.site_id)

    @property
    def changed_key(self) -> str:
        return CHANGED_KEY.format(self.site_id)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path_info.startswith(UNCACHED_PATHS):
        return False
    return _anonymous_request(request)


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def drop_tracking_parameters(request: HttpRequest) -> None:
    """Remove campaign and click identifiers (``utm_*``, ``fbclid``...) from the query: a page
    shared in WhatsApp or Facebook groups comes back with a new ``fbclid`` on every visit. No
    view reads them (analytics read them in the browser), so every visit of one page is one
    cache entry, and the page is rendered as for its plain URL."""
    query = request.META.get("QUERY_STRING", "")
    if not query or not any(mark in query.lower() for mark in TRACKING_MARKS):
        return
    kept = [p for p in query.split("&") if p and not is_tracking_parameter(p.split("=", 1)[0])]
    request.META["QUERY_STRING"] = "&".join(kept)
    request.__dict__.pop("GET", None)  # parsed again from the new query string


def slot_for(request: HttpRequest, data: SiteMap | None = None) -> Slot | None:
    """The cache slot of a request that may be answered from the cache (no database query),
    with its site from ``data`` (default: the shared host map)."""
    if not _cacheable_request(request):
        return None
    try:
        host = request.get_host()
        port = int(request.get_port())
    except (DisallowedHost, ValueError):
        return None  # the rest of the chain answers as it always did
    site_id = resolve_site_id(
        site_map() if data is None else data, split_domain_port(host)[0], port
    )
    if site_id is None:
        return None
    # The host is part of the key: pages carry absolute URLs built from it.
    target = f"{request.scheme}://{host}{request.get_full_path()}"
    key = PAGE_KEY.format(
        site=site_id,
        day=timezone.localdate().isoformat(),
        lang=get_language_from_path(request.path_info) or settings.LANGUAGE_CODE,
        digest=hashlib.sha256(target.encode()).hexdigest()[:32],
    )
    return Slot(site_id, key)


def _start_of_day() -> float:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def _last_modified(response: HttpResponseBase, changed: float) -> int:
    """No earlier than anything the page shows: the page's own publication, the site's last
    change (a listing shows other pages), the start of the day (dates move on)."""
    times = [changed, _start_of_day()]
    context = getattr(response, "context_data", None)
    page = context.get("page") if isinstance(context, dict) else None
    published = getattr(page, "last_published_at", None)
    if isinstance(published, datetime):
        times.append(published.timestamp())
    return int(min(time.time(), max(times)))


def _drop_vary(response: HttpResponseBase, header: str) -> None:
    if not response.has_header("Vary"):
        return
    kept = [v.strip() for v in response["Vary"].split(",") if v.strip()]
    kept = [v for v in kept if v.lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def _make_public(response: HttpResponse, changed: float) -> tuple[str, int]:
    """Add the HTTP caching headers of a public page; its ETag and Last-Modified time."""
    digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
    etag = response.get("ETag") or f'"{digest}"'
    last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or _last_modified(
        response, changed
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if not response.has_header("Cache-Control"):
        patch_cache_control(
            response, public=True, max_age=browser_seconds(), s_maxage=proxy_seconds()
        )
    # The language is in the path, never taken from Accept-Language (LocaleMiddleware adds it to
    # every unprefixed URL all the same).
    _drop_vary(response, "Accept-Language")
    return etag, last_modified


def _answer(
    request: HttpRequest, response: HttpResponse, etag: str, last_modified: int, state: str
) -> HttpResponse:
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    answer = answer or response  # never None when given a response
    if answer is not response and response.has_header("Age"):
        answer["Age"] = response["Age"]
    answer[CACHE_HEADER] = state
    return answer


def _serve(request: HttpRequest, entry: tuple) -> HttpResponse:
    _generation, status, headers, content, etag, last_modified, stored_at = entry
    response = HttpResponse(content, status=status, headers=dict(headers))
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    return _answer(request, response, etag, last_modified, "hit")


def _generation_of(slot: Slot, found: dict) -> int:
    generation = found.get(slot.generation_key)
    if generation is None:
        generation = _fresh_generation()
        cache.add(slot.generation_key, generation, None)
        generation = cache.get(slot.generation_key, generation)
    return generation


def site_generation(site_id: int) -> int:
    """The current generation of a site's pages (core/website/fragments.py keys on it too)."""
    return _generation_of(Slot(site_id, ""), cache.get_many([GENERATION_KEY.format(site_id)]))


def _changed_at(slot: Slot, found: dict) -> float:
    changed = found.get(slot.changed_key)
    if changed is None:
        changed = time.time()  # unknown: the site changed no later than now
        if not cache.add(slot.changed_key, changed, None):
            changed = cache.get(slot.changed_key, changed)
    return changed


def _lookup(request: HttpRequest) -> tuple[Slot | None, dict]:
    """The request's slot and what the cache holds for it, in one round trip: the site comes
    from this process's copy of the host map, and the shared map is read with the page; if they
    differ (a Site changed, or the map expired), once more with the shared map."""
    data = _local_site_map
    if data is not None:
        slot = slot_for(request, data)
        if slot is not None:
            keys = [SITE_MAP_KEY, slot.generation_key, slot.changed_key, slot.key]
            found = cache.get_many(keys)
            if found.get(SITE_MAP_KEY) == data:
                return slot, found
    slot = slot_for(request, site_map())
    if slot is None:
        return None, {}
    return slot, cache.get_many([slot.generation_key, slot.changed_key, slot.key])


class PageCacheMiddleware:
    """Place right after SecurityMiddleware and WhiteNoise: answers cached pages before the rest
    of the chain runs, stores the final response, and marks personal responses private."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = timeout()
        if not seconds or not _cacheable_request(request):
            return self._uncached(request)
        drop_tracking_parameters(request)
        slot, found = _lookup(request)
        if slot is None:
            return self._uncached(request)
        generation = _generation_of(slot, found)
        entry = found.get(slot.key)
        if isinstance(entry, tuple) and len(entry) == 7 and entry[0] == generation:
            return _serve(request, entry)
        request._sidekem_generation = (slot.site_id, generation)  # fragments key on it too
        response = self.get_response(request)
        if is_personal(request, response):
            mark_private(response)
            return response
        if not _storable(request, response, slot.site_id):
            return response
        page = cast(HttpResponse, response)  # not streaming (_storable)
        if isinstance(page, SimpleTemplateResponse) and not page.is_rendered:
            page.render()
        etag, last_modified = _make_public(page, _changed_at(slot, found))
        entry = (generation, page.status_code, tuple(page.items()), page.content)
        cache.set(slot.key, (*entry, etag, last_modified, time.time()), seconds)
        return _answer(request, page, etag, last_modified, "miss")

    def _uncached(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_personal(request, response):
            mark_private(response)
        return response
