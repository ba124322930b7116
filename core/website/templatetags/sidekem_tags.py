from django import template
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core.pluginhost.enforcement import exclude_disabled_plugin_pages
from core.website import fragments
from core.website.restrictions import public

register = template.Library()

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def _live_translations(page, request) -> list[dict]:
    """The live, public language versions of ``page`` (itself included) with their URLs, by
    language code: memoised on the request and kept in the fragment cache per generation of
    the site (core/website/fragments.py)."""
    cache_attr = "_sidekem_translations"
    cached = getattr(request, cache_attr, {}) if request else {}
    if page.pk in cached:
        return cached[page.pk]

    def build() -> list[dict]:
        pages = (
            public(page.get_translations(inclusive=True))
            .select_related("locale")
            .order_by("locale__language_code")
        )
        return [
            {
                "lang": t.locale.language_code,
                "full_url": t.get_full_url(request),
                "url": t.get_url(request),
            }
            for t in pages
        ]

    translations = fragments.cached_value(request, "translations", [page.pk], build)
    if request is not None:
        cached[page.pk] = translations
        setattr(request, cache_attr, cached)
    return translations


@register.inclusion_tag("website/tags/hreflang.html", takes_context=True)
def hreflang_links(context, page):
    request = context.get("request")
    links = [{"lang": t["lang"], "url": t["full_url"]} for t in _live_translations(page, request)]
    return {"links": links if len(links) > 1 else []}


@register.inclusion_tag("website/tags/language_switcher.html", takes_context=True)
def language_switcher(context, page):
    request = context.get("request")
    current = get_language()
    items = [
        {
            "lang": t["lang"],
            "name": LANGUAGE_NAMES.get(t["lang"], t["lang"]),
            "url": t["url"],
            "current": t["lang"] == current,
        }
        for t in _live_translations(page, request)
    ]
    return {"items": items if len(items) > 1 else []}


@register.filter
def is_within(path: str, ancestor_path: str) -> bool:
    """Whether the page at tree path ``path`` is ``ancestor_path``'s page or below it (the menu's
    current section; a prefix, not any substring of the path)."""
    return bool(path) and bool(ancestor_path) and str(path).startswith(str(ancestor_path))


@register.simple_tag(takes_context=True)
def site_root_url(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    root = site.root_page.localized if site.root_page_id else None
    return root.get_url(request) if root else "/"


@register.inclusion_tag("website/tags/menu.html", takes_context=True)
def site_menu(context, page):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    root = (
        Page.objects.filter(
            translation_key=site.root_page.translation_key, locale__language_code=get_language()
        ).first()
        or site.root_page
    )
    items = root.get_children().live().public().in_menu().specific(defer=True)
    items = exclude_disabled_plugin_pages(items, site)
    return {
        "root": root,
        "items": list(items),
        "current_path": page.path,
        "request": request,
    }
