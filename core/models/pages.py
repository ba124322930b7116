from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class DistrictHomePage(Page):
    """The district portal: root of the default Site, so unknown hostnames never show a village."""

    intro = RichTextField(_("pengantar"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "core/pages/district_home_page.html"

    class Meta:
        verbose_name = _("beranda kabupaten")

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return super().can_create_at(parent) and parent.is_root()

    def get_context(self, request, *args, **kwargs):
        from core.models import Kecamatan

        context = super().get_context(request, *args, **kwargs)
        context["kecamatan_list"] = Kecamatan.objects.prefetch_related("villages__site")
        return context


class VillageHomePage(Page):
    """Root page of one village's Site, in Indonesian, with its English translation."""

    village = models.ForeignKey(
        "core.Village",
        on_delete=models.PROTECT,
        related_name="home_pages",
        verbose_name=_("desa"),
    )
    intro = RichTextField(_("sambutan"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # Only provisioning creates village home pages: never by hand in the admin.
    parent_page_types = ["wagtailcore.Page"]
    is_creatable = False
    template = "core/pages/village_home_page.html"

    # wagtail-localize: the village link is the same in every language.
    override_translatable_fields = []

    class Meta:
        verbose_name = _("beranda desa")
