"""News (with categories, tags and feeds) and announcements (with validity dates)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.villages.params import text_param
from core.website.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.website.feeds import VillageNewsAtomFeed, VillageNewsFeed
from core.website.fragments import lazy
from core.website.models.base import FeaturedImageMixin, VillagePageMixin
from core.website.queries import sections_for
from core.website.restrictions import ChildRouteMixin, public

PAGE_SIZE = 10
THUMB_SPECS = ["fill-320x180|format-webp", "fill-640x360|format-webp"]


class NewsCategory(models.TextChoices):
    """Fixed categories (the five fields of village work, plus what residents look for)."""

    PEMERINTAHAN = "pemerintahan", _("Pemerintahan")
    PEMBANGUNAN = "pembangunan", _("Pembangunan")
    KEMASYARAKATAN = "kemasyarakatan", _("Kemasyarakatan")
    PEMBERDAYAAN = "pemberdayaan", _("Pemberdayaan masyarakat")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    EKONOMI = "ekonomi", _("Ekonomi dan UMKM")
    BUDAYA = "budaya", _("Seni dan budaya")
    BENCANA = "bencana", _("Kebencanaan")


def with_thumbnails(queryset):
    """Featured images joined in; their renditions come from Wagtail's rendition cache."""
    return queryset.select_related("featured_image")


class NewsIndexPage(VillagePageMixin, RoutablePageMixin, ChildRouteMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.NewsPage"]
    max_count_per_parent = 1
    template = "website/pages/news_index_page.html"
    child_model = property(lambda self: NewsPage)
    child_select_related = ("featured_image", "locale")

    class Meta:
        verbose_name = _("indeks berita")

    def news(self):
        return (
            public(NewsPage.objects.all())
            .child_of(self)
            .filter(locale_id=self.locale_id)
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = self.news()
        category = request.GET.get("kategori", "")
        if category in NewsCategory.values:
            news = news.filter(category=category)
        else:
            category = ""
        tag = text_param(request.GET.get("tag"), 100)
        if tag:
            news = news.filter(tags__slug=tag)
        paginator = Paginator(with_thumbnails(news.defer_streamfields()), PAGE_SIZE)
        context.update(
            news_page=paginator.get_page(request.GET.get("page")),
            categories=NewsCategory.choices,
            category=category,
            tag=tag,
        )
        return context

    @path("feed/")
    def rss_feed(self, request):
        return VillageNewsFeed(self)(request)

    @path("feed/atom/")
    def atom_feed(self, request):
        return VillageNewsAtomFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "website.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(VillagePageMixin, FeaturedImageMixin, Page):
    date = models.DateField(_("tanggal"), default=timezone.localdate)
    category = models.CharField(
        _("kategori"),
        max_length=20,
        choices=NewsCategory.choices,
        default=NewsCategory.PEMERINTAHAN,
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tag"))
    summary = models.TextField(
        _("ringkasan"),
        max_length=300,
        blank=True,
        help_text=_("Satu atau dua kalimat untuk daftar berita dan pratinjau tautan."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("category"), FieldPanel("tags")],
            heading=_("Keterangan"),
        ),
        FieldPanel("summary"),
        *FeaturedImageMixin.image_panels,
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("category"),
    ]
    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "website/pages/news_page.html"

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        indexes = [models.Index(fields=["date"])]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Shown inside the article's fragment only: no query when it comes from the cache.
        context["tags"] = lazy(lambda: list(self.tags.all()))
        context["news_index"] = sections_for(self, request).get("NewsIndexPage")
        return context


class AnnouncementIndexPage(VillagePageMixin, ChildRouteMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.AnnouncementPage"]
    max_count_per_parent = 1
    template = "website/pages/announcement_index_page.html"
    child_model = property(lambda self: AnnouncementPage)

    class Meta:
        verbose_name = _("indeks pengumuman")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        items = (
            public(AnnouncementPage.objects.all()).child_of(self).filter(locale_id=self.locale_id)
        )
        context["current"] = list(items.current(today).order_by("-important", "-valid_from"))
        context["expired"] = Paginator(
            items.expired(today).order_by("-valid_until", "-pk"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return context


def current_q(today) -> Q:
    return Q(valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


class AnnouncementPageQuerySet(PageQuerySet):
    def current(self, today=None):
        return self.filter(current_q(today or timezone.localdate()))

    def expired(self, today=None):
        return self.filter(valid_until__lt=today or timezone.localdate())


class AnnouncementPage(VillagePageMixin, Page):
    valid_from = models.DateField(_("berlaku mulai"), default=timezone.localdate)
    valid_until = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Setelah tanggal ini pengumuman hilang dari beranda. Kosongkan bila tetap."),
    )
    important = models.BooleanField(_("penting"), default=False)

    objects = PageManager.from_queryset(AnnouncementPageQuerySet)()
    body = RichTextField(_("isi"), features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("valid_from"), FieldPanel("valid_until"), FieldPanel("important")],
            heading=_("Masa berlaku"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["website.AnnouncementIndexPage"]
    subpage_types: list[str] = []
    template = "website/pages/announcement_page.html"

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")}
            )

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)
