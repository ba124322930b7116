"""Parts of public pages kept in the shared cache between changes of their site.

The whole-page cache (core/website/cache.py) answers repeat visitors; this one makes the pages it
misses (and every page with the page cache off) cheaper to build. A fragment is a piece of
rendered HTML (the menu, the footer, the news cards of the home page, an article's body) or a
small piece of data (a village's sections, a page's translations, the page a path routes to,
the home page's upcoming events until the first of them is over) stored under

    (site, generation of the site, language, name, the values it varies with)

so it is built once per generation and language and then read with one cache round trip. The
generation is the page cache's: publishing, unpublishing, moving or deleting a page of the
village, switching one of its plugins, changing its record, its site settings or its data bumps
it (core/website/signal_handlers.py, core/villagedata/signal_handlers.py), and every fragment
of that site (and of the district portal, which lists every village's news) is rebuilt on its
next use. Fragments that depend on the date vary with it (``today``); old entries simply expire
after ``SIDEKEM_FRAGMENT_CACHE_SECONDS`` (0 switches fragments off). Like whole pages, fragments
rendered by the templates of a previous release stay until then: clear the cache when deploying
template changes. The key also holds a digest of INSTALLED_APPS, so data fragments (pickled
pages) are never read by a deployment without their app.

What is never cached: anything personal. Fragments are only read or stored for GET and HEAD
requests that are not previews (a preview shows a draft), and a fragment whose rendering used
the CSRF token or the messages of the request, or that contains a form token, is returned but
not stored (and logged: the template put something personal in a fragment). Templates use
``{% village_fragment %}`` (core/website/templatetags/fragment_tags.py) only around parts that
are the same for every visitor of the site.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from core.website import cache as page_cache

logger = logging.getLogger("sidekem.fragments")

FRAGMENT_KEY = "sidekem:fragment:v1:{apps}:{site}:{generation}:{lang}:{name}:{digest}"
#: Request attribute: (site id, generation) once known for this request.
GENERATION_ATTR = "_sidekem_generation"
CSRF_FIELD = "csrfmiddlewaretoken"
MISSING = object()

T = TypeVar("T")


@functools.cache
def _apps_digest() -> str:
    """The installed apps, in the key: data fragments hold model instances (pickled), which a
    deployment without one of the apps (a plugin denied) could not read back."""
    return hashlib.blake2b("\n".join(settings.INSTALLED_APPS).encode(), digest_size=4).hexdigest()


def _read(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except Exception:  # an entry this code cannot read back: build it again
        logger.warning("Fragment %s unreadable", key, exc_info=True)
        return default


def fragment_seconds() -> int:
    return int(getattr(settings, "SIDEKEM_FRAGMENT_CACHE_SECONDS", 0) or 0)


def _usable(request: HttpRequest | None) -> bool:
    if request is None or fragment_seconds() <= 0:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return False
    return "preview" not in request.META.get("QUERY_STRING", "").lower()


def request_generation(request: HttpRequest) -> tuple[int, int] | None:
    """(site id, generation) of the request's site, read once per request."""
    site = Site.find_for_request(request)  # found once per request (VillageMiddleware)
    if site is None:
        return None
    known = getattr(request, GENERATION_ATTR, None)  # the page cache read it (a miss)
    if known is not None and known[0] == site.pk:
        return known
    known = (site.pk, page_cache.site_generation(site.pk))
    setattr(request, GENERATION_ATTR, known)
    return known


def _vary_part(value: Any) -> str:
    if isinstance(value, Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)) or (
        hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))
    ):
        parts = [_vary_part(item) for item in value]
        return "[" + ",".join(sorted(parts) if isinstance(value, (set, frozenset)) else parts) + "]"
    return repr(value)  # quoted and escaped: no two lists of values read the same


def fragment_key(request: HttpRequest | None, name: str, vary: Iterable[Any] = ()) -> str | None:
    """The cache key of fragment ``name`` for this request, or None where fragments are off."""
    if not _usable(request):
        return None
    assert request is not None
    known = request_generation(request)
    if known is None:
        return None
    site_id, generation = known
    digest = hashlib.blake2b(
        "\x1f".join(_vary_part(value) for value in vary).encode(), digest_size=12
    ).hexdigest()
    return FRAGMENT_KEY.format(
        apps=_apps_digest(),
        site=site_id,
        generation=generation,
        lang=get_language() or settings.LANGUAGE_CODE,
        name=name,
        digest=digest,
    )


class _PersonalUse:
    """Whether rendering used the request's CSRF token or messages: both flags are cleared
    before and restored after, so a use earlier on the page is not mistaken for the fragment's
    and a use by the fragment is not hidden by an earlier one."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.messages = getattr(request, "_messages", None)

    def __enter__(self) -> _PersonalUse:
        self.csrf_before = self.request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
        self.messages_before = getattr(self.messages, "used", False)
        if self.messages is not None:
            self.messages.used = False
        return self

    def __exit__(self, *exc: object) -> None:
        self.used = bool(self.request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or bool(
            getattr(self.messages, "used", False)
        )
        if self.csrf_before is not None:
            self.request.META["CSRF_COOKIE_NEEDS_UPDATE"] = self.csrf_before
        if self.messages is not None and self.messages_before:
            self.messages.used = True


def render_fragment(
    request: HttpRequest | None,
    name: str,
    vary: Iterable[Any],
    render: Callable[[], str],
    secrets: Callable[[], Iterable[str]] = tuple,
) -> SafeString | str:
    """The fragment's HTML from the cache, or ``render()`` stored there for the next request
    unless it used something personal or shows one of ``secrets()`` (e.g. a CSRF token the
    page had already asked for)."""
    key = fragment_key(request, name, vary)
    if key is None:
        return render()
    assert request is not None
    html = _read(key)
    if isinstance(html, str):
        return mark_safe(html)  # noqa: S308 (rendered by our own templates, escaped there)
    with _PersonalUse(request) as personal:
        html = render()
    if personal.used or CSRF_FIELD in html or any(x and x in html for x in secrets()):
        logger.warning("Fragment %r shows something personal: not cached", name)
        return html
    cache.set(key, str(html), fragment_seconds())
    return html


def cached_value(
    request: HttpRequest | None, name: str, vary: Iterable[Any], build: Callable[[], T]
) -> T:
    """Like :func:`render_fragment` for data (picklable) rather than HTML."""
    key = fragment_key(request, name, vary)
    if key is None:
        return build()
    found = _read(key, MISSING)
    if found is not MISSING:
        return found
    value = build()
    cache.set(key, value, fragment_seconds())
    return value


def read_value(
    request: HttpRequest | None, name: str, vary: Iterable[Any]
) -> tuple[str | None, Any]:
    """The key of a data fragment (None where fragments are off) and what the cache holds
    there (:data:`MISSING` if nothing), for callers that decide afterwards what to store."""
    key = fragment_key(request, name, vary)
    return key, (MISSING if key is None else _read(key, MISSING))


def store_value(key: str | None, value: Any) -> None:
    if key is not None:
        cache.set(key, value, fragment_seconds())


def cached_until(
    request: HttpRequest | None,
    name: str,
    vary: Iterable[Any],
    now: datetime,
    build: Callable[[], tuple[T, datetime | None]],
) -> T:
    """Like :func:`cached_value` for data that also changes with time: ``build`` returns the
    value and the moment it may stop being right (None: not before the next change of the
    site); the value is served until then."""
    key = fragment_key(request, name, vary)
    if key is not None:
        found = _read(key)
        if isinstance(found, tuple) and len(found) == 2 and (found[0] is None or now < found[0]):
            return found[1]
    value, until = build()
    if key is not None and (until is None or now < until):
        cache.set(key, (until, value), fragment_seconds())
    return value


def lazy(build: Callable[[], Any]) -> SimpleLazyObject:
    """A context value computed on first use: a list that only a fragment shows costs no query
    when the fragment comes from the cache."""
    return SimpleLazyObject(build)
