"""Messages residents send through a village's contact page."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("sidekem.contact")


class SpamReason(models.TextChoices):
    """Why a stored message is suspected spam (core/website/forms.py decides)."""

    TOO_FAST = "too_fast", _("dikirim terlalu cepat setelah formulir dibuka")


class ContactMessage(models.Model):
    """A resident's message to the village, kept so nothing is lost when mail fails.

    A message that only looks like spam (e.g. sent within seconds of opening the form) is
    stored too, marked ``suspected_spam``, and is not forwarded by e-mail: the village reads
    it in the admin ("Pesan warga", filter "diduga spam").
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("desa"),
    )
    page = models.ForeignKey(
        "website.ContactPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    subject = models.CharField(_("perihal"), max_length=200)
    message = models.TextField(_("pesan"))
    language = models.CharField(_("bahasa"), max_length=8, blank=True, editable=False)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    emailed_at = models.DateTimeField(
        _("diteruskan lewat surel"), null=True, blank=True, editable=False
    )
    handled = models.BooleanField(_("sudah ditangani"), default=False)
    suspected_spam = models.BooleanField(
        _("diduga spam"),
        default=False,
        help_text=_(
            "Pesan yang diduga spam disimpan tetapi tidak diteruskan lewat surel. "
            "Hapus tanda ini bila pesannya dari warga."
        ),
    )
    spam_reason = models.CharField(
        _("alasan dugaan spam"),
        max_length=20,
        choices=SpamReason.choices,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesan kontak")
        verbose_name_plural = _("pesan kontak")

    def __str__(self) -> str:
        return f"{self.subject} — {self.name}"

    def send_email(self, recipient: str) -> bool:
        body = "\n".join(
            [
                f"Nama: {self.name}",
                f"Surel: {self.email or '-'}",
                f"Telepon: {self.phone or '-'}",
                "",
                self.message,
            ]
        )
        try:
            send_mail(
                f"[{self.village}] {self.subject}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient],
                fail_silently=False,
            )
        except Exception:  # the message is stored; mail trouble must not lose it
            logger.exception("contact message %s: mail to %s failed", self.pk, recipient)
            return False
        type(self).objects.filter(pk=self.pk).update(emailed_at=timezone.now())
        return True
