"""What a village home page shows: greeting, quick links, news, announcements, agenda, panels."""

from __future__ import annotations

from core.website import queries
from core.website.images import load_images
from core.pluginhost.panels import render_home_panels


def home_context(home, request) -> dict:
    news = list(queries.latest_news(home).select_related("featured_image"))
    load_images([(home, "head_photo")])
    sections = queries.sections_for(home, request)
    return {
        "latest_news": news,
        "announcements": list(queries.current_announcements(home)),
        "upcoming_events": list(queries.upcoming_events(home)),
        "sections": sections,
        "news_index": sections.get("NewsIndexPage"),
        "announcement_index": sections.get("AnnouncementIndexPage"),
        "event_index": sections.get("EventIndexPage"),
        "home_panels": render_home_panels(request, home),
    }
