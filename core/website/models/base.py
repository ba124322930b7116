"""Shared behaviour of village content pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from core.villages.lookup import village_id_for_page
from core.website.restrictions import CachedViewRestrictionsMixin


class VillagePageMixin(CachedViewRestrictionsMixin):
    """Pages that exist only inside a village's tree (either locale)."""

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return super().can_create_at(parent) and village_id_for_page(parent) is not None


class FeaturedImageMixin(models.Model):
    """A featured image whose alternative text is required (WCAG 1.1.1) and translatable."""

    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar utama"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_image_alt = models.CharField(
        _("teks alternatif gambar"),
        max_length=250,
        blank=True,
        help_text=_("Jelaskan isi gambar untuk pembaca layar. Wajib bila ada gambar."),
    )

    image_panels = [
        MultiFieldPanel(
            [FieldPanel("featured_image"), FieldPanel("featured_image_alt")],
            heading=_("Gambar utama"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.featured_image_id and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": _("Isi teks alternatif untuk gambar utama.")}
            )

    @property
    def image_alt(self) -> str:
        return self.featured_image_alt or ""


def page_summary(page: Page) -> str:
    return getattr(page, "summary", "") or page.search_description or ""
