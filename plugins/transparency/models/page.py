"""The public transparency page of a village (routable: the page and its open data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.pluginhost.enforcement import PluginPageMixin
from core.website.models.base import VillagePageMixin

from .. import public


class TransparencyPage(PluginPageMixin, VillagePageMixin, RoutablePageMixin, Page):
    """The village's budget for visitors: published versions only, of this village only."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])
    complaint_info = RichTextField(
        _("tempat pengaduan"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Ke mana warga bertanya atau mengadu tentang anggaran desa."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("complaint_info")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "transparency/transparency_page.html"

    class Meta:
        verbose_name = _("halaman transparansi APBDes")
        verbose_name_plural = _("halaman transparansi APBDes")

    @path("")
    def index(self, request):
        return public.transparency_index(request, self)

    @re_path(r"^data/(?P<year>\d{4})/(?P<number>\d{1,3})/(?P<fmt>csv|json|xlsx)/$")
    def open_data(self, request, year, number, fmt):
        return public.open_data(request, self, int(year), int(number), fmt)
