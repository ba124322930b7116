from django import template
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core.pluginhost.enforcement import exclude_disabled_plugin_pages
from core.website.restrictions import public

register = template.Library()

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def _live_translations(page, request):
    cache_attr = "_sidekem_translations"
    cached = getattr(request, cache_attr, {}) if request else {}
    if page.pk in cached:
        return cached[page.pk]
    translations = list(
        public(page.get_translations(inclusive=True))
        .select_related("locale")
        .order_by("locale__language_code")
    )
    if request is not None:
        cached[page.pk] = translations
        setattr(request, cache_attr, cached)
    return translations


@register.inclusion_tag("website/tags/hreflang.html", takes_context=True)
def hreflang_links(context, page):
    request = context.get("request")
    links = [
        {"lang": t.locale.language_code, "url": t.get_full_url(request)}
        for t in _live_translations(page, request)
    ]
    return {"links": links if len(links) > 1 else []}


@register.inclusion_tag("website/tags/language_switcher.html", takes_context=True)
def language_switcher(context, page):
    request = context.get("request")
    current = get_language()
    items = [
        {
            "lang": t.locale.language_code,
            "name": LANGUAGE_NAMES.get(t.locale.language_code, t.locale.language_code),
            "url": t.get_url(request),
            "current": t.locale.language_code == current,
        }
        for t in _live_translations(page, request)
    ]
    return {"items": items if len(items) > 1 else []}


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
