"""Models of the social plugin: a village's accounts and the outbox (shares and deliveries).

The outbox promise is "at most once, then reconcile": a delivery row is claimed by one worker
with a conditional UPDATE before any request goes out, and a request whose answer was lost is
never sent again blindly (see ``plugins/social/outbox.py`` and the plugin's README).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.villages.crypto import EncryptedTextField, blind_index, mask

from .tid import new_tid


class Network(models.TextChoices):
    TELEGRAM = "telegram", _("Kanal Telegram")
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")
    FACEBOOK = "facebook", _("Halaman Facebook")
    INSTAGRAM = "instagram", _("Akun bisnis Instagram")


#: Default API base URL per network (a Mastodon instance or a PDS differs per account).
DEFAULT_API_BASE = {
    Network.TELEGRAM: "https://api.telegram.org",
    Network.MASTODON: "https://mastodon.social",
    Network.BLUESKY: "https://bsky.social",
    Network.FACEBOOK: "https://graph.facebook.com/v21.0",
    Network.INSTAGRAM: "https://graph.facebook.com/v21.0",
}


def new_key(network: str) -> str:
    """A delivery's idempotency key: a Bluesky record key must be a TID; elsewhere a UUID."""
    return new_tid() if network == Network.BLUESKY else uuid.uuid4().hex


class SocialAccount(models.Model):
    """One account of a village on one network. The credential is encrypted at rest and never
    shown again once saved; several accounts may share one credential (a district Telegram bot),
    which ``credential_key`` identifies without revealing it."""

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Terhubung")
        NEEDS_REAUTH = "needs_reauth", _("Perlu otorisasi ulang")
        DISABLED = "disabled", _("Nonaktif")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("desa"), on_delete=models.CASCADE
    )
    network = models.CharField(
        _("jaringan"), max_length=20, choices=Network.choices, default=Network.TELEGRAM
    )
    name = models.CharField(_("nama akun"), max_length=120)
    target = models.CharField(
        _("tujuan"),
        max_length=200,
        blank=True,
        help_text=_(
            "Telegram: @kanal atau id chat; Facebook: id Halaman; Instagram: id akun bisnis; "
            "Bluesky: handle atau DID. Kosongkan untuk Mastodon."
        ),
    )
    api_base_url = models.URLField(
        _("alamat API"),
        blank=True,
        help_text=_(
            "Kosongkan untuk alamat baku (instans Mastodon, PDS Bluesky, versi Graph API)."
        ),
    )
    credential = EncryptedTextField(
        _("kredensial"),
        blank=True,
        help_text=_("Token bot, token akses atau kata sandi aplikasi. Disimpan terenkripsi."),
    )
    credential_key = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONNECTED
    )
    last_error = models.TextField(_("galat terakhir"), blank=True, editable=False)
    blocked_until = models.DateTimeField(null=True, blank=True, editable=False)
    # A Bluesky session (access token and DID), kept encrypted so it is reused across posts.
    session = EncryptedTextField(blank=True, editable=False)
    #: the daily credential check (``health.check_credentials``)
    checked_at = models.DateTimeField(
        _("terakhir diperiksa"), null=True, blank=True, editable=False
    )
    #: the village's moderators were e-mailed that this account needs re-authorisation (once;
    #: cleared when a new credential is saved)
    reauth_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("akun media sosial")
        verbose_name_plural = _("akun media sosial")
        ordering = ["village", "network", "name"]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.name}"

    def save(self, *args, **kwargs):
        self.credential_key = self.compute_credential_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "credential" in update_fields:
            kwargs["update_fields"] = {*update_fields, "credential_key"}
        super().save(*args, **kwargs)

    @property
    def api_base(self) -> str:
        return (self.api_base_url or DEFAULT_API_BASE[Network(self.network)]).rstrip("/")

    @property
    def masked_credential(self) -> str:
        return mask(self.credential)

    def compute_credential_key(self) -> str:
        if not self.credential:
            return ""
        return blind_index(f"{self.network}|{self.api_base}|{self.credential}", "social-credential")


class CredentialThrottle(models.Model):
    """Until when a credential (``SocialAccount.credential_key``) must not be used: a 429 or an
    exhausted rate-limit window of a token shared by several accounts holds them all."""

    credential_key = models.CharField(max_length=64, unique=True)
    blocked_until = models.DateTimeField()


class Share(models.Model):
    """A page to be shared to the village's accounts, with the text built per network."""

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("desa"), on_delete=models.CASCADE
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("halaman"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("judul"), max_length=255)
    url = models.URLField(_("alamat halaman"), max_length=500)
    texts = models.JSONField(_("teks per jaringan"), default=dict, blank=True)
    image_url = models.URLField(_("gambar"), max_length=500, blank=True)
    image_alt = models.CharField(_("teks alternatif gambar"), max_length=250, blank=True)
    reason = models.CharField(_("alasan"), max_length=20, default="first_publish")
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("bagikan")
        verbose_name_plural = _("bagikan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One share to one account: the outbox row a worker claims before posting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        RETRY_WAIT = "retry_wait", _("Menunggu dicoba ulang")
        FAILED = "failed", _("Gagal")
        NEEDS_REAUTH = "needs_reauth", _("Perlu otorisasi ulang")
        UNKNOWN = "unknown", _("Tidak pasti")
        CANCELLED = "cancelled", _("Dibatalkan")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("desa"), on_delete=models.CASCADE
    )
    # Always set by the outbox; null is tolerated (such a row is cancelled, never sent) so that
    # generic tooling can create a bare row of this model.
    share = models.ForeignKey(
        Share,
        verbose_name=_("bagikan"),
        null=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    account = models.ForeignKey(
        SocialAccount,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    idempotency_key = models.CharField(max_length=64, default="", blank=True)
    #: When the current idempotency key was first sent (Mastodon keeps keys about an hour).
    key_first_sent_at = models.DateTimeField(null=True, blank=True)
    #: read the network back before posting again (Bluesky after a 5xx, Instagram container)
    must_reconcile = models.BooleanField(default=False)
    #: an earlier request may have been received (a lost answer, a 5xx with a key)
    may_have_landed = models.BooleanField(default=False)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(_("id di jaringan"), max_length=255, blank=True)
    remote_url = models.URLField(_("tautan kiriman"), max_length=500, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    resolved_by = models.CharField(_("diputuskan oleh"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(fields=["share", "account"], name="social_one_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.share_title()} → {self.account_name()}"

    def save(self, *args, **kwargs):
        if not self.idempotency_key:
            self.idempotency_key = new_key(self.account.network)
        super().save(*args, **kwargs)

    # What the admin shows of the related rows: only when they belong to the delivery's own
    # village (the outbox never mixes villages; a hand-made row must not reveal another's).
    def is_consistent(self) -> bool:
        if self.share_id is None:
            return False
        return self.share.village_id == self.village_id == self.account.village_id

    def share_title(self) -> str:
        if self.share_id is None or self.share.village_id != self.village_id:
            return "—"
        return self.share.title

    share_title.short_description = _("bagikan")  # type: ignore[attr-defined]

    def account_name(self) -> str:
        return str(self.account) if self.account.village_id == self.village_id else "—"

    account_name.short_description = _("akun")  # type: ignore[attr-defined]

    def get_share_display(self) -> str:
        return self.share_title()

    def get_account_display(self) -> str:
        return self.account_name()


class PostChange(models.Model):
    """An editor's request to edit or delete a delivery's remote post (the page was corrected
    or unpublished). Run by a task like a delivery: claimed with a conditional UPDATE, retried
    with backoff. Editing and deleting are idempotent on every network (the same text again; a
    post already gone counts as deleted), so a lost answer is simply retried. At most one open
    change per delivery."""

    class Action(models.TextChoices):
        EDIT = "edit", _("Perbarui kiriman")
        DELETE = "delete", _("Hapus kiriman")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        RETRY_WAIT = "retry_wait", _("Menunggu dicoba ulang")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        NEEDS_REAUTH = "needs_reauth", _("Perlu otorisasi ulang")

    OPEN = (Status.PENDING, Status.SENDING, Status.RETRY_WAIT)

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("desa"), on_delete=models.CASCADE
    )
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("pengiriman"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField(
        _("tindakan"), max_length=10, choices=Action.choices, default=Action.DELETE
    )
    text = models.TextField(_("teks baru"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    requested_by = models.CharField(_("diminta oleh"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan kiriman")
        verbose_name_plural = _("perubahan kiriman")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery"],
                condition=models.Q(status__in=["pending", "sending", "retry_wait"]),
                name="social_one_open_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.get_status_display()})"

    def is_consistent(self) -> bool:
        return self.delivery.village_id == self.village_id and self.delivery.is_consistent()
