"""Forms of the seller area (plugins/umkm/seller_views.py): the seller's own business profile
and products. Model validation runs as in the admin; an error about a field the form does not
show (e.g. wholesale tiers set by the operator) is shown above the form instead of failing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from . import qris
from .models import Business, Product
from .qris_messages import problem_message


class _UnshownFieldErrorsMixin:
    fields: dict

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            moved: dict[str, list] = {}
            for field, messages in errors.error_dict.items():
                key = (
                    field if field in self.fields or field == NON_FIELD_ERRORS else NON_FIELD_ERRORS
                )
                moved.setdefault(key, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


class SellerBusinessForm(_UnshownFieldErrorsMixin, forms.ModelForm):
    """The profile a seller keeps up to date. A new QRIS payload is not applied: it waits for
    the operator's review (``QrisPayloadChange.request_by_seller``)."""

    new_qris_payload = forms.CharField(
        label=_("Kode QRIS statis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Teks kode QRIS merchant (dimulai 000201). Perubahan kode diperiksa operator desa "
            "sebelum dipakai di katalog."
        ),
    )

    class Meta:
        model = Business
        fields = [
            "description",
            "address",
            "whatsapp",
            "opening_hours",
            "nib",
            "spp_irt",
            "halal_certificate",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["new_qris_payload"] = self.instance.qris_payload

    def clean_new_qris_payload(self) -> str:
        # line breaks of a pasted code go; spaces stay (merchant names contain them)
        text = self.cleaned_data.get("new_qris_payload") or ""
        payload = text.replace("\r", "").replace("\n", "").strip()
        if payload:
            errors = qris.errors(payload)
            if errors:
                raise ValidationError([problem_message(p) for p in errors])
        return payload

    @property
    def qris_changed(self) -> bool:
        return self.cleaned_data.get("new_qris_payload", "") != (self.instance.qris_payload or "")


class SellerProductForm(_UnshownFieldErrorsMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "price", "unit", "description", "available", "hidden"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "price": forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "step": "1"}),
        }
