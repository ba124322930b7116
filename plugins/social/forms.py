"""The account form: the credential is written, never shown again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Network, SocialAccount


class SocialAccountForm(WagtailAdminModelForm):
    credential = forms.CharField(
        label=_("kredensial"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Token bot, token akses atau kata sandi aplikasi. Disimpan terenkripsi dan tidak "
            "pernah ditampilkan lagi; kosongkan untuk mempertahankan yang tersimpan."
        ),
    )

    api_base_url = forms.URLField(
        label=_("alamat API"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "Kosongkan untuk alamat baku (instans Mastodon, PDS Bluesky, versi Graph API)."
        ),
    )

    class Meta:
        model = SocialAccount
        fields = ["village", "network", "name", "target", "api_base_url", "credential", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["credential"] = ""

    def clean_credential(self) -> str:
        value = self.cleaned_data.get("credential", "")
        if value:
            return value
        if self.instance.pk and self.instance.credential:
            return self.instance.credential
        raise forms.ValidationError(_("Isi kredensial akun ini."))

    def clean(self):
        cleaned = super().clean()
        network = cleaned.get("network")
        if network in (Network.TELEGRAM, Network.FACEBOOK, Network.INSTAGRAM, Network.BLUESKY):
            if not (cleaned.get("target") or "").strip():
                self.add_error("target", _("Isi tujuan kiriman untuk jaringan ini."))
        return cleaned

    def save(self, commit: bool = True):
        account = super().save(commit=False)
        if "credential" in self.changed_data and self.cleaned_data.get("credential"):
            # a new credential: the old session and error no longer apply
            account.session = ""
            account.last_error = ""
            account.reauth_notified_at = None
            if account.status == SocialAccount.Status.NEEDS_REAUTH:
                account.status = SocialAccount.Status.CONNECTED
        if commit:
            account.save()
        return account
