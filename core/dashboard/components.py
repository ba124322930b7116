"""The base of the dashboard's panels: Wagtail template components with the dashboard's
stylesheet (the admin home page collects the panels' media)."""

from __future__ import annotations

from wagtail.admin.ui.components import Component


class DashboardComponent(Component):
    class Media:
        css = {"all": ["dashboard/dashboard.css"]}
