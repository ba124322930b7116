"""Village-scoped admin of accounts and deliveries (core/confinement/viewsets.py guards every
view, the action views below included)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic import InspectView

from core.confinement.viewsets import VillageDataViewSet

from . import outbox
from .forms import SocialAccountForm
from .models import Delivery, SocialAccount
from .text import whatsapp_text

S = Delivery.Status


class SocialAccountViewSet(VillageDataViewSet):
    model = SocialAccount
    icon = "globe"
    menu_label = _("Akun media sosial")
    name = "social_accounts"
    menu_order = 720
    list_display = ["name", "network", "village", "status", "last_error"]
    list_filter = ["network", "status"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "village",
        "network",
        "name",
        "target",
        "api_base_url",
        "status",
        "last_error",
        "created_at",
    ]

    def get_form_class(self, for_update: bool = False):
        return SocialAccountForm


class DeliveryInspectView(InspectView):
    template_name = "social/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = self.object
        context["viewset_name"] = "social_deliveries"
        context["actions"] = []
        if delivery.is_consistent():
            share = delivery.share
            context["actions"] = actions_for(delivery)
            text = whatsapp_text(share.title, "", share.url)
            context["whatsapp_text"] = text
            context["whatsapp_url"] = "https://wa.me/?" + urlencode({"text": text})
        return context


class ReadOnlyRedirectView(View):
    """Deliveries are written by the outbox only: add and edit lead to the inspect page."""

    model = Delivery
    index_url_name = None
    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and self.inspect_url_name:
            return redirect(reverse(self.inspect_url_name, args=[pk]))
        return redirect(reverse(self.index_url_name))


ACTION_LABELS = {
    "mark_posted": _("Tandai sudah terkirim"),
    "post_again": _("Kirim lagi"),
    "cancel": _("Batalkan"),
    "share_again": _("Bagikan lagi"),
}


def actions_for(delivery: Delivery) -> list[tuple[str, str]]:
    names = []
    if delivery.status == S.UNKNOWN:
        names += ["mark_posted", "post_again"]
    elif delivery.status in (S.FAILED, S.NEEDS_REAUTH):
        names += ["post_again"]
    if delivery.status in (S.PENDING, S.RETRY_WAIT, S.UNKNOWN, S.FAILED, S.NEEDS_REAUTH):
        names.append("cancel")
    if delivery.status in (S.SENT, S.CANCELLED) and delivery.share.page_id:
        names.append("share_again")
    return [(name, ACTION_LABELS[name]) for name in names]


class DeliveryActionView(View):
    """POST only: one editor decision about one delivery of the user's villages."""

    model = Delivery
    action = ""
    index_url_name = None
    inspect_url_name = None
    http_method_names = ["post"]

    def post(self, request, pk):
        viewset = self.sidekem_viewset
        if not viewset.permission_policy.user_has_permission(request.user, "change"):
            messages.error(request, _("Anda tidak berhak mengubah pengiriman."))
            return redirect(reverse(self.index_url_name))
        queryset = viewset.scope_queryset(Delivery.objects.all(), request.user)
        delivery = get_object_or_404(queryset.select_related("share", "account"), pk=pk)
        done = False
        if not delivery.is_consistent():
            pass  # a row mixing villages is never acted on
        elif self.action == "mark_posted":
            done = outbox.mark_posted(delivery, request.user, request.POST.get("remote_url", ""))
        elif self.action == "post_again":
            done = outbox.post_again(delivery, request.user)
        elif self.action == "cancel":
            done = outbox.cancel(delivery, request.user)
        elif self.action == "share_again":
            done = outbox.share_again(delivery.share, request.user) is not None
        if done:
            messages.success(request, _("Perubahan disimpan."))
        else:
            messages.error(
                request, _("Tindakan ini tidak berlaku untuk pengiriman dalam status ini.")
            )
        return HttpResponseRedirect(reverse(self.inspect_url_name, args=[delivery.pk]))


class DeliveryViewSet(VillageDataViewSet):
    model = Delivery
    icon = "resubmit"
    menu_label = _("Pengiriman media sosial")
    name = "social_deliveries"
    menu_order = 721
    list_display = [
        "share_title",
        "account_name",
        "status",
        "attempts",
        "next_attempt_at",
        "village",
    ]
    list_filter = ["status"]
    form_fields = ["status"]  # never rendered: add and edit redirect
    inspect_view_enabled = True
    inspect_view_class = DeliveryInspectView
    inspect_view_fields = [
        "share",
        "account",
        "status",
        "attempts",
        "next_attempt_at",
        "remote_id",
        "remote_url",
        "last_error",
        "sent_at",
        "resolved_by",
        "created_at",
    ]

    @property
    def add_view(self):
        return self.construct_view(ReadOnlyRedirectView, index_url_name=self.get_url_name("index"))

    @property
    def edit_view(self):
        return self.construct_view(
            ReadOnlyRedirectView,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for action in ACTION_LABELS:
            view = self.construct_view(
                DeliveryActionView,
                action=action,
                index_url_name=self.get_url_name("index"),
                inspect_url_name=self.get_url_name("inspect"),
            )
            slug = action.replace("_", "-")
            patterns.append(path(f"{slug}/<int:pk>/", view, name=action))
        return patterns


social_account_viewset = SocialAccountViewSet()
delivery_viewset = DeliveryViewSet()
