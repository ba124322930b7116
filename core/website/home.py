"""What a village home page shows: greeting, quick links, news, announcements, agenda, panels."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.pluginhost.panels import render_home_panels
from core.website import queries
from core.website.fragments import cached_until, lazy
from core.website.models.events import EventPage, upcoming_q
from core.website.models.news import AnnouncementPage, NewsPage


def home_context(home, request) -> dict:
    """Lists that only fragments show (website/pages/village_home_page.html) are lazy: no query
    when the fragment comes from the cache (core/website/fragments.py)."""
    today = timezone.localdate()
    sections = queries.sections_for(home, request)
    return {
        "today": today,
        "latest_news": lazy(lambda: list(latest_news(home).select_related("featured_image"))),
        "announcements": lazy(lambda: list(current_announcements(home, today=today))),
        "upcoming_events": cached_upcoming_events(home, request),
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


def cached_upcoming_events(home, request, limit: int = 4) -> list:
    """:func:`upcoming_events` from the fragment cache while none of them can have ended.

    Time only takes events out of the list (a later one then moves in), so the list stays right
    until the first of its events is over: its end, or for an event without one the end of its
    day (:func:`core.website.models.events.upcoming_q`); publishing starts a new generation.
    """
    now = timezone.localtime()

    def build():
        events = list(upcoming_events(home, limit, now))
        ends = [_over_at(event) for event in events]
        return events, min(ends) if ends else None

    return cached_until(request, "upcoming-events", [home.pk, limit], now, build)


def _over_at(event):
    """No later than the moment ``event`` stops being upcoming."""
    if event.end is not None:
        return event.end
    start = timezone.localtime(event.start)
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if start - midnight < timedelta(minutes=1):
        return event.start  # upcoming_q compares with the minute of the day: be early
    return midnight + timedelta(days=1)
