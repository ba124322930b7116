"""Models of the transparency plugin: the village budget (APBDes) of Permendagri 20/2018.

Reference data shared by every village (seeded by migration 0002 from ``data/``): the chart of
accounts (:class:`Account`), the spending sectors (:class:`Sector`), the funding sources
(:class:`FundingSource`) and the labels villages publish for them (:class:`FundingSourceLabel`).

A village's rows all carry a ``village`` foreign key: :class:`Budget` (one per year) has
:class:`BudgetVersion` s (the original APBDes, its one Perdes revision, later Perkades changes);
a version has :class:`Activity` s (kegiatan, under a sub-sector) and :class:`BudgetLine` s
(income and financing lines, and the cost lines of each activity's RAB); a line has dated
:class:`Realisation` s. :class:`DevelopmentActivity` and its :class:`ProgressUpdate` s show
physical progress. Money is Decimal with two places.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 18, "decimal_places": 2}
PUBLISHED_LOCKED = _(
    "Versi ini sudah diterbitkan dan tidak diubah lagi: buat versi perubahan (Perdes/Perkades)."
)


def normalise_code(code: str) -> str:
    """``"5.2.1.01."`` / ``" 5.2.1.01 "`` → ``"5.2.1.01"`` (Siskeudes ends codes with a dot)."""
    return str(code or "").strip().strip(".").replace(" ", "")


def normalise_label(label: str) -> str:
    """Funding-source labels compare without case, spaces or the separators villages vary."""
    text = str(label or "").upper().strip()
    for sep in ("_", " ", "/", "."):
        text = text.replace(sep, "-")
    while "--" in text:
        text = text.replace("--", "-")
    return text.strip("-")


# -- reference data -----------------------------------------------------------------------------
class Account(models.Model):
    """One code of the chart of accounts (akun 4/5/6, kelompok, jenis, objek)."""

    class Level(models.TextChoices):
        AKUN = "akun", _("Akun")
        KELOMPOK = "kelompok", _("Kelompok")
        JENIS = "jenis", _("Jenis")
        OBJEK = "objek", _("Objek")

    code = models.CharField(_("kode"), max_length=20, unique=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("uraian"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kode rekening")
        verbose_name_plural = _("kode rekening")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def head(self) -> str:
        return self.code[:1]

    @classmethod
    def resolve(cls, code: str) -> Account | None:
        """The account of ``code``; ``5.2.1.95`` falls in the range object ``5.2.1.90-99``."""
        code = normalise_code(code)
        if not code:
            return None
        found = cls.objects.filter(code=code).first()
        if found is not None:
            return found
        parent, _dot, last = code.rpartition(".")
        if parent and last.isdigit() and len(last) == 2 and int(last) >= 90:
            return cls.objects.filter(code=f"{parent}.90-99").first()
        return None


class Sector(models.Model):
    """A spending sector (bidang) or sub-sector (sub-bidang) of Permendagri 20/2018."""

    class Level(models.TextChoices):
        BIDANG = "bidang", _("Bidang")
        SUB_BIDANG = "sub_bidang", _("Sub-bidang")

    code = models.CharField(_("kode"), max_length=10, unique=True)
    siskeudes_code = models.CharField(_("kode Siskeudes"), max_length=10, unique=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("nama"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bidang")
        verbose_name_plural = _("bidang dan sub-bidang")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def resolve(cls, code: str) -> Sector | None:
        """A sector by its regulation code (``2.3``) or Siskeudes code (``02.03``)."""
        code = normalise_code(code)
        if not code:
            return None
        return cls.objects.filter(Q(code=code) | Q(siskeudes_code=code)).first()


class FundingSource(models.Model):
    """A funding source (sumber dana) as Siskeudes codes it: DDS, ADD, PAD, PBH, PBK, PBP, SWD,
    DLL. SiLPA is none: carried-over money keeps the source it came from."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FundingSourceLabel(models.Model):
    """A label a village publishes ("DD-APBN", "BAN-PROV") and the source it means."""

    label = models.CharField(_("label"), max_length=60, unique=True)
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.CASCADE,
        related_name="labels",
        verbose_name=_("sumber dana"),
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("label sumber dana")
        verbose_name_plural = _("label sumber dana")

    def __str__(self) -> str:
        return f"{self.label} → {self.source.code}"

    def save(self, *args, **kwargs):
        self.label = normalise_label(self.label)
        super().save(*args, **kwargs)

    @classmethod
    def resolve(cls, label: str) -> FundingSource | None:
        key = normalise_label(label)
        if not key:
            return None
        found = cls.objects.select_related("source").filter(label=key).first()
        if found is not None:
            return found.source
        return FundingSource.objects.filter(code=key).first()


# -- a village's budget -------------------------------------------------------------------------
class Budget(models.Model):
    """The APBDes of one village for one fiscal (calendar) year."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    complaint_info = models.TextField(
        _("tempat pengaduan"),
        blank=True,
        help_text=_("Ke mana warga menyampaikan pertanyaan atau pengaduan tentang anggaran ini."),
    )

    class Meta:
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="transparency_budget_year")
        ]
        verbose_name = _("APBDes")
        verbose_name_plural = _("APBDes")

    def __str__(self) -> str:
        return _("APBDes %(year)s") % {"year": self.year}


class BudgetVersion(models.Model):
    """One version of a year's budget with its legal basis: the original APBDes (Perdes), the
    one revision a year by Perdes perubahan, and later changes by Perkades."""

    class Kind(models.TextChoices):
        ORIGINAL = "murni", _("APBDes (murni)")
        REVISION = "perubahan", _("Perubahan APBDes (Perdes)")
        PERKADES = "perkades", _("Perubahan penjabaran (Perkades)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Diterbitkan")

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="versions", verbose_name=_("APBDes")
    )
    number = models.PositiveSmallIntegerField(
        _("nomor versi"), validators=[MinValueValidator(1)], help_text=_("1 untuk APBDes murni.")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    legal_basis = models.CharField(
        _("dasar hukum"), max_length=200, blank=True, help_text=_("mis. Perdes No. 1 Tahun 2025")
    )
    legal_date = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dokumen (PDF)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    # Totals as the village's official document states them: reconciled, never enforced.
    declared_income = models.DecimalField(
        _("jumlah pendapatan menurut dokumen"), null=True, blank=True, **MONEY
    )
    declared_spending = models.DecimalField(
        _("jumlah belanja menurut dokumen"), null=True, blank=True, **MONEY
    )
    declared_financing_in = models.DecimalField(
        _("penerimaan pembiayaan menurut dokumen"), null=True, blank=True, **MONEY
    )
    declared_financing_out = models.DecimalField(
        _("pengeluaran pembiayaan menurut dokumen"), null=True, blank=True, **MONEY
    )

    class Meta:
        ordering = ["budget", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="transparency_version_no"),
            models.UniqueConstraint(
                fields=["budget"],
                condition=Q(kind="murni"),
                name="transparency_one_original",
            ),
            models.UniqueConstraint(
                fields=["budget"],
                condition=Q(kind="perubahan"),
                name="transparency_one_perdes_revision",
            ),
        ]
        verbose_name = _("versi APBDes")
        verbose_name_plural = _("versi APBDes")
        permissions = [("publish_budgetversion", _("Dapat menerbitkan versi APBDes"))]

    def __str__(self) -> str:
        return _("APBDes %(year)s versi %(number)s (%(kind)s)") % {
            "year": self.budget.year,
            "number": self.number,
            "kind": self.get_kind_display(),
        }

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self):
        super().clean()
        if self.budget_id and self.village_id and self.budget.village_id != self.village_id:
            raise ValidationError({"budget": _("APBDes ini milik desa lain.")})
        if self.kind == self.Kind.ORIGINAL and self.number != 1:
            raise ValidationError({"number": _("APBDes murni adalah versi 1.")})
        if self.kind != self.Kind.ORIGINAL and self.number == 1:
            raise ValidationError({"number": _("Versi 1 adalah APBDes murni.")})


class Activity(models.Model):
    """A kegiatan: spending under a sub-sector, detailed by the cost lines of its RAB."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    version = models.ForeignKey(
        BudgetVersion,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("versi APBDes"),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-bidang"),
        limit_choices_to={"level": "sub_bidang"},
    )
    code = models.CharField(_("kode kegiatan"), max_length=30, blank=True)
    name = models.CharField(_("nama kegiatan"), max_length=300)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    output = models.CharField(_("keluaran"), max_length=300, blank=True)

    class Meta:
        ordering = ["sector__code", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "sector", "name"], name="transparency_activity_unique"
            )
        ]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.version_id and self.village_id and self.version.village_id != self.village_id:
            raise ValidationError({"version": _("Versi ini milik desa lain.")})
        if self.version_id and self.version.is_published:
            raise ValidationError({"version": PUBLISHED_LOCKED})
        if self.sector_id and self.sector.level != Sector.Level.SUB_BIDANG:
            raise ValidationError({"sector": _("Pilih sub-bidang, bukan bidang.")})


class BudgetLine(models.Model):
    """A line of a version: income (4) and financing (6) lines stand alone; spending (5) lines
    are the cost lines of an activity's RAB (account object, description, volume, unit, unit
    price, funding source)."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    version = models.ForeignKey(
        BudgetVersion, on_delete=models.CASCADE, related_name="lines", verbose_name=_("versi")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("kode rekening")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("kegiatan"),
    )
    description = models.CharField(_("uraian"), max_length=300, blank=True)
    volume = models.DecimalField(
        _("volume"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("harga satuan"), null=True, blank=True, **MONEY)
    amount = models.DecimalField(_("jumlah"), default=Decimal("0"), **MONEY)
    source = models.ForeignKey(
        FundingSource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sumber dana"),
    )
    order = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["version", "account__code", "order", "pk"]
        indexes = [models.Index(fields=["version", "account"])]
        verbose_name = _("baris anggaran")
        verbose_name_plural = _("baris anggaran")

    def __str__(self) -> str:
        return f"{self.account.code} {self.description or self.account.name}"

    def save(self, *args, **kwargs):
        if self.volume is not None and self.unit_price is not None and not self.amount:
            self.amount = (self.volume * self.unit_price).quantize(Decimal("0.01"))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.version_id and self.village_id and self.version.village_id != self.village_id:
            errors["version"] = _("Versi ini milik desa lain.")
        elif self.version_id and self.version.is_published:
            errors["version"] = PUBLISHED_LOCKED
        if self.account_id:
            head = self.account.code[:1]
            if head == "5" and not self.activity_id:
                errors["activity"] = _("Belanja harus di bawah sebuah kegiatan.")
            if head != "5" and self.activity_id:
                errors["activity"] = _("Hanya belanja yang berada di bawah kegiatan.")
        if self.activity_id and self.version_id and self.activity.version_id != self.version_id:
            errors["activity"] = _("Kegiatan ini dari versi lain.")
        if errors:
            raise ValidationError(errors)


class Realisation(models.Model):
    """Money actually received or spent on a line, as of a date (at least per semester)."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="realisations",
        verbose_name=_("baris anggaran"),
    )
    date = models.DateField(_("tanggal"))
    amount = models.DecimalField(_("jumlah realisasi"), **MONEY)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["line", "date"]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self) -> str:
        return f"{self.date}: {self.amount}"

    def clean(self):
        super().clean()
        if self.line_id and self.village_id and self.line.village_id != self.village_id:
            raise ValidationError({"line": _("Baris ini milik desa lain.")})


class DevelopmentActivity(models.Model):
    """A physical development activity (a road, a culvert) with its progress."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="developments", verbose_name=_("APBDes")
    )
    name = models.CharField(_("nama kegiatan"), max_length=300)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    volume = models.CharField(_("volume"), max_length=100, blank=True)
    executor = models.CharField(_("pelaksana"), max_length=200, blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="developments", verbose_name=_("kegiatan anggaran")
    )
    unfinished_reason = models.TextField(
        _("alasan belum selesai atau tidak dilaksanakan"), blank=True
    )

    class Meta:
        ordering = ["budget", "name"]
        verbose_name = _("kegiatan pembangunan")
        verbose_name_plural = _("kegiatan pembangunan")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.budget_id and self.village_id and self.budget.village_id != self.village_id:
            raise ValidationError({"budget": _("APBDes ini milik desa lain.")})


class ProgressUpdate(models.Model):
    """A dated progress report of a development activity, with an optional photo."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    development = models.ForeignKey(
        DevelopmentActivity,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("kegiatan pembangunan"),
    )
    date = models.DateField(_("tanggal"))
    percent = models.PositiveSmallIntegerField(
        _("kemajuan (%)"), validators=[MaxValueValidator(100)]
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("foto"),
    )
    photo_alt = models.CharField(_("teks alternatif foto"), max_length=250, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["development", "-date"]
        verbose_name = _("laporan kemajuan")
        verbose_name_plural = _("laporan kemajuan")

    def __str__(self) -> str:
        return f"{self.date}: {self.percent}%"

    def clean(self):
        super().clean()
        if (
            self.development_id
            and self.village_id
            and self.development.village_id != self.village_id
        ):
            raise ValidationError({"development": _("Kegiatan ini milik desa lain.")})
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("Isi teks alternatif untuk foto.")})


class BudgetDocument(models.Model):
    """A document the regulation asks the village to publish for a year's budget: the
    semester and year-end realisation reports (and any other, e.g. the Perkades of the
    elaboration). A version's own Perdes/Perkades is ``BudgetVersion.document``."""

    class Kind(models.TextChoices):
        SEMESTER = "semester", _("Laporan realisasi semester pertama")
        YEAR_END = "akhir_tahun", _("Laporan realisasi akhir tahun")
        ACCOUNTABILITY = "lpj", _("Laporan pertanggungjawaban realisasi APBDes")
        REGULATION = "peraturan", _("Peraturan desa / peraturan kepala desa")
        OTHER = "lainnya", _("Lainnya")

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="documents", verbose_name=_("APBDes")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,  # required in the form; a deleted file leaves the entry without a link
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dokumen (PDF)"),
    )

    class Meta:
        ordering = ["budget", "kind", "date", "pk"]
        verbose_name = _("dokumen APBDes")
        verbose_name_plural = _("dokumen APBDes")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.budget_id and self.village_id and self.budget.village_id != self.village_id:
            raise ValidationError({"budget": _("APBDes ini milik desa lain.")})
