from django.urls import path
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .canary import plant_canaries
from .panels import SampleDashboardPanel, SampleHomePanel
from .viewsets import sample_note_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return sample_note_viewset


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("sample/report/", views.report, name="sample_report")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem("Laporan contoh", "/admin/sample/report/", name="sample-report", order=900)


@hooks.register("register_home_panel")
def register_home_panel():
    return SampleHomePanel


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return SampleDashboardPanel


hooks.register("register_canary_objects", plant_canaries)
