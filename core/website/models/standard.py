"""Standard pages and the contact page (messages stored for the village and emailed to it)."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.website.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.website.models.base import VillagePageMixin
from core.website.restrictions import CachedViewRestrictionsMixin
from core.villages.lookup import village_id_for_page

logger = logging.getLogger("sidekem.content")


class StandardPage(CachedViewRestrictionsMixin, Page):
    """A plain page (also allowed on the district portal)."""

    intro = models.TextField(_("pengantar"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = [
        "website.VillageHomePage",
        "website.DistrictHomePage",
        "website.StandardPage",
        "website.ProfilePage",
        "website.GovernmentPage",
    ]
    template = "website/pages/standard_page.html"

    class Meta:
        verbose_name = _("halaman standar")


class ContactPage(VillagePageMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)
    to_address = models.EmailField(
        _("kirim pesan ke"),
        blank=True,
        help_text=_("Kosongkan untuk memakai surel desa."),
    )
    thank_you = RichTextField(
        _("ucapan terima kasih"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        default="<p>Terima kasih. Pesan Anda sudah kami terima.</p>",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("to_address"),
        FieldPanel("thank_you"),
    ]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "website/pages/contact_page.html"

    class Meta:
        verbose_name = _("halaman kontak")

    def serve(self, request, *args, **kwargs):
        from core.website.forms import ContactForm

        if request.method == "POST":
            form = ContactForm(request.POST, request=request, page=self)
            if form.is_valid():
                self.store_message(form, request)
                return redirect(f"{self.get_url(request)}?terkirim=1")
        else:
            form = ContactForm(request=request, page=self)
        context = self.get_context(request, *args, **kwargs)
        context.update(form=form, sent=request.GET.get("terkirim") == "1")
        return TemplateResponse(request, self.get_template(request), context)

    def store_message(self, form, request) -> ContactMessage:
        from core.villages.models import Village

        village = Village.objects.get(pk=village_id_for_page(self))
        data = form.cleaned_data
        message = ContactMessage.objects.create(
            village=village,
            page=self,
            name=data["name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            subject=data["subject"],
            message=data["message"],
            language=self.locale.language_code,
        )
        recipient = self.to_address or village.email
        if recipient:
            from core.website.tasks import send_contact_message

            transaction.on_commit(lambda: send_contact_message.delay(message.pk, recipient))
        return message


class ContactMessage(models.Model):
    """A resident's message to the village, kept so nothing is lost when mail fails."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("desa"),
    )
    page = models.ForeignKey(
        ContactPage,
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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesan kontak")
        verbose_name_plural = _("pesan kontak")

    def __str__(self) -> str:
        return f"{self.subject} — {self.name}"

    def send_email(self, recipient: str) -> bool:
        from django.utils import timezone

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
        ContactMessage.objects.filter(pk=self.pk).update(emailed_at=timezone.now())
        return True


def client_fingerprint(request) -> str:
    """A salted hash of the client address for rate limiting; the address is never stored."""
    addr = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:32]
