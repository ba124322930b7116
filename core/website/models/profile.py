"""Village profile (history, vision and mission, geography, location) and government."""

from __future__ import annotations

from collections import defaultdict

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.website.blocks import RICH_TEXT_FEATURES
from core.website.fragments import lazy
from core.website.models.base import VillagePageMixin


class ProfilePage(VillagePageMixin, Page):
    history = RichTextField(_("sejarah desa"), blank=True, features=RICH_TEXT_FEATURES)
    vision = models.TextField(_("visi"), blank=True)
    mission = RichTextField(_("misi"), blank=True, features=RICH_TEXT_FEATURES)
    geography = RichTextField(_("kondisi geografis"), blank=True, features=RICH_TEXT_FEATURES)
    area_hectares = models.DecimalField(
        _("luas wilayah (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    elevation_m = models.PositiveIntegerField(_("ketinggian (m dpl)"), null=True, blank=True)
    border_north = models.CharField(_("batas utara"), max_length=200, blank=True)
    border_east = models.CharField(_("batas timur"), max_length=200, blank=True)
    border_south = models.CharField(_("batas selatan"), max_length=200, blank=True)
    border_west = models.CharField(_("batas barat"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai koordinat kantor desa."),
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("history"),
        MultiFieldPanel([FieldPanel("vision"), FieldPanel("mission")], heading=_("Visi dan misi")),
        MultiFieldPanel(
            [
                FieldPanel("geography"),
                FieldRowPanel([FieldPanel("area_hectares"), FieldPanel("elevation_m")]),
                FieldRowPanel([FieldPanel("border_north"), FieldPanel("border_east")]),
                FieldRowPanel([FieldPanel("border_south"), FieldPanel("border_west")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Geografi dan batas wilayah"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("history"),
        index.SearchField("vision"),
        index.SearchField("mission"),
        index.SearchField("geography"),
    ]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.StandardPage"]
    max_count_per_parent = 1
    template = "website/pages/profile_page.html"

    class Meta:
        verbose_name = _("profil desa")

    def coordinates(self, village=None):
        lat, lon = self.latitude, self.longitude
        if (lat is None or lon is None) and village is not None:
            lat, lon = village.latitude, village.longitude
        if lat is None or lon is None:
            return None
        return {
            "lat": lat,
            "lon": lon,
            "osm_url": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}",
        }

    def borders(self):
        return [
            (label, value)
            for label, value in (
                (_("Utara"), self.border_north),
                (_("Timur"), self.border_east),
                (_("Selatan"), self.border_south),
                (_("Barat"), self.border_west),
            )
            if value
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["coordinates"] = self.coordinates(getattr(request, "village", None))
        return context


class Position(models.TextChoices):
    """Positions of the village government (Permendagri 84/2015) and of the BPD."""

    KEPALA_DESA = "kades", _("Kepala Desa")
    SEKRETARIS = "sekdes", _("Sekretaris Desa")
    KAUR = "kaur", _("Kepala Urusan")
    KASI = "kasi", _("Kepala Seksi")
    KADUS = "kadus", _("Kepala Dusun")
    STAF = "staf", _("Staf")
    BPD_KETUA = "bpd_ketua", _("Ketua BPD")
    BPD_WAKIL = "bpd_wakil", _("Wakil Ketua BPD")
    BPD_SEKRETARIS = "bpd_sekretaris", _("Sekretaris BPD")
    BPD_ANGGOTA = "bpd_anggota", _("Anggota BPD")


#: Tier of each position in the organisation chart (0 is the top).
POSITION_TIER = {
    Position.KEPALA_DESA: 0,
    Position.SEKRETARIS: 1,
    Position.KAUR: 2,
    Position.KASI: 2,
    Position.KADUS: 3,
    Position.STAF: 4,
    Position.BPD_KETUA: 0,
    Position.BPD_WAKIL: 1,
    Position.BPD_SEKRETARIS: 1,
    Position.BPD_ANGGOTA: 2,
}
BPD_POSITIONS = {
    Position.BPD_KETUA,
    Position.BPD_WAKIL,
    Position.BPD_SEKRETARIS,
    Position.BPD_ANGGOTA,
}


class GovernmentPage(VillagePageMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)
    bpd_intro = RichTextField(
        _("tentang BPD"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Badan Permusyawaratan Desa."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("officials", label=_("Perangkat desa dan anggota BPD")),
        FieldPanel("bpd_intro"),
    ]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.StandardPage"]
    max_count_per_parent = 1
    template = "website/pages/government_page.html"

    class Meta:
        verbose_name = _("pemerintahan desa")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Shown inside the page's fragment only (core/website/fragments.py): no query when it
        # comes from the cache.
        officials = lazy(
            lambda: list(
                self.officials.select_related("photo").prefetch_related(
                    Prefetch(
                        "photo__renditions",
                        queryset=get_image_model().get_rendition_model().objects.all(),
                    )
                )
            )
        )
        government = lazy(lambda: [o for o in officials if o.position not in BPD_POSITIONS])
        context.update(
            government=government,
            bpd=lazy(lambda: [o for o in officials if o.position in BPD_POSITIONS]),
            chart=lazy(lambda: self.organisation_chart(government)),
        )
        return context

    @staticmethod
    def organisation_chart(officials):
        """Officials grouped by tier, top first: rendered as nested, readable lists."""
        tiers = defaultdict(list)
        for official in officials:
            tiers[POSITION_TIER.get(official.position, 4)].append(official)
        return [tiers[tier] for tier in sorted(tiers)]


class Official(Orderable):
    page = ParentalKey(GovernmentPage, related_name="officials", on_delete=models.CASCADE)
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=20, choices=Position.choices)
    position_detail = models.CharField(
        _("bidang/wilayah"),
        max_length=150,
        blank=True,
        help_text=_("Mis. Keuangan, Pemerintahan, Dusun Krajan."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    term_start = models.DateField(_("awal masa jabatan"), null=True, blank=True)
    term_end = models.DateField(_("akhir masa jabatan"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
        FieldPanel("position_detail"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("term_start"), FieldPanel("term_end")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("pejabat")
        verbose_name_plural = _("pejabat")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"

    @property
    def title(self) -> str:
        label = self.get_position_display()
        return f"{label} {self.position_detail}" if self.position_detail else str(label)
