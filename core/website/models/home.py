from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.website import fragments
from core.website.blocks import QuickLinkBlock
from core.website.feeds import DistrictNewsFeed
from core.website.home import home_context
from core.website.portal import district_news, district_news_view, portal_context
from core.website.restrictions import CachedViewRestrictionsMixin
from core.website.search import search_view


class DistrictHomePage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The district portal: root of the default Site, so unknown hostnames never show a village."""

    intro = RichTextField(_("pengantar"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "website/pages/district_home_page.html"

    class Meta:
        verbose_name = _("beranda kabupaten")

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return super().can_create_at(parent) and parent.is_root()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(portal_context(self, request))
        return context

    @path("berita/")
    def district_news(self, request):
        return district_news_view(self, request)

    @path("berita/feed/")
    def district_news_feed(self, request):
        return DistrictNewsFeed(self, district_news(self))(request)


def _route_related(model) -> list[str]:
    """What routing to the page would have joined in (ChildRouteMixin.child_select_related)."""
    fields = {field.name for field in model._meta.get_fields()}
    return [name for name in ("featured_image", "locale") if name in fields]


class VillageHomePage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """Root page of one village's Site, in Indonesian, with its English translation."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="home_pages",
        verbose_name=_("desa"),
    )
    head_name = models.CharField(_("nama kepala desa"), max_length=150, blank=True)
    head_photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("foto kepala desa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("sambutan"), blank=True)
    tagline = models.CharField(
        _("keterangan singkat desa"),
        max_length=200,
        blank=True,
        help_text=_(
            "Satu kalimat tentang desa untuk mesin pencari dan pratinjau tautan, mis. "
            '"Sentra kerajinan kulit di kaki Gunung Slamet." Dipakai bila halaman tidak punya '
            "deskripsi sendiri."
        ),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar pratinjau tautan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Gambar yang tampil saat tautan situs desa dibagikan (WhatsApp, Facebook), bila "
            "halaman tidak punya gambar utama. Sebaiknya 1200×630 piksel."
        ),
    )
    quick_links = StreamField(
        [("link", QuickLinkBlock())],
        verbose_name=_("tautan layanan"),
        blank=True,
        help_text=_("Pintasan ke layanan yang paling dicari warga."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("head_name"), FieldPanel("head_photo"), FieldPanel("intro")],
            heading=_("Sambutan kepala desa"),
        ),
        FieldPanel("quick_links"),
        MultiFieldPanel(
            [FieldPanel("tagline"), FieldPanel("share_image")],
            heading=_("Mesin pencari dan pratinjau tautan"),
        ),
    ]
    # Only provisioning creates village home pages: never by hand in the admin.
    parent_page_types = ["wagtailcore.Page"]
    is_creatable = False
    template = "website/pages/village_home_page.html"

    # wagtail-localize: the village link is the same in every language.
    override_translatable_fields = []

    class Meta:
        verbose_name = _("beranda desa")

    def clean(self):
        super().clean()
        if self.head_photo_id and not self.head_name.strip():
            # The name is the photo's alternative text.
            raise ValidationError({"head_name": _("Isi nama kepala desa untuk fotonya.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context

    def route(self, request, path_components):
        """Wagtail's routing (a query per path segment), remembered per generation of the site
        (core/website/fragments.py) for paths made only of page slugs: the page found is then
        loaded in one query and routed as the last step would have."""
        key, found = fragments.read_value(request, "route", [self.pk, *path_components])
        if path_components and isinstance(found, tuple) and len(found) == 2:
            model = apps.get_model(found[0])
            page = model.objects.select_related(*_route_related(model)).filter(pk=found[1])
            page = page.first()
            if page is not None:  # deleted since: a new generation, normally
                return page.route(request, [])
        result = super().route(request, path_components)
        page = result[0]
        if path_components and page.depth - self.depth == len(path_components):
            fragments.store_value(key, (page._meta.label_lower, page.pk))
        return result

    @path("cari/")
    def search(self, request):
        return search_view(self, request)
