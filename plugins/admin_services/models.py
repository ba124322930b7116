"""Models of the admin_services plugin: the service catalogue, residents' requests, their
workflow audit trail, and numbered letters.

* :class:`ServiceTemplate` is the district's catalogue (no village); each village adopts a
  template into its own :class:`Service` and adapts it.
* :class:`ServiceRequest` is a resident's request (letter or complaint). NIK, KK, phone and
  e-mail are encrypted at rest (core/villages/crypto.py); ``nik_index`` is a keyed hash for
  look-ups ("requests of this NIK") and per-NIK rate limits.
* :class:`RequestTransition` is the audit row of every state change (plugins/admin_services/
  workflow.py decides who may make which change).
* :class:`LetterCounter` and :class:`Letter`: numbers per village and year, assigned under a row
  lock (plugins/admin_services/numbering.py).
"""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import register_setting

from core.pluginhost.settings import PluginSiteSetting
from core.villages.crypto import EncryptedTextField, blind_index, mask

# Letters use an alphabet without look-alikes (0/O, 1/I/L) for numbers read over the phone.
SHORT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_MAX_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=30)


def short_code(length: int = 8) -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ServiceKind(models.TextChoices):
    LETTER = "surat", _("Surat keterangan")
    COMPLAINT = "pengaduan", _("Pengaduan")


class Datatype(models.TextChoices):
    """The attribute datatypes of Open311 GeoReport v2."""

    STRING = "string", _("Teks pendek")
    NUMBER = "number", _("Angka")
    DATETIME = "datetime", _("Tanggal dan jam")
    TEXT = "text", _("Teks panjang")
    SINGLE = "singlevaluelist", _("Pilih satu")
    MULTI = "multivaluelist", _("Pilih beberapa")


class Signer(models.TextChoices):
    KEPALA_DESA = "kepala_desa", _("Kepala desa")
    SEKDES = "sekdes", _("Sekretaris desa")


def validate_field_definitions(value) -> None:
    """``fields`` of a service: a list of typed field definitions (Open311 attributes)."""
    if not isinstance(value, list):
        raise ValidationError(_("Isian formulir harus berupa daftar."))
    seen = set()
    for item in value:
        if not isinstance(item, dict):
            raise ValidationError(_("Setiap isian harus berupa objek."))
        code = str(item.get("code", ""))
        if not code or not code.replace("_", "").isalnum() or code in seen:
            raise ValidationError(
                _("Kode isian %(code)s kosong, tidak sah, atau ganda."), params={"code": code}
            )
        seen.add(code)
        if item.get("datatype") not in Datatype.values:
            raise ValidationError(_("Jenis isian %(code)s tidak dikenal."), params={"code": code})
        if not item.get("label"):
            raise ValidationError(_("Isian %(code)s tidak berlabel."), params={"code": code})
        if item["datatype"] in (Datatype.SINGLE, Datatype.MULTI):
            values = item.get("values")
            if not isinstance(values, list) or not values:
                raise ValidationError(
                    _("Isian pilihan %(code)s belum punya pilihan."), params={"code": code}
                )


class ServiceFields(models.Model):
    """What a district template and a village service share."""

    kind = models.CharField(
        _("jenis"), max_length=10, choices=ServiceKind.choices, default=ServiceKind.LETTER
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama layanan"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    required_documents = models.TextField(
        _("dokumen persyaratan"), blank=True, help_text=_("Satu dokumen per baris.")
    )
    fields = models.JSONField(
        _("isian formulir"),
        default=list,
        blank=True,
        validators=[validate_field_definitions],
        help_text=_(
            'Daftar isian, mis. [{"code": "keperluan", "label": "Keperluan", '
            '"datatype": "string", "required": true}].'
        ),
    )
    service_level_days = models.PositiveSmallIntegerField(
        _("lama layanan (hari)"), default=3, validators=[MinValueValidator(1)]
    )
    classification_code = models.CharField(
        _("kode klasifikasi surat"), max_length=30, blank=True, help_text=_("Mis. 400.12.2.2")
    )
    letter_subject = models.CharField(_("perihal surat"), max_length=200, blank=True)
    letter_body = models.TextField(
        _("isi surat"),
        blank=True,
        help_text=_(
            "Tempat isian: {nama}, {alamat}, {dusun}, {rt}, {rw}, {desa}, {tanggal} dan kode "
            "setiap isian formulir, mis. {keperluan}."
        ),
    )
    signer = models.CharField(
        _("penanda tangan"), max_length=20, choices=Signer.choices, default=Signer.KEPALA_DESA
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class ServiceTemplate(ServiceFields):
    """A service in the district's catalogue, which villages adopt."""

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("templat layanan")
        verbose_name_plural = _("templat layanan")
        constraints = [models.UniqueConstraint(fields=["code"], name="svc_template_code")]


COPIED_FIELDS = [
    "kind",
    "code",
    "name",
    "description",
    "required_documents",
    "fields",
    "service_level_days",
    "classification_code",
    "letter_subject",
    "letter_body",
    "signer",
]


class Service(ServiceFields):
    """A service a village offers (adopted from a district template, then adapted)."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    template = models.ForeignKey(
        ServiceTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("templat"),
        related_name="adoptions",
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        constraints = [models.UniqueConstraint(fields=["village", "code"], name="svc_village_code")]

    @classmethod
    def adopt(cls, template: ServiceTemplate, village) -> Service:
        """The village's copy of ``template`` (created once; later edits stay the village's)."""
        existing = cls.objects.filter(village=village, code=template.code).first()
        if existing is not None:
            return existing
        values = {name: getattr(template, name) for name in COPIED_FIELDS}
        return cls.objects.create(village=village, template=template, **values)


class RequestState(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan")
    CHECKING = "diperiksa", _("Sedang diperiksa")
    NEEDS_REVISION = "perlu_perbaikan", _("Perlu perbaikan oleh pemohon")
    AWAITING_SIGNATURE = "menunggu_ttd", _("Menunggu tanda tangan")
    ISSUED = "siap", _("Selesai dibuat, siap diambil")
    COMPLETED = "selesai", _("Selesai")
    REJECTED = "ditolak", _("Ditolak")
    CANCELLED = "dibatalkan", _("Dibatalkan")


CLOSED_STATES = (RequestState.COMPLETED, RequestState.REJECTED, RequestState.CANCELLED)


class Channel(models.TextChoices):
    ONLINE = "daring", _("Daring")
    WALK_IN = "loket", _("Datang ke kantor")


class ServiceRequest(models.Model):
    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    # Nullable only so that generic tools (the confinement sweeps) can create a bare row; every
    # form and API sets it, and a request without a service can never reach a letter.
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        verbose_name=_("layanan"),
        related_name="requests",
    )
    number = models.CharField(_("nomor permohonan"), max_length=12, default=short_code)
    tracking_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    pin_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(
        _("status"), max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED
    )
    channel = models.CharField(
        _("saluran"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    name = models.CharField(_("nama"), max_length=150)
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    kk = EncryptedTextField(_("nomor KK"), blank=True)
    phone = EncryptedTextField(_("WhatsApp/telepon"), blank=True)
    email = EncryptedTextField(_("surel"), blank=True)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    answers = models.JSONField(_("jawaban isian"), default=dict, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    consent_at = models.DateTimeField(_("persetujuan pengolahan data"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    due_on = models.DateField(_("tenggat"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True)
    telegram_token = models.CharField(max_length=40, default=new_token, editable=False)
    telegram_chat_id = EncryptedTextField(blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("permohonan layanan")
        verbose_name_plural = _("permohonan layanan")
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="svc_request_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.service}"

    def save(self, *args, **kwargs):
        if self.due_on is None and self.service_id:
            start = timezone.localdate(self.submitted_at or timezone.now())
            self.due_on = start + timedelta(days=self.service.service_level_days)
        super().save(*args, **kwargs)

    # -- personal data ---------------------------------------------------------------------
    @property
    def nik_masked(self) -> str:
        return mask(self.nik)

    @property
    def kk_masked(self) -> str:
        return mask(self.kk)

    @property
    def kind(self) -> str:
        return self.service.kind if self.service_id else ServiceKind.COMPLAINT

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_closed
            and self.state != RequestState.ISSUED
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    # -- PIN -------------------------------------------------------------------------------
    def set_pin(self, pin: str) -> None:
        self.pin_hash = make_password(pin)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def check_pin(self, pin: str) -> bool:
        """Whether ``pin`` is right; failures are counted and lock the request for a while.
        A locked request refuses even the right PIN until the lock ends."""
        if self.is_locked():
            return False
        if self.pin_hash and check_password(pin or "", self.pin_hash):
            if self.pin_failures:
                type(self).objects.filter(pk=self.pk).update(pin_failures=0, locked_until=None)
                self.pin_failures = 0
            return True
        failures = self.pin_failures + 1
        locked = timezone.now() + PIN_LOCKOUT if failures >= PIN_MAX_FAILURES else None
        type(self).objects.filter(pk=self.pk).update(
            pin_failures=0 if locked else failures, locked_until=locked
        )
        self.pin_failures, self.locked_until = (0 if locked else failures), locked
        return False


class RequestTransition(models.Model):
    """One state change of a request: who, when, from, to, and a note."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(
        _("dari"), max_length=20, choices=RequestState.choices, blank=True
    )
    to_state = models.CharField(_("ke"), max_length=20, choices=RequestState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_role = models.CharField(_("peran"), max_length=20, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    public = models.BooleanField(_("tampil untuk pemohon"), default=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat permohonan")
        verbose_name_plural = _("riwayat permohonan")


class RequestDocument(models.Model):
    """A file a resident (or an officer) attached to a request: checked and cleaned on upload
    (plugins/admin_services/uploads.py), stored outside the public media paths."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("berkas"), upload_to="admin_services/uploads/%Y/%m/")
    label = models.CharField(_("keterangan"), max_length=150, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("berkas permohonan")
        verbose_name_plural = _("berkas permohonan")


class ServiceRole(models.Model):
    """Who signs and approves for a village: the secretary (sekdes) and the head (kepala desa).
    Operators are the members of the village's Petugas Layanan group."""

    class Role(models.TextChoices):
        SEKDES = "sekdes", _("Sekretaris desa")
        KEPALA_DESA = "kepala_desa", _("Kepala desa")

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("peran layanan")
        verbose_name_plural = _("peran layanan")
        constraints = [
            models.UniqueConstraint(fields=["village", "user", "role"], name="svc_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class LetterCounter(models.Model):
    """The last sequence number used per village, year and scope ("" = one sequence for all
    letters; a service code when the village numbers each letter type apart)."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000)])
    scope = models.CharField(_("lingkup"), max_length=40, blank=True, default="")
    last_number = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penghitung nomor surat")
        verbose_name_plural = _("penghitung nomor surat")
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "scope"], name="svc_counter")
        ]


class Letter(models.Model):
    """An outgoing letter in the register (Buku Agenda Surat Keluar): issued from a request or
    a number reserved for a letter made outside the system. Kept when personal data is erased."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    request = models.OneToOneField(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter",
        verbose_name=_("permohonan"),
    )
    number = models.CharField(_("nomor surat"), max_length=100)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000)])
    sequence = models.PositiveIntegerField(_("urutan"), validators=[MaxValueValidator(999999)])
    scope = models.CharField(max_length=40, blank=True, default="")
    subject = models.CharField(_("perihal"), max_length=200)
    addressee = models.CharField(_("kepada/atas nama"), max_length=150, blank=True)
    issued_on = models.DateField(_("tanggal"), default=timezone.localdate)
    signer_name = models.CharField(_("penanda tangan"), max_length=150, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=100, blank=True)
    reserved = models.BooleanField(_("nomor dicadangkan"), default=False)
    verify_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    file = models.FileField(_("berkas surat"), upload_to="admin_services/letters/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("surat keluar")
        verbose_name_plural = _("buku agenda surat keluar")
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="svc_letter_number"),
            models.UniqueConstraint(
                fields=["village", "year", "scope", "sequence"], name="svc_letter_sequence"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


class Open311Client(models.Model):
    """An application allowed to post complaints through the Open311 API of a village."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, verbose_name=_("desa")
    )
    name = models.CharField(_("nama aplikasi"), max_length=100)
    api_key = EncryptedTextField(_("api_key"), default=new_api_key)
    key_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key_index = blind_index(self.api_key.strip(), "admin_services.open311")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "key_index"}
        super().save(*args, **kwargs)


@register_setting(icon="doc-full")
class ServiceSettings(PluginSiteSetting):
    """Per-village settings of the services: letterhead, signers, numbering."""

    letterhead_name = models.CharField(
        _("nama pemerintah desa pada kop"),
        max_length=150,
        blank=True,
        help_text=_("Mis. PEMERINTAH DESA KREO. Kosong: dibuat dari nama desa."),
    )
    letterhead_address = models.CharField(_("alamat pada kop"), max_length=255, blank=True)
    letter_village_code = models.CharField(
        _("kode desa pada nomor surat"),
        max_length=30,
        blank=True,
        help_text=_("Kosong: bagian terakhir kode wilayah desa."),
    )
    number_format = models.CharField(
        _("format nomor surat"),
        max_length=100,
        default="{kode}/{nomor}/{desa}/{bulan}/{tahun}",
        help_text=_(
            "Bagian: {kode} klasifikasi, {nomor} urutan, {desa} kode desa, {bulan} bulan "
            "Romawi, {tahun} tahun."
        ),
    )
    number_digits = models.PositiveSmallIntegerField(
        _("digit nomor urut"), default=3, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    per_service_sequence = models.BooleanField(
        _("nomor urut terpisah per kode klasifikasi"),
        default=False,
        help_text=_("Hanya berlaku bila format memuat {kode}."),
    )
    kepala_desa_name = models.CharField(_("nama kepala desa"), max_length=150, blank=True)
    kepala_desa_title = models.CharField(
        _("jabatan kepala desa"), max_length=100, default="Kepala Desa"
    )
    sekdes_name = models.CharField(_("nama sekretaris desa"), max_length=150, blank=True)
    sekdes_title = models.CharField(
        _("jabatan sekretaris desa"), max_length=100, default="Sekretaris Desa"
    )
    telegram_bot_username = models.CharField(
        _("nama bot Telegram"), max_length=64, blank=True, help_text=_("Tanpa @, mis. DesaKreoBot.")
    )
    telegram_bot_token = EncryptedTextField(
        _("token bot Telegram"), blank=True, help_text=_("Dari @BotFather; disimpan terenkripsi.")
    )
    whatsapp_phone_number_id = models.CharField(
        _("ID nomor telepon WhatsApp"),
        max_length=40,
        blank=True,
        help_text=_("Phone number ID dari WhatsApp Manager (WhatsApp Cloud API)."),
    )
    whatsapp_access_token = EncryptedTextField(
        _("token akses WhatsApp"),
        blank=True,
        help_text=_("Token akses permanen (system user); disimpan terenkripsi."),
    )
    whatsapp_template = models.CharField(
        _("nama templat pesan WhatsApp"),
        max_length=100,
        default="sidekem_status_permohonan",
        help_text=_(
            "Templat yang sudah disetujui dengan 4 isian: {{1}} nomor permohonan, {{2}} "
            "layanan, {{3}} status, {{4}} tautan lacak."
        ),
    )
    whatsapp_template_language = models.CharField(
        _("bahasa templat WhatsApp"), max_length=10, default="id"
    )

    class Meta:
        verbose_name = _("pengaturan layanan administrasi")

    def clean(self):
        super().clean()
        names = {n for _, n, _, _ in string.Formatter().parse(self.number_format) if n is not None}
        unknown = names - {"kode", "nomor", "desa", "bulan", "tahun"}
        if unknown or "nomor" not in names:
            raise ValidationError(
                {
                    "number_format": _(
                        "Format nomor harus memuat {nomor} dan hanya bagian {kode}, {nomor}, "
                        "{desa}, {bulan}, {tahun}."
                    )
                }
            )
        if self.per_service_sequence and "kode" not in names:
            raise ValidationError(
                {
                    "per_service_sequence": _(
                        "Nomor urut per kode klasifikasi butuh {kode} di format."
                    )
                }
            )


from .pages import ServicesPage  # noqa: E402,F401  (page type with views needing the models)
