"""The village's service counter page (a routable page: Indonesian and English versions).

Sub-URLs (each scoped to the page's village; a token of another village is 404):

* ``""``: the village's active services;
* ``ajukan/<code>/``: the request form of one service;
* ``lacak/<token>/``: tracking, opened with the resident's PIN (attempts limited, then locked);
  shows the public timeline, lets the resident cancel or send documents when asked;
* ``lacak/<token>/surat/``: the issued letter (PDF), after the PIN.

Nothing personal is cached: every sub-URL with a form or personal data marks the response
private (``request.sidekem_no_page_cache``; core/website/cache.py).
"""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.pluginhost.enforcement import PluginPageMixin
from core.villages.lookup import village_id_for_page

from .forms import PinForm, RequestForm, RevisionForm
from .models import RequestState, Service, ServiceRequest, ServiceSettings
from .services import attach_documents, create_request
from .telegram import start_link
from .workflow import RESIDENT, transition

SESSION_KEY = "admin_services_unlocked"
UNLOCK_SECONDS = 30 * 60


def unlock(request, service_request: ServiceRequest) -> None:
    unlocked = dict(request.session.get(SESSION_KEY, {}))
    now = time.time()
    unlocked = {k: v for k, v in unlocked.items() if v > now}
    unlocked[str(service_request.pk)] = now + UNLOCK_SECONDS
    request.session[SESSION_KEY] = unlocked


def is_unlocked(request, service_request: ServiceRequest) -> bool:
    expiry = request.session.get(SESSION_KEY, {}).get(str(service_request.pk))
    return bool(expiry and expiry > time.time())


class ServicesPage(PluginPageMixin, RoutablePageMixin, Page):
    """The village's service counter: list of services, request forms, tracking."""

    intro = RichTextField(
        gettext_lazy("pengantar"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "admin_services/services_page.html"

    class Meta:
        verbose_name = gettext_lazy("halaman layanan administrasi")

    # -- helpers ---------------------------------------------------------------------------
    @property
    def village_id(self) -> int | None:
        return village_id_for_page(self)

    def services(self):
        return Service.objects.filter(village_id=self.village_id, active=True)

    def sub_url(self, request, suffix: str) -> str:
        return self.get_url(request) + suffix

    def find_request(self, token: str) -> ServiceRequest:
        found = (
            ServiceRequest.objects.select_related("service", "village")
            .filter(village_id=self.village_id, tracking_token=token)
            .first()
        )
        if found is None:
            raise Http404
        return found

    # -- routes ----------------------------------------------------------------------------
    @path("")
    def index(self, request):
        context = self.get_context(request)
        context["services"] = self.services()
        return TemplateResponse(request, self.template, context)

    @path("ajukan/<slug:code>/")
    def apply(self, request, code):
        request.sidekem_no_page_cache = True
        service = self.services().filter(code=code).first()
        if service is None:
            raise Http404
        if request.method == "POST":
            form = RequestForm(request.POST, request.FILES, service=service, request=request)
            if form.is_valid():
                created = create_request(form)
                unlock(request, created)
                return redirect(self.sub_url(request, f"lacak/{created.tracking_token}/?baru=1"))
        else:
            form = RequestForm(service=service, request=request)
        context = self.get_context(request)
        context.update(service=service, form=form)
        return TemplateResponse(request, "admin_services/request_form.html", context)

    @path("lacak/<str:token>/")
    def track(self, request, token):
        request.sidekem_no_page_cache = True
        service_request = self.find_request(token)
        pin_form = PinForm()
        revision_form = RevisionForm()
        error = ""
        if request.method == "POST":
            action = request.POST.get("action", "pin")
            if action == "pin":
                pin_form = PinForm(request.POST)
                if service_request.is_locked():
                    error = _(
                        "Terlalu banyak PIN salah. Halaman ini terkunci sementara; coba lagi "
                        "nanti atau datang ke kantor desa."
                    )
                elif pin_form.is_valid() and service_request.check_pin(
                    pin_form.cleaned_data["pin"]
                ):
                    unlock(request, service_request)
                    return redirect(self.sub_url(request, f"lacak/{token}/"))
                else:
                    error = (
                        _(
                            "Terlalu banyak PIN salah. Halaman ini terkunci sementara; coba lagi "
                            "nanti atau datang ke kantor desa."
                        )
                        if service_request.is_locked()
                        else _("PIN salah.")
                    )
            elif not is_unlocked(request, service_request):
                raise PermissionDenied
            elif action == "cancel":
                try:
                    transition(
                        service_request,
                        RequestState.CANCELLED,
                        roles=frozenset({RESIDENT}),
                        note=request.POST.get("note", "")[:500],
                    )
                    return redirect(self.sub_url(request, f"lacak/{token}/"))
                except PermissionDenied:
                    error = _("Permohonan ini tidak bisa dibatalkan lagi.")
            elif action == "revise":
                revision_form = RevisionForm(request.POST, request.FILES)
                try:
                    valid = revision_form.is_valid()
                except ValidationError:
                    valid = False
                if valid:
                    try:
                        with transaction.atomic():
                            attach_documents(service_request, revision_form.clean_files)
                            transition(
                                service_request,
                                RequestState.CHECKING,
                                roles=frozenset({RESIDENT}),
                                note=revision_form.cleaned_data["note"],
                            )
                        return redirect(self.sub_url(request, f"lacak/{token}/"))
                    except PermissionDenied:
                        error = _("Permohonan ini tidak sedang menunggu perbaikan.")
        context = self.get_context(request)
        unlocked = is_unlocked(request, service_request)
        context.update(
            service_request=service_request,
            unlocked=unlocked,
            pin_form=pin_form,
            revision_form=revision_form,
            error=error,
            new=request.GET.get("baru") == "1",
            tracking_url=request.build_absolute_uri(self.sub_url(request, f"lacak/{token}/")),
        )
        if unlocked:
            context["timeline"] = service_request.transitions.filter(public=True)
            context["documents"] = service_request.documents.all()
            context["letter"] = getattr(service_request, "letter", None)
            conf = ServiceSettings.for_site(service_request.village.site)
            context["telegram_link"] = (
                "" if service_request.telegram_chat_id else start_link(conf, service_request)
            )
            context["can_cancel"] = service_request.state in (
                RequestState.SUBMITTED,
                RequestState.CHECKING,
                RequestState.NEEDS_REVISION,
            )
        return TemplateResponse(request, "admin_services/track.html", context)

    @path("lacak/<str:token>/surat/")
    def letter_file(self, request, token):
        request.sidekem_no_page_cache = True
        service_request = self.find_request(token)
        if not is_unlocked(request, service_request):
            raise PermissionDenied
        letter = getattr(service_request, "letter", None)
        if letter is None or not letter.file or letter.revoked_at is not None:
            raise Http404
        response = FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"surat-{service_request.number}.pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
