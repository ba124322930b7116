"""The resident's request form, built per service from its typed fields (Open311 datatypes).

Checks, each refusing with an Indonesian message and keeping what the resident typed (files
cannot be kept by a browser: the message asks to attach them again):

* NIK (python-stdnum ``stdnum.id.nik``: format, area, birth date) and KK (16 digits, area);
* uploads: type told by content, size limit, images re-encoded (plugins/admin_services/uploads.py);
* a honeypot field and a signed one-use form token (core/website/forms.py);
* rate limits in the shared cache (core/website/ratelimit.py): per client and village, per
  village, and per NIK (by its keyed hash, never the NIK itself).
"""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from core.villages.crypto import blind_index
from core.website import ratelimit
from core.website.forms import (
    MAX_SECONDS,
    MIN_SECONDS,
    PublicForm,
    issue_token,
    read_token,
    use_token,
)

from .models import Datatype, Service, ServiceKind
from .uploads import clean_upload

SALT = "sidekem.admin_services.request"
MAX_FILES = 5
LIMIT_PER_CLIENT = 5
LIMIT_PER_VILLAGE = 200
LIMIT_PER_NIK = 5
LIMIT_WINDOW = 3600
PIN_RE = re.compile(r"^\d{6}$")
NIK_PURPOSE = "admin_services.nik"


def nik_index(nik: str) -> str:
    return blind_index(nik, NIK_PURPOSE)


def validate_nik(value: str) -> str:
    value = re.sub(r"[\s.\-]", "", value or "")
    try:
        return stdnum_nik.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "NIK tidak sah. NIK terdiri dari 16 angka seperti tertulis di KTP/KK; periksa "
                "kembali angkanya."
            )
        ) from None


def validate_kk(value: str) -> str:
    """KK numbers: 16 digits, beginning with a valid area code (no birth date inside)."""
    value = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"\d{16}", value) or value[:2] in ("00",) or value[2:4] == "00":
        raise ValidationError(_("Nomor KK tidak sah: harus 16 angka seperti tertulis di KK."))
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def field_for(definition: dict) -> forms.Field:
    """A form field for one typed field definition of a service."""
    kind = definition["datatype"]
    common = {
        "label": definition["label"],
        "required": bool(definition.get("required")),
        "help_text": definition.get("description", ""),
    }
    if kind == Datatype.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=4, **common)
    if kind == Datatype.DATETIME:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if kind == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common)
    if kind in (Datatype.SINGLE, Datatype.MULTI):
        choices = [(str(v.get("key")), v.get("name") or v.get("key")) for v in definition["values"]]
        if kind == Datatype.SINGLE:
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=255, **common)


def answer_value(value):
    """A cleaned answer as JSON-friendly text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return [str(v) for v in value]
    return "" if value is None else str(value)


class RequestForm(PublicForm):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=24)
    kk = forms.CharField(label=_("Nomor KK"), max_length=24, required=False)
    phone = forms.CharField(label=_("Nomor WhatsApp/telepon"), max_length=20)
    email = forms.EmailField(label=_("Surel (tidak wajib)"), required=False, max_length=254)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )
    address = forms.CharField(label=_("Lokasi/alamat kejadian"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Lintang"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Bujur"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    documents = MultipleFileField(label=_("Berkas persyaratan (PDF, JPG atau PNG)"), required=False)
    pin = forms.CharField(
        label=_("PIN 6 angka pilihan Anda"),
        widget=forms.PasswordInput(render_value=True, attrs={"inputmode": "numeric"}),
        max_length=6,
        help_text=_(
            "Dipakai untuk membuka halaman lacak permohonan. Jangan berikan ke orang lain."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data saya diolah oleh pemerintah desa hanya untuk layanan ini "
            "(UU 27/2022 tentang Pelindungan Data Pribadi)."
        )
    )
    website = forms.CharField(label=_("Jangan isi kolom ini"), required=False, strip=False)
    issued = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    unseen_fields = ("website",)

    def __init__(self, *args, service: Service, request=None, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.request = request
        self.staff = staff
        self.clean_files = []
        self._token_refused = False
        self._honeypot_filled = False
        self.token = None
        self.fields["issued"].initial = issue_token(SALT)
        self.fields["website"].validators = []
        self.fields["issued"].validators = []
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["nik"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["kk"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        if service.kind == ServiceKind.COMPLAINT:
            self.fields["nik"].required = False
            self.fields["description"].required = True
        else:
            for name in ("description", "address", "latitude", "longitude"):
                del self.fields[name]
        if staff:  # a walk-in request: the officer checked the papers at the counter
            for name in ("pin", "consent", "website"):
                del self.fields[name]
            self.fields["phone"].required = False
        for definition in service.fields or []:
            self.fields[f"f_{definition['code']}"] = field_for(definition)

    @property
    def typed_fields(self):
        return [self[name] for name in self.fields if name.startswith("f_")]

    # -- field checks -----------------------------------------------------------------------
    def clean_nik(self):
        value = self.cleaned_data.get("nik", "")
        return validate_nik(value) if value else ""

    def clean_kk(self):
        value = self.cleaned_data.get("kk", "")
        return validate_kk(value) if value else ""

    def clean_phone(self):
        value = re.sub(r"[\s\-()]", "", self.cleaned_data.get("phone", ""))
        if value and not re.fullmatch(r"\+?\d{8,15}", value):
            raise ValidationError(
                _("Nomor telepon tidak sah: tulis angka saja, mis. 081234567890.")
            )
        return value

    def clean_rt(self):
        return self._clean_rt_rw("rt")

    def clean_rw(self):
        return self._clean_rt_rw("rw")

    def _clean_rt_rw(self, name):
        value = self.cleaned_data.get(name, "").strip()
        if value and not value.isdigit():
            raise ValidationError(_("Tulis dengan angka, mis. 003."))
        return value.zfill(3) if value else ""

    def clean_pin(self):
        value = self.cleaned_data.get("pin", "")
        if not PIN_RE.match(value):
            raise ValidationError(_("PIN harus 6 angka."))
        if len(set(value)) == 1 or value in "0123456789" or value in "9876543210":
            raise ValidationError(_("PIN terlalu mudah ditebak; pilih 6 angka lain."))
        return value

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Paling banyak %(n)s berkas.") % {"n": MAX_FILES})
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append((upload.name, clean_upload(upload)))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        self.clean_files = cleaned
        return files

    def clean_issued(self):
        if self.staff:
            return None
        token = read_token(self.cleaned_data.get("issued") or "", SALT)
        if token is None or token.age() > MAX_SECONDS:
            self._token_refused = True
            raise ValidationError(
                _("Formulir tidak sah atau kedaluwarsa. Isian Anda masih ada; kirim sekali lagi.")
            )
        self.token = token
        return token.issued

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        values = {}
        if self._token_refused:
            values["issued"] = issue_token(SALT, issued=time.time() - MIN_SECONDS)
        if self._honeypot_filled:
            values["website"] = ""
        if values:
            self.replace_data(**values)
        if self.clean_files or self.files:
            self.add_error(
                None,
                _("Berkas yang Anda pilih belum tersimpan: lampirkan lagi sebelum mengirim."),
            )

    def clean(self):
        data = super().clean()
        if self.staff:
            return data
        if data.get("website"):
            self._honeypot_filled = True
            raise ValidationError(
                _(
                    "Permohonan belum terkirim: kolom “Jangan isi kolom ini” terisi, mungkin oleh "
                    "isian otomatis peramban. Kolom itu sudah kami kosongkan; kirim sekali lagi."
                )
            )
        if self.errors or self.token is None:
            return data
        limits = self.rate_limits(data.get("nik", ""))
        refused = ratelimit.exceeded(limits)
        if refused is not None:
            minutes = max(1, refused.window // 60)
            raise ValidationError(
                _(
                    "Terlalu banyak permohonan dalam waktu singkat. Permohonan Anda belum "
                    "terkirim; coba lagi dalam %(minutes)s menit atau datang ke kantor desa."
                ),
                params={"minutes": minutes},
            )
        if not use_token(self.token, SALT):
            self._token_refused = True
            raise ValidationError(
                _("Permohonan dari formulir ini sudah kami terima. Kirim lagi hanya bila perlu.")
            )
        ratelimit.count(limits)
        return data

    def rate_limits(self, nik: str) -> list[ratelimit.Limit]:
        village = self.service.village_id
        window = int(getattr(settings, "SIDEKEM_SERVICES_LIMIT_WINDOW", LIMIT_WINDOW))
        client = ratelimit.client_fingerprint(self.request) if self.request is not None else ""
        limits = [
            ratelimit.Limit(
                f"services:client:{village}:{client}",
                int(getattr(settings, "SIDEKEM_SERVICES_LIMIT_PER_CLIENT", LIMIT_PER_CLIENT)),
                window,
            ),
            ratelimit.Limit(
                f"services:village:{village}",
                int(getattr(settings, "SIDEKEM_SERVICES_LIMIT_PER_VILLAGE", LIMIT_PER_VILLAGE)),
                window,
            ),
        ]
        if nik:
            limits.append(
                ratelimit.Limit(
                    f"services:nik:{village}:{nik_index(nik)[:32]}",
                    int(getattr(settings, "SIDEKEM_SERVICES_LIMIT_PER_NIK", LIMIT_PER_NIK)),
                    window,
                )
            )
        return limits

    def answers(self) -> dict:
        return {
            name[2:]: answer_value(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("f_") and value not in (None, "", [])
        }


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RevisionForm(forms.Form):
    documents = MultipleFileField(label=_("Berkas tambahan"), required=False)
    note = forms.CharField(
        label=_("Catatan untuk petugas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Paling banyak %(n)s berkas.") % {"n": MAX_FILES})
        self.clean_files = [(f.name, clean_upload(f)) for f in files]
        return files
