from wagtail import hooks

from .canary import plant_canaries
from .panels import UmkmDashboardPanel
from .viewsets import business_viewset, product_viewset, seller_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [business_viewset, product_viewset, seller_viewset]


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return UmkmDashboardPanel


hooks.register("register_canary_objects", plant_canaries)
