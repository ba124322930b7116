"""Admin views added to the umkm viewsets (plugins/umkm/viewsets.py), each wrapped in the
viewset's village guard (403 where the plugin is off for the user, 404 for a ``pk`` outside the
user's villages):

* ``umkm_sellers:send_link``: "Kirim tautan masuk" for a seller: a one-time link, sent by e-mail
  and offered as a WhatsApp click-to-chat link for the operator to send;
* ``umkm_businesses:qris_review``: the business's QRIS changes asked for by sellers, approved
  (the payload is applied and the verified flag reset) or rejected.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin import messages

from core.villages.params import int_param

from . import qris, sellers
from .models import Business, ChangeStatus, QrisPayloadChange, Seller


class _ViewsetView(View):
    viewset: Any = None
    model: Any = None

    def check_permission(self, request) -> None:
        if not self.viewset.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied

    def scoped(self, request):
        return self.viewset.scope_queryset(self.model._default_manager.all(), request.user)


class SendLinkView(_ViewsetView):
    """GET: who gets the link and how; POST: issue it (rate-limited), e-mail it, and show the
    WhatsApp link once (the token is stored only as a hash)."""

    model = Seller
    template_name = "umkm/admin/send_link.html"

    def get_seller(self, request, pk) -> Seller:
        self.check_permission(request)
        return get_object_or_404(
            self.scoped(request).select_related("business", "village__site"), pk=pk
        )

    def get(self, request, pk):
        return self.render(request, self.get_seller(request, pk))

    def post(self, request, pk):
        seller = self.get_seller(request, pk)
        if not seller.active:
            return self.render(request, seller, error=_("Penjual ini nonaktif."))
        try:
            _link, url = sellers.issue_link(seller, request.user)
        except sellers.TooManyLinks:
            return self.render(
                request,
                seller,
                error=_(
                    "Sudah %(count)s tautan dibuat untuk penjual ini dalam satu jam terakhir. "
                    "Coba lagi nanti."
                )
                % {"count": sellers.LINKS_PER_HOUR},
            )
        emailed = sellers.email_link(seller, url)
        return self.render(
            request,
            seller,
            issued=True,
            emailed=emailed,
            whatsapp_url=sellers.whatsapp_link(seller, url),
            sign_in_url=url,
        )

    def render(self, request, seller, **context):
        context.update(
            {
                "seller": seller,
                "minutes": sellers.LINK_MINUTES,
                "page_title": _("Kirim tautan masuk"),
                "header_title": _("Kirim tautan masuk: %(name)s") % {"name": seller.name},
                "edit_url": self.viewset.get_url_name("edit"),
            }
        )
        status = 400 if context.get("error") else 200
        response = TemplateResponse(request, self.template_name, context, status=status)
        response["Cache-Control"] = "private, no-store"
        return response


class QrisReviewView(_ViewsetView):
    """The pending QRIS changes of one business: approve or reject each."""

    model = Business
    template_name = "umkm/admin/qris_review.html"

    def get_business(self, request, pk) -> Business:
        self.check_permission(request)
        return get_object_or_404(self.scoped(request), pk=pk)

    def pending(self, business):
        return (
            QrisPayloadChange.objects.filter(business=business, status=ChangeStatus.PENDING)
            .select_related("seller")
            .order_by("-changed_at")
        )

    def get(self, request, pk):
        business = self.get_business(request, pk)
        return TemplateResponse(
            request,
            self.template_name,
            {
                "business": business,
                "changes": self.pending(business),
                "header_title": _("Tinjau perubahan QRIS: %(name)s") % {"name": business.name},
                "edit_url_name": self.viewset.get_url_name("edit"),
            },
        )

    def post(self, request, pk):
        business = self.get_business(request, pk)
        change = get_object_or_404(
            self.pending(business), pk=int_param(request.POST.get("change")) or 0
        )
        decision = request.POST.get("keputusan")
        if decision == "setujui":
            if change.new_payload and qris.errors(change.new_payload):
                messages.error(request, _("Kode QRIS baru tidak sah; perubahan tidak diterapkan."))
                return redirect(self.viewset.get_url_name("qris_review"), pk=business.pk)
            change.approve(request.user)
            messages.success(
                request,
                _("Kode QRIS baru diterapkan. Periksa stiker asli lalu centang verifikasi."),
            )
        elif decision == "tolak":
            change.reject(request.user)
            messages.success(request, _("Perubahan QRIS ditolak."))
        else:
            messages.error(request, _("Pilih setujui atau tolak."))
        return redirect(self.viewset.get_url_name("qris_review"), pk=business.pk)
