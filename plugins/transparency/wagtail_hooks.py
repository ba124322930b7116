from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.villages.district import DistrictMenuItem, district_admin_required

from . import district
from .canary import plant_canaries
from .panels import BudgetDashboardPanel, BudgetHomePanel
from .viewsets import TransparencyViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TransparencyViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "transparency/district/",
            district_admin_required(district.admin_view),
            name="transparency_district",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_district_report():
    return DistrictMenuItem(
        _("APBDes desa se-kabupaten"),
        reverse("transparency_district"),
        name="transparency-district",
        icon_name="doc-full",
        order=950,
    )


@hooks.register("register_home_panel")
def register_home_panel():
    return BudgetHomePanel


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return BudgetDashboardPanel


hooks.register("register_canary_objects", plant_canaries)
