"""Village data (data desa) in long form: one row per village, year, category and item.

Long form keeps one import template for every category and lets villages use the items their
own records have (education levels, occupations) without a schema change.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.villagedata.charts import data_context
from core.villagedata.choices import PopulationCategory, PotentialCategory
from core.villages.lookup import village_id_for_page
from core.website.models.base import VillagePageMixin

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]


class PopulationFigure(models.Model):
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("desa"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("kategori"), max_length=20, choices=PopulationCategory.choices)
    label = models.CharField(_("uraian"), max_length=100)
    value = models.PositiveIntegerField(_("jumlah jiwa"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["village", "-year", "category", "order", "label"]
        verbose_name = _("data kependudukan")
        verbose_name_plural = _("data kependudukan")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "category", "label"],
                name="villagedata_population_unique_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_category_display()} · {self.label}: {self.value}"


class PotentialFigure(models.Model):
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="potential_figures",
        verbose_name=_("desa"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("kategori"), max_length=20, choices=PotentialCategory.choices)
    label = models.CharField(_("uraian"), max_length=100)
    value = models.DecimalField(
        _("nilai"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("satuan"), max_length=20, help_text=_("Mis. ha, ton, ekor, unit."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["village", "-year", "category", "order", "label"]
        verbose_name = _("data potensi desa")
        verbose_name_plural = _("data potensi desa")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "category", "label"],
                name="villagedata_potential_unique_item",
            )
        ]

    def __str__(self) -> str:
        category = self.get_category_display()
        return f"{self.year} · {category} · {self.label}: {self.value} {self.unit}"


class VillageDataPage(VillagePageMixin, Page):
    """Public page of a village's data: charts (server-rendered SVG) with the numbers in tables."""

    intro = RichTextField(_("pengantar"), blank=True)
    source_note = models.CharField(
        _("sumber data"),
        max_length=250,
        blank=True,
        help_text=_("Mis. Buku Induk Kependudukan Desa, Profil Desa 2025."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("source_note")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "villagedata/village_data_page.html"

    class Meta:
        verbose_name = _("data desa")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        village_id = village_id_for_page(self)
        ordering = ("category", "order", "label")
        population = PopulationFigure.objects.filter(village_id=village_id).order_by(*ordering)
        potential = PotentialFigure.objects.filter(village_id=village_id).order_by(*ordering)
        context.update(
            data_context(list(population), list(potential), request.GET.get("tahun"))
            if village_id
            else {"years": [], "population": [], "potential": []}
        )
        return context
