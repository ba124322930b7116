"""Admin viewsets: the district's catalogue, the village's services, requests, letters, roles."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from core.confinement.viewsets import VillageDataViewSet, allowed_village_ids
from core.pluginhost.registry import plugin_key_for_module
from core.villages.models import Village

from .models import (
    CLOSED_STATES,
    Letter,
    Open311Client,
    RequestState,
    Service,
    ServiceRequest,
    ServiceRole,
    ServiceTemplate,
)
from .views import RequestInspectView

PLUGIN_KEY = plugin_key_for_module(__name__)


def scoped_services(request):
    if request is None:
        return Service.objects.none()
    ids = allowed_village_ids(request.user, PLUGIN_KEY)
    services = Service.objects.all()
    return services if ids is None else services.filter(village__in=ids)


def scope_officer_field(form, name, user):
    """Offer only the service officers of the user's villages (never other villages' people)."""
    field = form.fields.get(name)
    if field is None:
        return
    ids = allowed_village_ids(user, PLUGIN_KEY)
    villages = Village.objects.all() if ids is None else Village.objects.filter(pk__in=ids)
    groups = villages.exclude(officers_group=None).values_list("officers_group", flat=True)
    field.queryset = get_user_model().objects.filter(groups__in=list(groups)).distinct()


class RequestFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_("Status"), choices=RequestState.choices)
    service = django_filters.ModelChoiceFilter(label=_("Layanan"), queryset=scoped_services)
    overdue = django_filters.BooleanFilter(label=_("Lewat tenggat"), method="filter_overdue")
    mine = django_filters.BooleanFilter(label=_("Ditugaskan kepada saya"), method="filter_mine")

    class Meta:
        model = ServiceRequest
        fields = ["state", "service"]

    def filter_overdue(self, queryset, name, value):
        late = Q(due_on__lt=timezone.localdate()) & ~Q(
            state__in=[*CLOSED_STATES, RequestState.ISSUED]
        )
        if value is None:
            return queryset
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        return queryset


class ServiceTemplateViewSet(ModelViewSet):
    """The district's catalogue (global: only district administrators have its permissions)."""

    model = ServiceTemplate
    icon = "list-ul"
    menu_label = _("Templat layanan")
    name = "admin_services_templates"
    add_to_settings_menu = True
    form_fields = [
        "kind",
        "code",
        "name",
        "description",
        "required_documents",
        "fields",
        "service_level_days",
        "classification_code",
        "letter_subject",
        "letter_body",
        "signer",
        "active",
    ]
    list_display = ["name", "code", "kind", "active"]


class ServiceViewSet(VillageDataViewSet):
    model = Service
    icon = "list-ul"
    menu_label = _("Layanan desa")
    name = "admin_services_services"
    form_fields = ["village", "template", *ServiceTemplateViewSet.form_fields]
    list_display = ["name", "code", "kind", "service_level_days", "active", "village"]
    search_fields = ["name", "code"]


class ServiceRequestViewSet(VillageDataViewSet):
    model = ServiceRequest
    icon = "form"
    menu_label = _("Permohonan layanan")
    name = "admin_services_requests"
    inspect_view_enabled = True
    inspect_view_class = RequestInspectView
    filterset_class = RequestFilterSet
    form_fields = ["assignee", "due_on"]
    list_display = [
        "number",
        "service",
        "name",
        Column("state", label=_("Status"), accessor="get_state_display"),
        "submitted_at",
        "due_on",
        Column("is_overdue", label=_("Lewat tenggat"), accessor="is_overdue"),
        "village",
    ]
    list_export = ["number", "service", "name", "state", "submitted_at", "due_on", "village"]
    search_fields = ["number", "name"]
    add_view_enabled = False  # walk-in requests have their own form (admin_services_walk_in)

    def scope_form(self, form, user):
        super().scope_form(form, user)
        scope_officer_field(form, "assignee", user)


class LetterViewSet(VillageDataViewSet):
    """The outgoing-letter register (Buku Agenda Surat Keluar), with export."""

    model = Letter
    icon = "doc-full"
    menu_label = _("Buku agenda surat keluar")
    name = "admin_services_letters"
    add_view_enabled = False
    form_fields = ["revoked_at", "revoked_reason"]
    list_display = ["number", "issued_on", "subject", "addressee", "reserved", "village"]
    list_export = [
        "number",
        "issued_on",
        "subject",
        "addressee",
        "signer_name",
        "reserved",
        "village",
    ]
    list_filter = ["year", "reserved"]
    search_fields = ["number", "subject"]


class ServiceRoleViewSet(VillageDataViewSet):
    model = ServiceRole
    icon = "user"
    menu_label = _("Peran layanan")
    name = "admin_services_roles"
    form_fields = ["village", "user", "role"]
    list_display = ["user", "role", "village"]

    def scope_form(self, form, user):
        super().scope_form(form, user)
        scope_officer_field(form, "user", user)


service_template_viewset = ServiceTemplateViewSet()
service_viewset = ServiceViewSet()
service_request_viewset = ServiceRequestViewSet()
letter_viewset = LetterViewSet()
service_role_viewset = ServiceRoleViewSet()


class Open311ClientViewSet(VillageDataViewSet):
    model = Open311Client
    icon = "link"
    menu_label = _("Klien Open311")
    name = "admin_services_open311_clients"
    form_fields = ["village", "name", "active"]
    list_display = ["name", "active", "village"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "api_key", "active", "created_at"]


open311_client_viewset = Open311ClientViewSet()
