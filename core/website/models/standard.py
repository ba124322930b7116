"""Standard pages and the contact page (messages stored for the village and emailed to it)."""

from __future__ import annotations

from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.villages.lookup import village_id_for_page
from core.villages.models import Village
from core.website.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.website.forms import ContactForm
from core.website.models.base import VillagePageMixin
from core.website.models.contact import ContactMessage, SpamReason
from core.website.restrictions import CachedViewRestrictionsMixin
from core.website.tasks import send_contact_message


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
        request.sidekem_no_page_cache = True  # each rendering carries its own one-use token
        village_id = village_id_for_page(self)
        if request.method == "POST":
            form = ContactForm(request.POST, request=request, village_id=village_id)
            if form.is_valid():
                self.store_message(form, request)
                return redirect(f"{self.get_url(request)}?terkirim=1")
        else:
            form = ContactForm(request=request, village_id=village_id)
        context = self.get_context(request, *args, **kwargs)
        context.update(form=form, sent=request.GET.get("terkirim") == "1")
        return TemplateResponse(request, self.get_template(request), context)

    def store_message(self, form, request) -> ContactMessage:
        """Keep the message; forward it by e-mail unless it is suspected spam (the village
        finds those in the admin, marked, see core/website/models/contact.py)."""
        village = Village.objects.get(pk=form.village_id or village_id_for_page(self))
        data = form.cleaned_data
        spam_reason = SpamReason.TOO_FAST if form.too_fast else ""
        message = ContactMessage.objects.create(
            village=village,
            page=self,
            name=data["name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            subject=data["subject"],
            message=data["message"],
            language=self.locale.language_code,
            suspected_spam=bool(spam_reason),
            spam_reason=spam_reason,
        )
        recipient = self.to_address or village.email
        if recipient and not message.suspected_spam:
            transaction.on_commit(lambda: send_contact_message.delay(message.pk, recipient))
        return message
