from wagtail import hooks

from .canary import plant_canaries
from .panels import BudgetDashboardPanel, BudgetHomePanel
from .viewsets import TransparencyViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TransparencyViewSetGroup()


@hooks.register("register_home_panel")
def register_home_panel():
    return BudgetHomePanel


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return BudgetDashboardPanel


hooks.register("register_canary_objects", plant_canaries)
