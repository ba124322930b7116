"""RSS/Atom news feeds (per village, and district-wide) and the village agenda as iCalendar."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FEED_SIZE = 20


class _PageFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.request = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return self.page.get_full_url(self.request)

    def feed_url(self):
        return self.request.build_absolute_uri()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_description

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.make_aware(
            dt.datetime.combine(item.date, dt.time(8))
        )

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_category_display()]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language()
        return feed


class VillageNewsFeed(_PageFeed):
    """The news of one village in one language (the feed's index page fixes both)."""

    def title(self):
        village = getattr(self.request, "village", None)
        return f"{_('Berita')} · {village or self.page.title}"

    def description(self):
        return _("Berita terbaru dari situs resmi %(site)s.") % {
            "site": getattr(self.request, "village", None) or self.page.title
        }

    def items(self):
        return self.page.news().defer_streamfields()[:FEED_SIZE]


class VillageNewsAtomFeed(VillageNewsFeed):
    feed_type = Atom1Feed
    subtitle = VillageNewsFeed.description


class DistrictNewsFeed(_PageFeed):
    """Latest news of every village, each item linking to the village's own site."""

    def title(self):
        return f"{_('Berita desa')} · {self.page.title}"

    def description(self):
        return _("Berita terbaru dari desa dan kelurahan di %(d)s.") % {"d": self.page.title}

    def __init__(self, page, news):
        super().__init__(page)
        self.news = news

    def items(self):
        return self.news[:FEED_SIZE]

    def item_title(self, item):
        village = getattr(item, "village_name", "")
        return f"{village}: {item.title}" if village else item.title


# -- iCalendar (RFC 5545) -------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold content lines longer than 75 octets (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        chunk = char.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(chunk) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += chunk
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(index, request) -> str:
    events = index.events().defer_streamfields().order_by("-start")[:200]
    host = request.get_host().split(":")[0]
    village = getattr(request, "village", None)
    calendar_name = _("Agenda")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sidekem//Agenda Desa//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(f"{calendar_name} {village or index.title}"),
        "X-WR-TIMEZONE:Asia/Jakarta",
    ]
    stamp = _utc(timezone.now())
    for event in events:
        end = event.end or event.start + dt.timedelta(hours=2)
        description = event.summary
        if event.organiser:
            description = f"{description}\n{_('Penyelenggara')}: {event.organiser}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}-{event.locale_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(event.title)}",
            f"LOCATION:{_escape(event.place)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{event.get_full_url(request)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def icalendar_response(index, request) -> HttpResponse:
    response = HttpResponse(icalendar(index, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response
