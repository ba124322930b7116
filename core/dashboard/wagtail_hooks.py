"""Registration only: the admin home page (Wagtail's dashboard)."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail import hooks

from core.dashboard.district import district_panels
from core.dashboard.village import village_panels
from core.pluginhost.panels import VillageDashboardPanel
from core.villages.lookup import is_district_admin


# Wagtail builds its own panels before running the hooks, and core/pluginhost/wagtail_hooks.py
# (order 0) adds the plugins' panels: this runs after both.
@hooks.register("construct_homepage_panels", order=100)
def build_dashboard(request: HttpRequest, panels: list) -> None:
    """District administrators get the district panels beside Wagtail's. Everyone else keeps
    only the plugins' panels (given their own villages by core/pluginhost/panels.py) and gets
    the village dashboard in place of Wagtail's panels, which look beyond the village (pages the
    user owns, edited or locked anywhere, tasks of any group the user is in)."""
    if is_district_admin(request.user):
        panels.extend(district_panels())
        return
    panels[:] = [panel for panel in panels if isinstance(panel, VillageDashboardPanel)]
    panels.extend(village_panels(request))
