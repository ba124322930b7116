from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from . import views
from .canary import plant_canaries
from .panels import ServicesDashboardPanel
from .viewsets import (
    letter_viewset,
    open311_client_viewset,
    service_request_viewset,
    service_role_viewset,
    service_template_viewset,
    service_viewset,
)


class ServicesGroup(ViewSetGroup):
    menu_label = _("Layanan administrasi")
    menu_icon = "form"
    menu_order = 250
    items = (
        service_request_viewset,
        letter_viewset,
        service_viewset,
        service_role_viewset,
        open311_client_viewset,
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [ServicesGroup(), service_template_viewset]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("admin_services/loket/", views.walk_in, name="admin_services_walk_in"),
        path("admin_services/cadangkan/", views.reserve, name="admin_services_reserve"),
    ]


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return ServicesDashboardPanel


hooks.register("register_canary_objects", plant_canaries)
