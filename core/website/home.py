"""What a village home page shows: greeting, quick links, news, announcements, agenda, panels."""

from __future__ import annotations

from django.utils import timezone

from core.pluginhost.panels import render_home_panels
from core.website import queries
from core.website.images import load_images
from core.website.models.events import EventPage, upcoming_q
from core.website.models.news import AnnouncementPage, NewsPage


def home_context(home, request) -> dict:
    news = list(latest_news(home).select_related("featured_image"))
    load_images([(home, "head_photo")])
    sections = queries.sections_for(home, request)
    return {
        "latest_news": news,
        "announcements": list(current_announcements(home)),
        "upcoming_events": list(upcoming_events(home)),
        "sections": sections,
        "news_index": sections.get("NewsIndexPage"),
        "announcement_index": sections.get("AnnouncementIndexPage"),
        "event_index": sections.get("EventIndexPage"),
        "home_panels": render_home_panels(request, home),
    }


def latest_news(home, limit: int = 4):
    return (
        queries.public_pages(home, NewsPage).defer_streamfields().order_by("-date", "-pk")[:limit]
    )


def current_announcements(home, limit: int = 5, today=None):
    return (
        queries.public_pages(home, AnnouncementPage)
        .current(today or timezone.localdate())
        .order_by("-important", "-valid_from", "-pk")[:limit]
    )


def upcoming_events(home, limit: int = 4, now=None):
    return (
        queries.public_pages(home, EventPage)
        .defer_streamfields()
        .filter(upcoming_q(now or timezone.localtime()))
        .order_by("start")[:limit]
    )
