"""Template tags of village pages: link-preview metadata (Open Graph, schema.org) and feeds."""

from __future__ import annotations

import json

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page

from core.website import queries
from core.website.models.events import EventPage
from core.website.models.home import VillageHomePage
from core.website.models.news import NewsPage

register = template.Library()

OG_LOCALES = {"id": "id_ID", "en": "en_US"}
OG_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def _description(page) -> str:
    for attr in ("search_description", "summary", "intro", "description"):
        value = getattr(page, attr, "") or ""
        if value:
            text = strip_tags(str(value)).strip()
            if text:
                return Truncator(text).chars(200)
    return ""


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


@register.inclusion_tag("website/includes/page_meta.html", takes_context=True)
def page_meta(context, page):
    request = context.get("request")
    village = context.get("current_village")
    village = village if village else None
    url = page.get_full_url(request)
    description = _description(page)
    image_url = ""
    image = (
        getattr(page, "featured_image", None) if getattr(page, "featured_image_id", None) else None
    )
    if image is not None:
        rendition = image.get_rendition(OG_IMAGE_SPEC)
        image_url = request.build_absolute_uri(rendition.url) if request else rendition.url
    site_name = str(village) if village else context.get("district_name", "")
    return {
        "title": page.seo_title or page.title,
        "description": description,
        "url": url,
        "site_name": site_name,
        "og_type": "article" if type(page).__name__ == "NewsPage" else "website",
        "og_locale": OG_LOCALES.get(get_language(), get_language()),
        "image_url": image_url,
        "image_alt": getattr(page, "featured_image_alt", ""),
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
