"""Admin of a village's budgets: versions, activities, lines (with the import), realisation,
development activities and their progress. Every view is scoped by VillageDataViewSet; the
choices of every other village-scoped foreign key in a form are scoped too, so no list shows
another village's versions or activities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSetGroup

from core.confinement.scope import is_village_scoped, scope_queryset
from core.confinement.viewsets import VillageDataViewSet

from .imports import BudgetLineResource
from .models import (
    Activity,
    Budget,
    BudgetDocument,
    BudgetLine,
    BudgetVersion,
    DevelopmentActivity,
    ProgressUpdate,
    Realisation,
)
from .reports import CopyError, copy_lines, reconcile, version_totals


class TransparencyViewSet(VillageDataViewSet):
    add_to_admin_menu = False

    def scope_form(self, form: Any, user: Any) -> None:
        super().scope_form(form, user)
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if name == self.village_field or queryset is None:
                continue
            if is_village_scoped(queryset.model):
                field.queryset = scope_queryset(queryset, user)


class BudgetViewSet(TransparencyViewSet):
    model = Budget
    name = "transparency_budgets"
    icon = "doc-full"
    menu_label = _("APBDes")
    form_fields = ["village", "year", "complaint_info"]
    list_display = ["year", "village"]
    list_export = ["year", "complaint_info"]


class BudgetLineViewSet(TransparencyViewSet):
    model = BudgetLine
    name = "transparency_lines"
    icon = "list-ul"
    menu_label = _("Baris anggaran")
    form_fields = [
        "village",
        "version",
        "account",
        "activity",
        "description",
        "volume",
        "unit",
        "unit_price",
        "amount",
        "source",
        "order",
    ]
    list_display = ["account", "description", "amount", "source", "version"]
    list_export = ["account", "activity", "description", "volume", "unit", "unit_price", "amount"]
    search_fields = ["description"]
    import_resource_class = BudgetLineResource

    def get_import_view_class(self) -> type:
        base = super().get_import_view_class()

        class BudgetLineImportView(base):  # type: ignore[valid-type, misc]
            template_name = "transparency/import.html"

            def get_resource(self, request: HttpRequest) -> Any:
                resource = super().get_resource(request)
                self.resource = resource
                return resource

            def render(self, request: HttpRequest, **context: Any) -> HttpResponse:
                resource = getattr(self, "resource", None)
                context["warnings"] = getattr(resource, "warnings", [])
                return super().render(request, **context)

        return BudgetLineImportView


class CopyLinesForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=BudgetVersion.objects.none(), label=_("Salin dari versi")
    )
    keep_amounts = forms.BooleanField(
        required=False,
        label=_("Salin juga harga dan jumlah"),
        help_text=_(
            "Untuk perubahan APBDes tahun yang sama. Tanpa centang (baris tahun lalu), harga "
            "dan jumlah dikosongkan sehingga operator cukup mengisi angkanya."
        ),
    )


class CopyLinesView(View):
    """Copy the lines of another version of the village (last year's, or the version being
    revised) into an empty draft version."""

    model = BudgetVersion
    template_name = "transparency/copy_lines.html"

    def get_target(self, request: HttpRequest, pk: int) -> BudgetVersion:
        return get_object_or_404(BudgetVersion.objects.select_related("budget"), pk=pk)

    def get_form(self, request: HttpRequest, target: BudgetVersion) -> CopyLinesForm:
        form = CopyLinesForm(request.POST or None)
        form.fields["source"].queryset = (
            BudgetVersion.objects.filter(village_id=target.village_id)
            .exclude(pk=target.pk)
            .select_related("budget")
            .order_by("-budget__year", "-number")
        )
        return form

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(request, pk)
        return self.render(request, target, self.get_form(request, target))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(request, pk)
        form = self.get_form(request, target)
        if form.is_valid():
            try:
                count = copy_lines(
                    form.cleaned_data["source"],
                    target,
                    keep_amounts=form.cleaned_data["keep_amounts"],
                )
            except CopyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(count)s baris disalin.") % {"count": count})
                return redirect(reverse("transparency_versions:edit", args=[target.pk]))
        return self.render(request, target, form)

    def render(self, request: HttpRequest, target: BudgetVersion, form: CopyLinesForm):
        return TemplateResponse(
            request, self.template_name, {"target": target, "form": form, "title": str(target)}
        )


class VersionInspectView(InspectView):
    """The version with the totals of its lines, the reconciliation warnings and "copy lines"."""

    template_name = "transparency/version_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        totals = version_totals(self.object)
        context.update(
            totals=totals,
            warnings=reconcile(self.object, totals),
            copy_url=reverse("transparency_versions:copy_lines", args=[self.object.pk]),
        )
        return context


class BudgetVersionViewSet(TransparencyViewSet):
    model = BudgetVersion
    name = "transparency_versions"
    icon = "history"
    menu_label = _("Versi APBDes")
    form_fields = [
        "village",
        "budget",
        "number",
        "kind",
        "legal_basis",
        "legal_date",
        "document",
        "status",
        "declared_income",
        "declared_spending",
        "declared_financing_in",
        "declared_financing_out",
    ]
    list_display = ["__str__", "legal_basis", "status", "village"]
    list_filter = ["status", "kind"]
    list_export = ["number", "kind", "legal_basis", "legal_date", "status"]
    inspect_view_enabled = True
    inspect_view_class = VersionInspectView

    def scope_form(self, form: Any, user: Any) -> None:
        """Only users allowed to publish (the village's moderators) change the status."""
        super().scope_form(form, user)
        status = form.fields.get("status")
        if status is not None and not user.has_perm("transparency.publish_budgetversion"):
            status.disabled = True
            status.help_text = _("Hanya moderator desa yang dapat menerbitkan.")

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("copy-lines/<int:pk>/", self._guard(CopyLinesView.as_view()), name="copy_lines"),
        ]


class ActivityViewSet(TransparencyViewSet):
    model = Activity
    name = "transparency_activities"
    icon = "tasks"
    menu_label = _("Kegiatan")
    form_fields = ["village", "version", "sector", "code", "name", "location", "output"]
    list_display = ["name", "sector", "version", "village"]
    list_export = ["code", "name", "location", "output"]
    search_fields = ["name"]


class RealisationViewSet(TransparencyViewSet):
    model = Realisation
    name = "transparency_realisations"
    icon = "success"
    menu_label = _("Realisasi")
    form_fields = ["village", "line", "date", "amount", "note"]
    list_display = ["line", "date", "amount", "village"]
    list_export = ["date", "amount", "note"]


class DevelopmentActivityViewSet(TransparencyViewSet):
    model = DevelopmentActivity
    name = "transparency_developments"
    icon = "pick"
    menu_label = _("Kegiatan pembangunan")
    form_fields = [
        "village",
        "budget",
        "name",
        "location",
        "volume",
        "executor",
        "activities",
        "unfinished_reason",
    ]
    list_display = ["name", "location", "budget", "village"]
    list_export = ["name", "location", "volume", "executor"]
    search_fields = ["name", "location"]


class ProgressUpdateViewSet(TransparencyViewSet):
    model = ProgressUpdate
    name = "transparency_progress"
    icon = "image"
    menu_label = _("Laporan kemajuan")
    form_fields = ["village", "development", "date", "percent", "photo", "photo_alt", "note"]
    list_display = ["development", "date", "percent", "village"]
    list_export = ["date", "percent", "note"]


class BudgetDocumentViewSet(TransparencyViewSet):
    model = BudgetDocument
    name = "transparency_documents"
    icon = "doc-full-inverse"
    menu_label = _("Dokumen APBDes")
    form_fields = ["village", "budget", "kind", "title", "date", "document"]
    list_display = ["title", "kind", "date", "budget", "village"]
    list_filter = ["kind"]
    list_export = ["title", "kind", "date"]


class TransparencyViewSetGroup(ModelViewSetGroup):
    menu_label = _("Transparansi APBDes")
    menu_icon = "doc-full"
    menu_order = 230
    items = (
        BudgetViewSet,
        BudgetVersionViewSet,
        ActivityViewSet,
        BudgetLineViewSet,
        RealisationViewSet,
        DevelopmentActivityViewSet,
        ProgressUpdateViewSet,
        BudgetDocumentViewSet,
    )
