"""Public forms: the contact form, protected against spam without JavaScript or third parties.

Residents often browse with JavaScript off, so every refusal is said in words at the top of the
form, the form comes back with what they typed, and no error ever sits on a field they cannot
see (:class:`PublicForm`). The contact form's checks:

* a honeypot field people never see: filled in, the message is refused (the field is emptied in
  the form that comes back, so a person whose browser filled it in can simply send again);
* a signed one-use token (``issued``: time and a random id). Forged, missing or expired, the
  form comes back with a fresh token; one already accepted is refused (a second click on
  "Kirim" does not send a message twice). Sent too quickly after the form was opened, the
  message is still accepted but marked as suspected spam (``too_fast``): timing is a signal,
  never a reason to lose a resident's message;
* rate limits in the shared cache (core/website/ratelimit.py): per client and village, and per
  village, whatever the language version of the contact page.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from core.website import ratelimit

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
SALT = "sidekem.contact"
MAX_NONCE = 64
USED_TOKEN_KEY = "sidekem:form-token:{salt}:{nonce}"
# Defaults of the settings SIDEKEM_CONTACT_LIMIT_PER_CLIENT, ..._PER_VILLAGE and ..._WINDOW.
LIMIT_PER_CLIENT = 5
LIMIT_PER_VILLAGE = 60
LIMIT_WINDOW = 3600


@dataclass(frozen=True)
class FormToken:
    issued: float
    nonce: str

    def age(self) -> float:
        return time.time() - self.issued


def issue_token(salt: str, issued: float | None = None) -> str:
    """A signed token naming when the form was issued, with a random id for one use."""
    payload = {"t": time.time() if issued is None else issued, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=salt)


def read_token(value: str, salt: str) -> FormToken | None:
    """The token's content, or ``None`` for anything not issued by :func:`issue_token`."""
    try:
        payload = signing.loads(value, salt=salt)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(payload, dict):
        return None
    issued, nonce = payload.get("t"), payload.get("n")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return None
    if not isinstance(nonce, str) or not 0 < len(nonce) <= MAX_NONCE:
        return None
    try:
        issued = float(issued)
    except OverflowError:
        return None
    return FormToken(issued, nonce) if math.isfinite(issued) else None


def use_token(token: FormToken, salt: str) -> bool:
    """Mark ``token`` used in the shared cache until it expires; ``False`` if it already was."""
    ttl = max(60, int(MAX_SECONDS - token.age()) + 60)
    return cache.add(USED_TOKEN_KEY.format(salt=salt, nonce=token.nonce), 1, ttl)


class PublicForm(forms.Form):
    """A form residents fill in: errors are linked to their fields (``aria-describedby``), and
    errors of fields nobody sees (hidden inputs, the honeypot) become errors of the whole form,
    which templates show at the top."""

    #: Visible in the HTML but hidden from people (e.g. a honeypot): errors move to the top.
    unseen_fields: tuple[str, ...] = ()

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        unseen = {bf.name for bf in self.hidden_fields()} | set(self.unseen_fields)
        for name in sorted(unseen):
            errors = self._errors.pop(name, None)
            if errors:
                top = self._errors.setdefault(
                    NON_FIELD_ERRORS,
                    self.error_class(error_class="nonfield", renderer=self.renderer),
                )
                top.extend(errors)
        for name in self._errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def replace_data(self, **values) -> None:
        """Show ``values`` instead of what was sent when the form comes back (after cleaning)."""
        data: Any = self.data.copy()
        for name, value in values.items():
            data[name] = value
        self.data = data


class ContactForm(PublicForm):
    name = forms.CharField(label=_("Nama"), max_length=150)
    # 254: what ContactMessage.email stores (forms.EmailField would take 320).
    email = forms.EmailField(label=_("Surel"), required=False, max_length=254)
    phone = forms.CharField(label=_("Telepon/WhatsApp"), max_length=30, required=False)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    message = forms.CharField(
        label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(label=_("Jangan isi kolom ini"), required=False, strip=False)
    issued = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    unseen_fields = ("website",)

    def __init__(self, *args, request=None, village_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.village_id = village_id
        self.token: FormToken | None = None
        self.too_fast = False
        self._token_refused = False
        self._honeypot_filled = False
        self.fields["issued"].initial = issue_token(SALT)
        # Anything in the honeypot is its signal, and any token is judged by clean_issued (which
        # replaces a bad one): no field validator may refuse them first.
        self.fields["website"].validators = []
        self.fields["issued"].validators = []
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        # The form comes back with what the resident typed, but never with a token that cannot
        # be sent again. They typed their message already: the new token counts as old enough.
        values = {}
        if self._token_refused:
            values["issued"] = issue_token(SALT, issued=time.time() - MIN_SECONDS)
        if self._honeypot_filled:
            values["website"] = ""
        if values:
            self.replace_data(**values)

    def clean_issued(self):
        token = read_token(self.cleaned_data.get("issued") or "", SALT)
        if token is None:
            self._token_refused = True
            raise forms.ValidationError(
                _("Formulir tidak sah. Pesan Anda masih ada di bawah; tekan Kirim sekali lagi.")
            )
        age = token.age()
        if age > MAX_SECONDS:
            self._token_refused = True
            raise forms.ValidationError(
                _(
                    "Formulir sudah kedaluwarsa. Pesan Anda masih ada di bawah; tekan Kirim "
                    "sekali lagi."
                )
            )
        self.too_fast = age < MIN_SECONDS
        self.token = token
        return token.issued

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self._honeypot_filled = True
            raise forms.ValidationError(
                _(
                    "Pesan belum terkirim: kolom “Jangan isi kolom ini” terisi, mungkin oleh "
                    "isian otomatis peramban. Kolom itu sudah kami kosongkan; tekan Kirim sekali "
                    "lagi."
                )
            )
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Isi surel atau nomor telepon agar kami bisa membalas."))
        if self.errors or self.token is None:
            return data
        limits = self.rate_limits()
        refused = ratelimit.exceeded(limits)
        if refused is not None:
            minutes = max(1, refused.window // 60)
            if refused is limits[0]:
                message = _(
                    "Terlalu banyak pesan dari perangkat ini. Pesan Anda belum terkirim; "
                    "coba lagi dalam %(minutes)s menit."
                )
            else:
                message = _(
                    "Desa ini sedang menerima terlalu banyak pesan. Pesan Anda belum terkirim; "
                    "coba lagi dalam %(minutes)s menit atau hubungi kantor desa."
                )
            raise forms.ValidationError(message, params={"minutes": minutes})
        if not use_token(self.token, SALT):
            self._token_refused = True
            raise forms.ValidationError(
                _(
                    "Pesan dari formulir ini sudah kami terima. Tekan Kirim sekali lagi hanya "
                    "bila Anda ingin mengirimnya lagi."
                )
            )
        ratelimit.count(limits)
        return data

    def rate_limits(self) -> list[ratelimit.Limit]:
        """Per client and village first, then per village (both language versions count)."""
        village = self.village_id or 0
        window = int(getattr(settings, "SIDEKEM_CONTACT_LIMIT_WINDOW", LIMIT_WINDOW))
        per_client = getattr(settings, "SIDEKEM_CONTACT_LIMIT_PER_CLIENT", LIMIT_PER_CLIENT)
        per_village = getattr(settings, "SIDEKEM_CONTACT_LIMIT_PER_VILLAGE", LIMIT_PER_VILLAGE)
        client = ratelimit.client_fingerprint(self.request) if self.request is not None else ""
        return [
            ratelimit.Limit(f"contact:client:{village}:{client}", int(per_client), window),
            ratelimit.Limit(f"contact:village:{village}", int(per_village), window),
        ]
