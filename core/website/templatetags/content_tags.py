"""Template tags of village pages: link-preview metadata (Open Graph, schema.org) and feeds."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import template
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page

from core.website import fragments, queries
from core.website.models.events import EventPage
from core.website.models.home import VillageHomePage
from core.website.models.news import NewsPage

register = template.Library()
Image = get_image_model()

OG_LOCALES = {"id": "id_ID", "en": "en_US"}
OG_IMAGE_SPEC = "fill-1200x630|format-jpeg"
# Link-preview picture of pages with no image of their own (1200×630).
DEFAULT_OG_IMAGE = "img/og-default.png"


def _text(value) -> str:
    return " ".join(strip_tags(str(value or "")).split())


def _first_paragraph(page) -> str:
    """The first paragraph of the page's body: a rich-text field, or the first paragraph block of
    a stream (read from the raw data, so no block is rendered)."""
    body = getattr(page, "body", None)
    if body is None:
        return ""
    raw = getattr(body, "raw_data", None)
    if raw is None:
        return _text(body)
    for block in raw:
        if block.get("type") == "paragraph":
            text = _text(block.get("value"))
            if text:
                return text
    return ""


def _own_description(page) -> str:
    """What the page says about itself: search description, summary or intro, first paragraph."""
    for attr in ("search_description", "summary", "intro", "description"):
        text = _text(getattr(page, attr, ""))
        if text:
            return text
    return _first_paragraph(page)


def _site_description(village, home, district_name: str) -> str:
    """The fallback of a page without words of its own: the village's tagline, else one sentence
    naming the village (or the portal)."""
    tagline = _text(getattr(home, "tagline", "")) if home is not None else ""
    if tagline:
        return tagline
    if village is not None:
        return _(
            "Situs resmi %(village)s, Kecamatan %(kecamatan)s, %(district)s: berita, pengumuman, "
            "agenda, layanan dan data desa."
        ) % {"village": village, "kecamatan": village.kecamatan, "district": district_name}
    return _("Portal desa dan kelurahan %(district)s: berita dan situs resmi setiap desa.") % {
        "district": district_name
    }


def _description(page, village=None, home=None, district_name: str = "") -> str:
    text = _own_description(page)
    if not text:
        text = _site_description(village, home, district_name)
    return Truncator(text).chars(160)


def _ld_json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _structured_data(page, url, description, image_url, village, request) -> dict:
    publisher = {"@type": "GovernmentOrganization", "name": str(village)} if village else None
    if isinstance(page, NewsPage):
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title[:110],
            "datePublished": (page.first_published_at or page.date).isoformat(),
            "dateModified": (
                page.last_published_at or page.first_published_at or page.date
            ).isoformat(),
            "inLanguage": get_language(),
            "mainEntityOfPage": url,
            "description": description,
        }
        if image_url:
            data["image"] = [image_url]
        if publisher:
            data["publisher"] = publisher
            data["author"] = publisher
        return data
    if isinstance(page, EventPage):
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "startDate": page.start.isoformat(),
            "location": {"@type": "Place", "name": page.place},
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "url": url,
            "description": description,
        }
        if page.end:
            data["endDate"] = page.end.isoformat()
        if page.organiser:
            data["organizer"] = {"@type": "Organization", "name": page.organiser}
        return data
    if isinstance(page, VillageHomePage) and village:
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": str(village),
            "url": url,
            "identifier": village.code,
        }
        if village.address:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": village.address,
                "addressCountry": "ID",
            }
        if village.phone:
            data["telephone"] = village.phone
        if village.email:
            data["email"] = village.email
        if village.latitude is not None and village.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(village.latitude),
                "longitude": float(village.longitude),
            }
        return data
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.title,
        "url": url,
        "inLanguage": get_language(),
    }


@dataclass(frozen=True)
class HomeShareFields:
    tagline: str
    share_image_id: int | None


def _load_home_share_fields(prefix: str) -> HomeShareFields | None:
    row = VillageHomePage.objects.filter(path=prefix).values("tagline", "share_image_id").first()
    return HomeShareFields(**row) if row else None


def _home_share_fields(page, request=None) -> HomeShareFields | None:
    """The tagline and share image id of ``page``'s village home page (same language), for the
    description and link-preview fallbacks: kept in the fragment cache per generation of the
    site (core/website/fragments.py), so a warm page makes no query for them."""
    prefix = page.path[:8]
    return fragments.cached_value(
        request, "home-share", [prefix], lambda: _load_home_share_fields(prefix)
    )


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


@register.inclusion_tag("website/includes/page_meta.html", takes_context=True)
def page_meta(context, page):
    """Description, canonical link, Open Graph and schema.org data of a public page.

    Every page gets a description (its own words, else the village's tagline, else a sentence
    naming the village) and a link-preview image (its featured image, else the village's share
    image, else the district's default picture)."""
    request = context.get("request")
    village = context.get("current_village") or None
    district_name = context.get("district_name", "")
    home = None
    if isinstance(page, VillageHomePage):
        home = page
    elif village is not None and len(page.path) >= 8:
        home = _home_share_fields(page, request)
    url = page.get_full_url(request)
    description = _description(page, village, home, district_name)
    image = (
        getattr(page, "featured_image", None) if getattr(page, "featured_image_id", None) else None
    )
    image_alt = getattr(page, "featured_image_alt", "") if image is not None else ""
    if image is None and home is not None and getattr(home, "share_image_id", None):
        image = Image.objects.filter(pk=home.share_image_id).first()
        image_alt = str(village)
    if image is not None:
        image_url = _absolute(request, image.get_rendition(OG_IMAGE_SPEC).url)
    else:
        image_url = _absolute(request, static(DEFAULT_OG_IMAGE))
        image_alt = str(village) if village is not None else district_name
    site_name = str(village) if village else district_name
    return {
        "title": page.seo_title or page.title,
        "description": description,
        "url": url,
        "site_name": site_name,
        "og_type": "article" if type(page).__name__ == "NewsPage" else "website",
        "og_locale": OG_LOCALES.get(get_language(), get_language()),
        "image_url": image_url,
        "image_alt": image_alt,
        "ld_json": mark_safe(
            _ld_json(_structured_data(page, url, description, image_url, village, request))
        ),
    }


@register.simple_tag(takes_context=True)
def village_sections(context, page):
    """Index pages of the page's village in its language (memoised per request)."""
    request = context.get("request")
    if page is None or len(page.path) < 8 or not context.get("current_village"):
        return {}
    return queries.sections_for(page, request)


@register.simple_tag(takes_context=True)
def quick_links(context, page) -> list[dict]:
    """The home page's service links, resolving linked pages from the sections already loaded."""
    request = context.get("request")
    raw = [block.get("value", {}) for block in page.quick_links.raw_data]
    known = queries.sections_for(page, request).by_pk() if request is not None else {}
    missing = {v.get("page") for v in raw if v.get("page") and v.get("page") not in known}
    if missing:
        known.update(Page.objects.live().in_bulk(missing))
    links = []
    for value in raw:
        target = known.get(value.get("page")) if value.get("page") else None
        url = target.get_url(request) if target is not None else value.get("url")
        if url:
            links.append(
                {
                    "label": value.get("label", ""),
                    "url": url,
                    "description": value.get("description", ""),
                }
            )
    return links
