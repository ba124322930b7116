"""Admin of contact messages: each village sees only its own (core.confinement.viewsets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView

from core.confinement.viewsets import VillageDataViewSet
from core.website.models import ContactMessage


def yes_no(value) -> str:
    """A yes/no value as the admin says it (never Python's True/False/None)."""
    if value is None:
        return "—"
    return str(_("Ya") if value else _("Tidak"))


class YesNoColumn(Column):
    """A boolean listing column in words: Wagtail's BooleanColumn titles its icons True/False."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class ContactMessageInspectView(InspectView):
    """Yes/no fields in words and empty values as a dash."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or isinstance(value, bool):
            return yes_no(value)
        return value


class ContactMessageViewSet(VillageDataViewSet):
    model = ContactMessage
    name = "contact_messages"
    icon = "mail"
    menu_label = _("Pesan warga")
    menu_order = 220
    # Suspected spam (core/website/models/contact.py) is listed, filterable and not e-mailed;
    # the village clears the mark of a message that came from a resident.
    form_fields = ["handled", "suspected_spam"]
    list_display = [
        "subject",
        "name",
        "created_at",
        YesNoColumn("handled", label=_("sudah ditangani")),
        YesNoColumn("suspected_spam", label=_("diduga spam")),
        "village",
    ]
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
    inspect_view_class = ContactMessageInspectView
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
