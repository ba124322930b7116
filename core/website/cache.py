"""Whole-page cache for anonymous visitors, per (site, language, path), invalidated on publish.

Each site has a generation number in the shared cache; every cached page key includes it, so
publishing, unpublishing, moving or deleting a page of a village (or switching one of its
plugins, or changing its data) makes all of that village's cached pages unreachable at once.
The district portal's generation moves too, because it lists every village's news.
Only anonymous GET/HEAD requests without a session are served from the cache, and only 200
responses that set no cookie and did not use a CSRF token are stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Site

from core.villages.models import Village

GENERATION_KEY = "sidekem:pagecache:gen:{}"
PAGE_KEY = "sidekem:pagecache:{site}:{gen}:{day}:{lang}:{digest}"
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "text/calendar",
    "application/xml",
)


def timeout() -> int:
    return int(getattr(settings, "SIDEKEM_PAGE_CACHE_SECONDS", 0) or 0)


def _generation(site_id: int) -> int:
    key = GENERATION_KEY.format(site_id)
    gen = cache.get(key)
    if gen is None:
        gen = 1
        cache.add(key, gen, None)
        gen = cache.get(key, gen)
    return gen


def bump_site(site_id: int | None) -> None:
    if not site_id:
        return
    key = GENERATION_KEY.format(site_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def bump_village(village_id: int | None) -> None:
    """Invalidate a village's pages and the portal (which shows every village's news)."""
    if village_id:
        bump_site(Village.objects.filter(pk=village_id).values_list("site_id", flat=True).first())
    bump_site(Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first())


def page_key(request, site_id: int) -> str:
    # The host is part of the key: pages carry absolute URLs built from it.
    target = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(target.encode()).hexdigest()[:32]
    return PAGE_KEY.format(
        site=site_id,
        gen=_generation(site_id),
        day=timezone.localdate().isoformat(),
        lang=get_language(),
        digest=digest,
    )


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # editors and anyone with a session see fresh pages
    return not request.path.startswith(("/admin/", "/documents/", "/i18n/"))


def _cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "sidekem_no_page_cache", False):
        return False  # e.g. search results: one entry per query would flood the cache
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page embeds this visitor's CSRF token
    if "private" in response.get("Cache-Control", "") or "no-" in response.get("Cache-Control", ""):
        return False
    if "cookie" in response.get("Vary", "").lower():
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in CACHEABLE_TYPES


class PageCacheMiddleware:
    """Place after VillageMiddleware (the Site is found there) and the auth middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = timeout()
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        site = Site.find_for_request(request)
        if site is None:
            return self.get_response(request)
        key = page_key(request, site.pk)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Sidekem-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
            response["X-Sidekem-Cache"] = "miss"
        return response
