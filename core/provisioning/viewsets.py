"""Admin viewsets of core: villages and kecamatan (district administrators only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import Site

from core.provisioning.services import (
    HOSTNAME_RE,
    ProvisioningError,
    VillageSpec,
    provision_village,
)
from core.villages.district import DistrictOnlyViewSetMixin
from core.villages.models import Kecamatan, Village


class VillageForm(WagtailAdminModelForm):
    hostname = forms.CharField(
        label=_("Nama host"),
        max_length=253,
        help_text=_("Alamat situs desa, mis. kreo.pemalangkab.go.id atau kreo.localhost"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hostname"].initial = self.instance.site.hostname
            self.fields["code"].disabled = True

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if not HOSTNAME_RE.match(hostname):
            raise forms.ValidationError(_("Nama host tidak sah."))
        clash = Site.objects.filter(hostname=hostname)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.site_id)
        if clash.exists():
            raise forms.ValidationError(_("Nama host ini sudah dipakai situs lain."))
        return hostname

    def save(self, commit=True):
        village = super().save(commit=commit)
        if commit and village.site.hostname != self.cleaned_data["hostname"]:
            village.site.hostname = self.cleaned_data["hostname"]
            village.site.save()
        return village


class VillageCreateView(CreateView):
    """Creating a village in the admin runs the same provisioning service as the command."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProvisioningError as exc:  # e.g. the hostname was taken since the form was checked
            form.add_error(None, str(exc))
            return self.form_invalid(form)

    def save_instance(self):
        data = self.form.cleaned_data
        result = provision_village(
            VillageSpec(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                kecamatan_code=data["kecamatan"].code,
                kecamatan_name=data["kecamatan"].name,
                hostname=data["hostname"],
                address=data.get("address", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            ),
            user=self.request.user,
        )
        village = result.village
        for field in ("head_title", "whatsapp"):
            setattr(village, field, data.get(field, ""))
        village.save(update_fields=["head_title", "whatsapp"])
        return village


class VillageViewSet(DistrictOnlyViewSetMixin, ModelViewSet):
    model = Village
    icon = "site"
    name = "villages"
    add_view_class = VillageCreateView
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("kecamatan"),
            FieldPanel("hostname"),
            FieldPanel("head_title"),
            FieldPanel("address"),
            FieldPanel("phone"),
            FieldPanel("whatsapp"),
            FieldPanel("email"),
            FieldPanel("latitude"),
            FieldPanel("longitude"),
        ],
        base_form_class=VillageForm,
    )
    list_display = [
        "name",
        "code",
        Column("kecamatan", label=_("Kecamatan")),
        "kind",
        Column("site", label=_("Situs")),
    ]
    list_filter = ["kecamatan", "kind"]
    list_export = ["code", "name", "kind", "kecamatan", "site"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True


class KecamatanViewSet(DistrictOnlyViewSetMixin, ModelViewSet):
    model = Kecamatan
    icon = "folder-open-inverse"
    name = "kecamatan"
    form_fields = ["code", "name"]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class DistrictViewSetGroup(DistrictOnlyViewSetMixin, ModelViewSetGroup):
    menu_label = _("Kabupaten")
    menu_icon = "site"
    menu_order = 150
    items = (VillageViewSet, KecamatanViewSet)
