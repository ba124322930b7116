from django.db.models import Count, Q
from django.utils import timezone

from core.pluginhost.panels import VillageDashboardPanel

from .models import CLOSED_STATES, RequestState, ServiceRequest


class ServicesDashboardPanel(VillageDashboardPanel):
    """Requests waiting and overdue in the user's villages where the plugin is on."""

    name = "admin_services"
    order = 140
    template_name = "admin_services/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        open_q = ~Q(state__in=[*CLOSED_STATES, RequestState.ISSUED])
        late_q = open_q & Q(due_on__lt=timezone.localdate())
        counts = ServiceRequest.objects.filter(village__in=self.villages).aggregate(
            waiting=Count("pk", filter=open_q), overdue=Count("pk", filter=late_q)
        )
        context.update(counts)
        context["shown"] = self.request.user.has_perm("admin_services.view_servicerequest")
        return context
