"""Public querysets, always scoped to one village tree in one language.

A village's pages live under its home page in each locale (``path`` starts with the localized
home page's path); scoping by that path and by the locale is what keeps villages and languages
apart in listings, search, feeds and sitemaps.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import Locale, Page

from core.pluginhost.enforcement import exclude_disabled_plugin_pages
from core.website import fragments
from core.website.restrictions import public


def in_village(queryset, home):
    """Restrict a page queryset to the village tree of ``home`` in ``home``'s language."""
    return queryset.descendant_of(home, inclusive=True).filter(locale_id=home.locale_id)


def public_pages(home, model=Page):
    queryset = in_village(public(model.objects.all()), home)
    return exclude_disabled_plugin_pages(queryset, home)


def localized_home(home, language_code: str | None = None):
    """The translation of a village (or portal) home page in the active language, if live."""
    locale = (
        Locale.get_active()
        if language_code is None
        else Locale.objects.get(language_code=language_code)
    )
    if home.locale_id == locale.pk:
        return home
    return (
        type(home)
        .objects.live()
        .filter(translation_key=home.translation_key, locale=locale)
        .first()
    )


class Sections(dict):
    """Index pages under a village home page by model name, plus ``root`` and ``menu``."""

    root: Page | None = None
    menu: list

    def by_pk(self) -> dict[int, Page]:
        return {p.pk: p for p in self.children}


def sections_for(page, request=None) -> Sections:
    """The village home page of ``page`` (same language) and its live children, in one query.

    Memoised on the request: the header (home link, menu, feed link), the home page and the
    quick links all need them; and kept in the fragment cache per generation of the request's
    site (core/website/fragments.py), so most requests make no query for them.
    """
    prefix = page.path[:8]
    memo = getattr(request, "_sidekem_sections", None) if request is not None else None
    if memo is not None and prefix in memo:
        return memo[prefix]
    sections = fragments.cached_value(
        request, "sections", [prefix], lambda: _load_sections(page, prefix)
    )
    if request is not None:
        if memo is None:
            memo = {}
            request._sidekem_sections = memo
        memo[prefix] = sections
    return sections


def _load_sections(page, prefix: str) -> Sections:
    pages = Page.objects.filter(Q(path=prefix) | Q(path__startswith=prefix, depth=3))
    pages = exclude_disabled_plugin_pages(public(pages), page).order_by("path")
    sections = Sections()
    sections.children = []
    sections.menu = []
    for item in pages.specific(defer=True):
        if item.depth == 2:
            sections.root = item
            continue
        sections.children.append(item)
        sections.setdefault(type(item).__name__, item)
        if item.show_in_menus:
            sections.menu.append(item)
    sections["root"] = sections.root
    return sections
