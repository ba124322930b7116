"""Village agenda: events with date, place and organiser; upcoming/past and an iCalendar feed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.website.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.website.feeds import icalendar_response
from core.website.models.base import VillagePageMixin
from core.website.restrictions import ChildRouteMixin, public

PAGE_SIZE = 10


def upcoming_q(now) -> Q:
    """Not finished yet: an event without an end counts until its start day is over."""
    return Q(end__gte=now) | Q(end__isnull=True, start__gte=now.replace(hour=0, minute=0))


class EventIndexPage(VillagePageMixin, RoutablePageMixin, ChildRouteMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.EventPage"]
    max_count_per_parent = 1
    template = "website/pages/event_index_page.html"
    child_model = property(lambda self: EventPage)

    class Meta:
        verbose_name = _("indeks agenda")

    def events(self):
        return public(EventPage.objects.all()).child_of(self).filter(locale_id=self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.localtime()
        events = self.events().defer_streamfields()
        context["upcoming"] = list(events.filter(upcoming_q(now)).order_by("start")[:50])
        context["past"] = Paginator(
            events.exclude(upcoming_q(now)).order_by("-start"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return context

    @path("ical/")
    def ical(self, request):
        return icalendar_response(self, request)


class EventPage(VillagePageMixin, Page):
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    summary = models.TextField(_("ringkasan"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("place"), FieldPanel("organiser")],
            heading=_("Waktu dan tempat"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
    ]
    parent_page_types = ["website.EventIndexPage"]
    subpage_types: list[str] = []
    template = "website/pages/event_page.html"

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agenda")
        indexes = [models.Index(fields=["start"])]

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("Waktu selesai tidak boleh sebelum waktu mulai.")})

    @property
    def is_past(self) -> bool:
        now = timezone.now()
        return (self.end or self.start) < now
