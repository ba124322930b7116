from core.pluginhost.panels import HomePanel, VillageDashboardPanel

from .models import SampleNote


class SampleHomePanel(HomePanel):
    """A home-page section; its template autoescapes whatever the notes say."""

    title = "Catatan contoh"
    order = 50
    template_name = "sample_plugin/home_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["notes"] = SampleNote.objects.filter(village_id=self.request.village_id)[:5]
        return context


class SampleDashboardPanel(VillageDashboardPanel):
    """A dashboard count for the user's villages where the plugin is on."""

    name = "sample_notes"
    order = 150
    template_name = "sample_plugin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["count"] = SampleNote.objects.filter(village__in=self.villages).count()
        return context
