from django.db.models import Count

from core.pluginhost.panels import VillageDashboardPanel

from .models import Delivery, SocialAccount

S = Delivery.Status
ATTENTION = (S.FAILED, S.UNKNOWN, S.NEEDS_REAUTH)


class DeliveriesAttentionPanel(VillageDashboardPanel):
    """Deliveries that need an editor: failed, unknown (did it post?) or waiting for the
    account to be re-authorised, in the user's villages where the plugin is on."""

    name = "social_deliveries"
    order = 160
    template_name = "social/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        rows = (
            Delivery.objects.filter(village__in=self.villages, status__in=ATTENTION)
            .values("status")
            .annotate(n=Count("pk"))
        )
        counts = {row["status"]: row["n"] for row in rows}
        context["items"] = [
            (S(status).label, status, counts.get(status, 0)) for status in ATTENTION
        ]
        context["total"] = sum(counts.values())
        context["accounts_needing_reauth"] = SocialAccount.objects.filter(
            village__in=self.villages, status=SocialAccount.Status.NEEDS_REAUTH
        ).count()
        return context
