"""Admin of contact messages: each village sees only its own (core.confinement.viewsets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.confinement.viewsets import VillageDataViewSet
from core.website.models import ContactMessage


class ContactMessageViewSet(VillageDataViewSet):
    model = ContactMessage
    name = "contact_messages"
    icon = "mail"
    menu_label = _("Pesan warga")
    menu_order = 220
    # Suspected spam (core/website/models/contact.py) is listed, filterable and not e-mailed;
    # the village clears the mark of a message that came from a resident.
    form_fields = ["handled", "suspected_spam"]
    list_display = ["subject", "name", "created_at", "handled", "suspected_spam", "village"]
    list_filter = ["handled", "suspected_spam"]
    list_export = [
        "created_at",
        "name",
        "email",
        "phone",
        "subject",
        "message",
        "handled",
        "suspected_spam",
        "spam_reason",
    ]
    search_fields = ["subject", "name", "message"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "village",
        "name",
        "email",
        "phone",
        "subject",
        "message",
        "created_at",
        "emailed_at",
        "handled",
        "suspected_spam",
        "spam_reason",
    ]
