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
    form_fields = ["handled"]
    list_display = ["subject", "name", "created_at", "handled", "village"]
    list_filter = ["handled"]
    list_export = ["created_at", "name", "email", "phone", "subject", "message", "handled"]
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
    ]
