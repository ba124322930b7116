"""Public forms: the contact form, protected against spam without JavaScript or third parties.

Three checks: a honeypot field people never see, a signed timestamp (too fast or too old is
refused), and a per-client, per-village rate limit in the shared cache.
"""

from __future__ import annotations

import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
RATE_LIMIT = 5  # messages per client and village per hour
SALT = "sidekem.contact"


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon/WhatsApp"), max_length=30, required=False)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    message = forms.CharField(
        label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(label=_("Jangan isi kolom ini"), required=False)
    issued = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, request=None, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.page = page
        self.fields["issued"].initial = signing.dumps(time.time(), salt=SALT)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def clean_issued(self):
        try:
            issued = float(signing.loads(self.cleaned_data["issued"], salt=SALT))
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Formulir tidak sah; muat ulang halaman.")) from exc
        age = time.time() - issued
        if age < MIN_SECONDS:
            raise forms.ValidationError(_("Formulir dikirim terlalu cepat; coba lagi."))
        if age > MAX_SECONDS:
            raise forms.ValidationError(_("Formulir kedaluwarsa; muat ulang halaman."))
        return issued

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Pesan tidak dapat dikirim."))
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Isi surel atau nomor telepon agar kami bisa membalas."))
        if self.request is not None and not self.errors:
            key = f"sidekem:contact-rate:{self.page.pk if self.page else 0}:" + client_fingerprint(
                self.request
            )
            count = cache.get(key, 0)
            if count >= RATE_LIMIT:
                raise forms.ValidationError(
                    _("Terlalu banyak pesan dari perangkat ini. Coba lagi dalam satu jam.")
                )
            cache.set(key, count + 1, 3600)
        return data


def client_fingerprint(request) -> str:
    """A salted hash of the client address for rate limiting; the address is never stored."""
    addr = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:32]
