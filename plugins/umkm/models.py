"""Models of the umkm plugin: businesses (UMKM) of a village, their products, the record of
QRIS payload changes, and the public catalogue page type (plugins/umkm/pages.py)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

from core.pluginhost.settings import PluginSiteSetting

from . import qris
from .qris_messages import problem_message

HALAL_REQUIRED_FROM = date(2026, 10, 18)
WHATSAPP_RE = re.compile(r"^(\+?62|0)8\d{7,12}$")


class Category(models.TextChoices):
    FOOD = "makanan", _("Makanan dan minuman")
    CRAFTS = "kerajinan", _("Kerajinan")
    FASHION = "busana", _("Busana dan garmen")
    AGRICULTURE = "pertanian", _("Hasil pertanian")
    LIVESTOCK = "peternakan", _("Peternakan dan perikanan")
    SERVICES = "jasa", _("Jasa")
    OTHER = "lainnya", _("Lainnya")


class Status(models.TextChoices):
    DRAFT = "draf", _("Draf")
    PUBLISHED = "terbit", _("Terbit")


def normalise_whatsapp(number: str) -> str:
    """A WhatsApp number as wa.me wants it: digits only, country code 62 first."""
    digits = re.sub(r"[\s\-().]", "", number or "")
    if not digits:
        return ""
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def validate_whatsapp(value: str) -> None:
    compact = re.sub(r"[\s\-().]", "", value or "")
    if compact and not WHATSAPP_RE.match(compact):
        raise ValidationError(
            _("Nomor WhatsApp tidak sah: tulis seperti 0812 3456 7890 atau +62 812 3456 7890.")
        )


digits_only = RegexValidator(r"^\d+$", _("Hanya boleh berisi angka."))
nib_validator = RegexValidator(r"^\d{13}$", _("NIB terdiri atas 13 digit angka."))
spp_irt_validator = RegexValidator(
    r"^[0-9][0-9.\-]{9,24}$",
    _("Nomor SPP-IRT berisi angka (boleh dengan titik atau tanda hubung)."),
)


class MarketplaceLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Nama toko daring"), max_length=40)
    url = blocks.URLBlock(label=_("Alamat tautan"))


class VariantBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Nama varian"), max_length=60)
    price = blocks.DecimalBlock(
        label=_("Harga varian (Rp)"),
        required=False,
        min_value=1,
        max_digits=12,
        decimal_places=0,
        help_text=_("Kosongkan jika sama dengan harga produk."),
    )


class WholesaleTierBlock(blocks.StructBlock):
    min_quantity = blocks.IntegerBlock(label=_("Pembelian minimal"), min_value=2)
    unit_price = blocks.DecimalBlock(
        label=_("Harga satuan (Rp)"), min_value=1, max_digits=12, decimal_places=0
    )


class Business(models.Model):
    """A village business (UMKM) with its merchant QRIS."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="umkm_businesses",
        verbose_name=_("desa"),
    )
    name = models.CharField(_("nama usaha"), max_length=120)
    owner_name = models.CharField(_("nama pemilik"), max_length=120)
    category = models.CharField(
        _("kategori"), max_length=20, choices=Category.choices, default=Category.FOOD
    )
    description = models.TextField(_("deskripsi"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto utama"),
    )
    gallery = StreamField(
        [("image", ImageChooserBlock(label=_("Foto")))], blank=True, verbose_name=_("foto lain")
    )
    address = models.TextField(_("alamat"), blank=True)
    latitude = models.DecimalField(
        _("garis lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("garis bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    whatsapp = models.CharField(
        _("nomor WhatsApp"), max_length=24, blank=True, validators=[validate_whatsapp]
    )
    marketplace_links = StreamField(
        [("link", MarketplaceLinkBlock())], blank=True, verbose_name=_("toko daring")
    )
    opening_hours = models.CharField(
        _("jam buka"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya: Senin–Sabtu 08.00–16.00"),
    )
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[nib_validator],
        help_text=_("Nomor Induk Berusaha dari OSS."),
    )
    spp_irt = models.CharField(
        _("nomor SPP-IRT"),
        max_length=25,
        blank=True,
        validators=[spp_irt_validator],
        help_text=_("Sertifikat Produksi Pangan Industri Rumah Tangga."),
    )
    halal_certificate = models.CharField(
        _("nomor sertifikat halal"),
        max_length=40,
        blank=True,
        help_text=_("Wajib bagi usaha kecil makanan dan minuman mulai 18 Oktober 2026."),
    )
    qris_payload = models.TextField(
        _("kode QRIS statis"),
        blank=True,
        help_text=_(
            "Isi kode QRIS merchant (teks yang dimulai 000201), atau unggah foto stikernya."
        ),
    )
    qris_merchant_name = models.CharField(
        _("nama merchant di QRIS"), max_length=25, blank=True, editable=False
    )
    qris_nmid = models.CharField(_("NMID"), max_length=15, blank=True, editable=False)
    verified = models.BooleanField(
        _("QRIS terverifikasi"),
        default=False,
        help_text=_("Dicentang setelah operator memeriksa stiker QRIS asli di tempat usaha."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("usaha (UMKM)")
        verbose_name_plural = _("usaha (UMKM)")
        ordering = ["name"]
        indexes = [models.Index(fields=["village", "status", "category"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keeps the decoded merchant name and NMID in step with the payload; a changed payload
        resets ``verified`` and is recorded (QrisPayloadChange)."""
        self.qris_payload = (self.qris_payload or "").strip()
        parsed = self.qris
        self.qris_merchant_name = (parsed.merchant_name or "")[:25] if parsed else ""
        self.qris_nmid = (parsed.nmid or "")[:15] if parsed else ""
        previous = None
        if self.pk:
            previous = (
                Business.objects.filter(pk=self.pk).values_list("qris_payload", flat=True).first()
            )
        changed = self.pk is not None and previous is not None and previous != self.qris_payload
        if changed:
            self.verified = False
        fields = kwargs.get("update_fields")
        if changed and fields is not None:
            kwargs["update_fields"] = {*fields, "verified", "qris_merchant_name", "qris_nmid"}
        super().save(*args, **kwargs)
        if changed and not getattr(self, "_change_recorded_elsewhere", False):
            QrisPayloadChange.objects.create(
                village_id=self.village_id,
                business=self,
                old_payload=previous or "",
                new_payload=self.qris_payload,
                changed_by=getattr(self, "_changed_by", None),
            )

    def clean(self) -> None:
        super().clean()
        payload = (self.qris_payload or "").strip()
        self.qris_payload = payload
        if payload:
            errors = [p for p in qris.validate(payload) if p.severity == "error"]
            if errors:
                raise ValidationError({"qris_payload": [problem_message(p) for p in errors]})

    # -- QRIS -----------------------------------------------------------------------------
    @property
    def qris(self) -> qris.Payload | None:
        if not self.qris_payload:
            return None
        try:
            return qris.parse(self.qris_payload)
        except qris.QrisError:
            return None

    def qris_warnings(self) -> list[str]:
        """Warnings about the stored code: the codec's, and a merchant name unlike the
        business's (stickers get swapped; tag 59 is often truncated or the owner's name)."""
        if not self.qris_payload:
            return []
        problems = qris.validate(self.qris_payload)
        messages = [problem_message(p) for p in problems]
        if self.qris_merchant_name and not names_match(
            self.qris_merchant_name, self.name, self.owner_name
        ):
            messages.append(
                _(
                    "Nama merchant di QRIS (%(merchant)s) tidak sama dengan nama usaha atau "
                    "pemiliknya: pastikan stiker QRIS milik usaha ini."
                )
                % {"merchant": self.qris_merchant_name}
            )
        return messages

    def legal_warnings(self, today: date | None = None) -> list[str]:
        today = today or timezone.localdate()
        if self.category == Category.FOOD and not self.halal_certificate:
            if today >= HALAL_REQUIRED_FROM:
                return [
                    _("Usaha makanan dan minuman wajib bersertifikat halal sejak 18 Oktober 2026.")
                ]
            return [_("Usaha makanan dan minuman wajib bersertifikat halal mulai 18 Oktober 2026.")]
        return []

    @property
    def whatsapp_number(self) -> str:
        return normalise_whatsapp(self.whatsapp)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", (text or "").casefold()) if len(w) > 2}


def names_match(merchant_name: str, *names: str) -> bool:
    """Whether the name in tag 59 plausibly belongs to one of ``names``: a shared word of
    three letters or more, or one a prefix of the other (tag 59 is cut at 25 characters)."""
    merchant = merchant_name.casefold().strip()
    merchant_words = _words(merchant_name)
    for name in names:
        if not name:
            continue
        lowered = name.casefold().strip()
        if lowered.startswith(merchant) or merchant.startswith(lowered[:25]):
            return True
        if merchant_words & _words(name):
            return True
    return False


class ChangeStatus(models.TextChoices):
    APPLIED = "diterapkan", _("Diterapkan")
    PENDING = "menunggu", _("Menunggu tinjauan")
    REJECTED = "ditolak", _("Ditolak")


class QrisPayloadChange(models.Model):
    """A record of each change of a business's QRIS payload (sticker swaps are the real risk);
    the change also resets the business's verified flag. A change a seller asks for in the
    seller area (plugins/umkm/seller_views.py) waits as ``PENDING`` until an operator approves
    it (then it is applied) or rejects it."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+", verbose_name=_("desa")
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="qris_changes", verbose_name=_("usaha")
    )
    old_payload = models.TextField(_("kode lama"), blank=True)
    new_payload = models.TextField(_("kode baru"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.APPLIED
    )
    seller = models.ForeignKey(
        "umkm.Seller",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh penjual"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditinjau oleh"),
    )
    reviewed_at = models.DateTimeField(_("waktu tinjauan"), null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan QRIS")
        verbose_name_plural = _("perubahan QRIS")
        ordering = ["-changed_at"]

    def save(self, *args, **kwargs) -> None:
        if self.business_id:
            self.village_id = Business.objects.values_list("village_id", flat=True).get(
                pk=self.business_id
            )
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeStatus.PENDING

    def new_problems(self) -> list[str]:
        return [problem_message(p) for p in qris.validate(self.new_payload)]

    @property
    def new_qris(self) -> qris.Payload | None:
        try:
            return qris.parse(self.new_payload)
        except qris.QrisError:
            return None

    @classmethod
    def request_by_seller(cls, seller: Seller, payload: str) -> QrisPayloadChange:
        """A seller's new payload, waiting for the operator: replaces the seller business's
        earlier pending change, if any (the business itself is not touched)."""
        business = seller.business
        with transaction.atomic():
            found = (
                QrisPayloadChange.objects.select_for_update()
                .filter(business=business, status=ChangeStatus.PENDING)
                .order_by("-changed_at")
                .first()
            )
            pending = found or QrisPayloadChange(business=business, status=ChangeStatus.PENDING)
            pending.old_payload = business.qris_payload
            pending.new_payload = payload
            pending.seller = seller
            pending.save()
            QrisPayloadChange.objects.filter(
                business=business, status=ChangeStatus.PENDING
            ).exclude(pk=pending.pk).update(status=ChangeStatus.REJECTED)
        return pending

    def approve(self, user) -> None:
        """Apply the pending payload to the business (its verified flag is reset)."""
        with transaction.atomic():
            business = Business.objects.select_for_update().get(pk=self.business_id)
            self.old_payload = business.qris_payload
            business.qris_payload = self.new_payload
            business._change_recorded_elsewhere = True  # type: ignore[attr-defined]
            business._changed_by = user  # type: ignore[attr-defined]
            business.save()
            self._close(ChangeStatus.APPLIED, user)

    def reject(self, user) -> None:
        self._close(ChangeStatus.REJECTED, user)

    def _close(self, status: str, user) -> None:
        self.status = status
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        self.changed_by = self.changed_by or user
        self.save()


class Product(models.Model):
    """A product (or service) of a business, priced in whole rupiah."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="umkm_products",
        verbose_name=_("desa"),
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="products", verbose_name=_("usaha")
    )
    name = models.CharField(_("nama produk"), max_length=120)
    description = models.TextField(_("deskripsi"), blank=True)
    price = models.DecimalField(
        _("harga (Rp)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("1"))],
    )
    unit = models.CharField(_("satuan"), max_length=30, default="buah")
    variants = StreamField([("variant", VariantBlock())], blank=True, verbose_name=_("varian"))
    wholesale_tiers = StreamField(
        [("tier", WholesaleTierBlock())], blank=True, verbose_name=_("harga grosir")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto utama"),
    )
    gallery = StreamField(
        [("image", ImageChooserBlock(label=_("Foto")))], blank=True, verbose_name=_("foto lain")
    )
    available = models.BooleanField(_("tersedia"), default=True)
    featured = models.BooleanField(_("unggulan"), default=False)
    hidden = models.BooleanField(
        _("disembunyikan"),
        default=False,
        help_text=_("Produk yang disembunyikan tidak tampil di katalog dan tidak dapat dipesan."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("produk UMKM")
        verbose_name_plural = _("produk UMKM")
        ordering = ["-featured", "name"]
        indexes = [models.Index(fields=["village", "available", "price"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A product belongs to its business's village, whatever path created it (forms and
        imports refuse a business of another village before this)."""
        if self.business_id:
            self.village_id = Business.objects.values_list("village_id", flat=True).get(
                pk=self.business_id
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.business_id and self.village_id and self.business.village_id != self.village_id:
            errors["business"] = [_("Usaha ini milik desa lain.")]
        tiers = [block.value for block in self.wholesale_tiers]
        minimums = [tier["min_quantity"] for tier in tiers]
        if len(set(minimums)) != len(minimums):
            errors.setdefault("wholesale_tiers", []).append(
                _("Setiap tingkat harga grosir harus punya pembelian minimal yang berbeda.")
            )
        if self.price is not None:
            for tier in tiers:
                if tier["unit_price"] is not None and tier["unit_price"] >= self.price:
                    errors.setdefault("wholesale_tiers", []).append(
                        _("Harga grosir harus lebih rendah dari harga satuan biasa.")
                    )
                    break
        if errors:
            raise ValidationError(errors)

    def unit_price_for(self, quantity: int) -> Decimal:
        """The unit price for an order of ``quantity``: the best wholesale tier reached."""
        price = self.price
        best_minimum = 0
        for block in self.wholesale_tiers:
            tier = block.value
            if best_minimum < tier["min_quantity"] <= quantity:
                best_minimum = tier["min_quantity"]
                price = tier["unit_price"]
        return Decimal(price)

    def total_for(self, quantity: int) -> Decimal:
        return self.unit_price_for(quantity) * quantity

    @property
    def within_qris_cap(self) -> bool:
        return self.price <= qris.AMOUNT_CAP

    def qris_payload_for(self, quantity: int = 1) -> str | None:
        """The amount-bearing payload for ``quantity`` of this product, or None when the
        business has no valid code or the total is above the QRIS cap."""
        source = self.business.qris_payload
        if not source:
            return None
        try:
            return qris.with_amount(source, self.total_for(quantity))
        except qris.QrisError:
            return None


@register_setting(icon="pick")
class UmkmSettings(PluginSiteSetting):
    """Per-village settings of the catalogue (one row per village Site, not translated)."""

    whatsapp_intro = models.CharField(
        _("pembuka pesan WhatsApp"),
        max_length=200,
        blank=True,
        help_text=_(
            "Kalimat pembuka setiap pesan pesanan dan bukti bayar ke penjual, misalnya "
            '"Pesan dari katalog UMKM Desa Kreo."'
        ),
    )

    class Meta:
        verbose_name = _("pengaturan UMKM")


class Seller(models.Model):
    """A person who may edit one business and its products in the seller area, after signing
    in with a one-time link the village operator sends (plugins/umkm/sellers.py)."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+", verbose_name=_("desa")
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="sellers", verbose_name=_("usaha")
    )
    name = models.CharField(_("nama penjual"), max_length=120)
    whatsapp = models.CharField(
        _("nomor WhatsApp"), max_length=24, blank=True, validators=[validate_whatsapp]
    )
    email = models.EmailField(_("surel"), blank=True)
    active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Penjual nonaktif tidak dapat masuk lagi.")
    )
    last_signed_in_at = models.DateTimeField(_("terakhir masuk"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penjual UMKM")
        verbose_name_plural = _("penjual UMKM")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A seller belongs to the village of their business, whatever path created them."""
        if self.business_id:
            self.village_id = Business.objects.values_list("village_id", flat=True).get(
                pk=self.business_id
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if not (self.whatsapp or "").strip() and not (self.email or "").strip():
            errors["whatsapp"] = [_("Isi nomor WhatsApp atau alamat surel penjual.")]
        if self.business_id and self.village_id and self.business.village_id != self.village_id:
            errors["business"] = [_("Usaha ini milik desa lain.")]
        if errors:
            raise ValidationError(errors)

    @property
    def whatsapp_number(self) -> str:
        return normalise_whatsapp(self.whatsapp)


class SellerSignInLink(models.Model):
    """A one-time sign-in link of a seller: only the SHA-256 of its token is stored."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+", verbose_name=_("desa")
    )
    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="sign_in_links", verbose_name=_("penjual")
    )
    token_hash = models.CharField(_("sidik token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    class Meta:
        verbose_name = _("tautan masuk penjual")
        verbose_name_plural = _("tautan masuk penjual")
        ordering = ["-created_at"]

    def save(self, *args, **kwargs) -> None:
        if self.seller_id:
            self.village_id = Seller.objects.values_list("village_id", flat=True).get(
                pk=self.seller_id
            )
        super().save(*args, **kwargs)


from .pages import CataloguePage  # noqa: E402,F401  (the page type lives beside its views)
