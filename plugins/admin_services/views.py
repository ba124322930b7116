"""Public verification of letters, and the officers' request views in the Wagtail admin."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import InspectView

from core.confinement.viewsets import selected_village
from core.pluginhost.registry import plugin_key_for_module

from .forms import RequestForm
from .letters import replace_file
from .links import tracking_url
from .models import Letter, RequestState, Service, ServiceRequest
from .numbering import reserve_numbers
from .services import create_request, whatsapp_link
from .uploads import clean_upload
from .workflow import ROLE_LABELS, moves_for, roles_of, transition

PLUGIN_KEY = plugin_key_for_module(__name__)


def verify(request):
    """The public page a letter's QR code opens: non-personal facts only."""
    request.sidekem_no_page_cache = True  # revocation must show at once
    token = (request.GET.get("kode") or "").strip()[:64]
    letter = (
        Letter.objects.filter(village_id=request.village_id, verify_token=token, reserved=False)
        .select_related("village")
        .first()
        if token
        else None
    )
    status = 200 if letter is not None else 404
    return TemplateResponse(
        request, "admin_services/verify.html", {"letter": letter, "token": token}, status=status
    )


class RequestInspectView(InspectView):
    """The officer's view of a request: facts, documents, timeline and the allowed actions."""

    template_name = "admin_services/admin/request_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.model.objects.select_related("service", "village", "assignee"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        roles = roles_of(self.request.user, obj.village)
        url = tracking_url(obj)
        context.update(
            service_request=obj,
            roles=[ROLE_LABELS[r] for r in sorted(roles)],
            moves=moves_for(obj, roles) if self.may_change() else [],
            timeline=obj.transitions.select_related("actor"),
            documents=obj.documents.all(),
            letter=Letter.objects.filter(request=obj).first(),
            tracking_url=url,
            whatsapp=whatsapp_link(obj, url) if obj.phone else "",
        )
        return context

    def may_change(self) -> bool:
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def post(self, request, *args, **kwargs):
        if not self.may_change():
            raise PermissionDenied
        obj = self.object = self.get_object()
        here = request.path
        if request.POST.get("action") == "assign_me":
            ServiceRequest.objects.filter(pk=obj.pk).update(assignee=request.user)
            messages.success(request, _("Permohonan ditugaskan kepada Anda."))
            return HttpResponseRedirect(here)
        if request.POST.get("action") == "upload_scan":
            return self.upload_scan(request, obj, here)
        target = request.POST.get("target", "")
        try:
            transition(
                obj,
                target,
                user=request.user,
                note=request.POST.get("note", "")[:2000],
                public=request.POST.get("public", "1") == "1",
            )
        except (PermissionDenied, ValidationError) as exc:
            text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text or _("Perubahan status tidak diizinkan."))
        else:
            messages.success(
                request,
                _("Status permohonan %(number)s: %(state)s.")
                % {"number": obj.number, "state": RequestState(obj.state).label},
            )
        return HttpResponseRedirect(here)

    def upload_scan(self, request, obj, here):
        """Replace the generated PDF with the scan of the signed, stamped letter; the register
        keeps the SHA-256 of this final file (the QR printed on it still points to the
        verification page)."""
        letter = Letter.objects.filter(request=obj).first()
        scan = request.FILES.get("scan")
        if letter is None or scan is None:
            messages.error(request, _("Pilih berkas pindaian surat yang sudah ditandatangani."))
            return HttpResponseRedirect(here)
        try:
            cleaned = clean_upload(scan)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return HttpResponseRedirect(here)
        replace_file(letter, cleaned.content.read(), cleaned.content.name)
        messages.success(
            request, _("Pindaian surat %(number)s tersimpan.") % {"number": letter.number}
        )
        return HttpResponseRedirect(here)


def walk_in(request):
    """An officer enters a request made at the counter into the same workflow."""
    village, villages = selected_village(request, PLUGIN_KEY)
    if not request.user.has_perm("admin_services.add_servicerequest"):
        raise PermissionDenied
    services = Service.objects.filter(village__in=villages, active=True).select_related("village")
    service = None
    if request.GET.get("layanan") or request.POST.get("layanan"):
        service = get_object_or_404(
            services, pk=request.GET.get("layanan") or request.POST.get("layanan")
        )
        village = service.village
    form = None
    if service is not None:
        if request.method == "POST":
            form = RequestForm(
                request.POST, request.FILES, service=service, request=request, staff=True
            )
            if form.is_valid():
                with transaction.atomic():
                    created = create_request(form, user=request.user)
                messages.success(
                    request, _("Permohonan %(number)s tercatat.") % {"number": created.number}
                )
                return HttpResponseRedirect(
                    reverse("admin_services_requests:inspect", args=[created.pk])
                )
        else:
            form = RequestForm(service=service, request=request, staff=True)
    return TemplateResponse(
        request,
        "admin_services/admin/walk_in.html",
        {"services": services, "service": service, "form": form, "village": village},
    )


class ReserveForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("Jumlah nomor"), min_value=1, max_value=100, initial=1
    )
    subject = forms.CharField(label=gettext_lazy("Perihal"), max_length=200)
    classification_code = forms.CharField(
        label=gettext_lazy("Kode klasifikasi"), max_length=30, required=False
    )


def reserve(request):
    """Reserve letter numbers for letters made outside the system (manual letters, surat dinas)."""
    if not request.user.has_perm("admin_services.add_letter"):
        raise PermissionDenied
    village, villages = selected_village(request, PLUGIN_KEY)
    form = ReserveForm(request.POST or None)
    reserved = []
    if request.method == "POST" and village is not None and form.is_valid():
        reserved = reserve_numbers(
            village,
            form.cleaned_data["count"],
            subject=form.cleaned_data["subject"],
            classification_code=form.cleaned_data["classification_code"],
        )
        messages.success(
            request,
            _("Nomor dicadangkan: %(numbers)s")
            % {"numbers": ", ".join(r.number for r in reserved)},
        )
        return HttpResponseRedirect(reverse("admin_services_letters:index"))
    return TemplateResponse(
        request,
        "admin_services/admin/reserve.html",
        {"form": form, "village": village, "villages": villages},
    )
