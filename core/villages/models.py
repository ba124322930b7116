from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

VILLAGE_CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$")
KECAMATAN_CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


def validate_village_code(value: str) -> None:
    if not VILLAGE_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "Kode wilayah %(code)s tidak sah: harus berbentuk PP.RR.KK.VVVV, "
                "mis. 33.27.07.2013."
            ),
            params={"code": value},
            code="invalid_code",
        )


def validate_kecamatan_code(value: str) -> None:
    if not KECAMATAN_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Kode kecamatan %(code)s tidak sah: harus berbentuk PP.RR.KK, mis. 33.27.07."),
            params={"code": value},
            code="invalid_code",
        )


class Kecamatan(models.Model):
    """Sub-district: groups villages; the natural filter for the district's views."""

    code = models.CharField(
        _("kode wilayah"), max_length=8, unique=True, validators=[validate_kecamatan_code]
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Village(models.Model):  # type: ignore[django-manager-missing]  # Wagtail pages are untyped
    """A desa or kelurahan with its own Wagtail Site."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    site = models.OneToOneField(
        "wagtailcore.Site",
        on_delete=models.PROTECT,
        related_name="village",
        verbose_name=_("situs"),
    )
    code = models.CharField(
        _("kode wilayah"),
        max_length=13,
        unique=True,
        validators=[validate_village_code],
        help_text=_("Kode Kemendagri, mis. 33.27.07.2013."),
    )
    name = models.CharField(_("nama resmi"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DESA)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    head_title = models.CharField(
        _("sebutan kepala desa"),
        max_length=50,
        blank=True,
        help_text=_("Sebutan setempat, mis. Kepala Desa, Kuwu, Lurah."),
    )
    address = models.TextField(_("alamat kantor"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.PROTECT,
        related_name="village",
        null=True,
        editable=False,
    )
    editors_group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    moderators_group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    officers_group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kecamatan__code", "code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        permissions = [("manage_district", _("Dapat mengelola seluruh kabupaten"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def display_head_title(self) -> str | StrPromise:
        if self.head_title:
            return self.head_title
        return _("Lurah") if self.kind == self.Kind.KELURAHAN else _("Kepala Desa")

    def clean(self) -> None:
        if self.code and self.kecamatan_id and not self.code.startswith(self.kecamatan.code + "."):
            raise ValidationError(
                {
                    "code": _("Kode desa harus diawali kode kecamatannya (%(k)s).")
                    % {"k": self.kecamatan.code}
                }
            )
        if self.code and self.kind:
            expected = self.Kind.KELURAHAN if self.code[-4] == "1" else self.Kind.DESA
            if expected != self.kind:
                raise ValidationError(
                    {"kind": _("Kode berakhiran 1xxx untuk kelurahan, 2xxx untuk desa.")}
                )
