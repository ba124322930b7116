"""Village dashboard panel: businesses whose QRIS awaits verification, codes with problems,
QRIS changes asked for by sellers awaiting review, and recent QRIS payload changes (the user's
villages where the plugin is on)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.pluginhost.panels import VillageDashboardPanel

from . import qris
from .models import Business, ChangeStatus, QrisPayloadChange

LISTED = 8


class UmkmDashboardPanel(VillageDashboardPanel):
    name = "umkm_qris"
    order = 160
    template_name = "umkm/dashboard_panel.html"
    title = _("QRIS usaha UMKM")

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        with_code = Business.objects.filter(village__in=self.villages).exclude(qris_payload="")
        awaiting = with_code.filter(verified=False).order_by("name")
        problems = []
        for business in with_code.only("pk", "name", "qris_payload").order_by("name"):
            errors = qris.errors(business.qris_payload)
            if errors:
                problems.append((business, len(errors)))
        to_review = QrisPayloadChange.objects.filter(
            village__in=self.villages, status=ChangeStatus.PENDING
        )
        context.update(
            {
                "review_count": to_review.count(),
                "to_review": to_review.select_related("business", "seller").order_by("changed_at")[
                    :LISTED
                ],
                "awaiting_count": awaiting.count(),
                "awaiting": awaiting[:LISTED],
                "problems": problems[:LISTED],
                "changes": QrisPayloadChange.objects.filter(
                    village__in=self.villages, status=ChangeStatus.APPLIED
                )
                .select_related("business")
                .order_by("-changed_at")[:LISTED],
            }
        )
        return context
