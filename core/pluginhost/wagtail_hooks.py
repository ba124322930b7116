"""Registration only: the switch grid, plugin gating of admin menus, plugin pages in the admin,
and plugin panels on the dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.pluginhost import views
from core.pluginhost.admin import filter_menu_items, plugin_disabled_response
from core.pluginhost.enforcement import page_plugin_key
from core.pluginhost.panels import dashboard_panels
from core.pluginhost.switches import is_enabled
from core.villages.district import DistrictMenuItem
from core.villages.lookup import is_district_admin


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("sidekem/plugins/", views.plugin_grid, name="sidekem_plugin_grid"),
        path("sidekem/plugins/history/", views.plugin_history, name="sidekem_plugin_history"),
    ]


@hooks.register("register_settings_menu_item")
def register_plugin_grid_menu_item() -> DistrictMenuItem:
    return DistrictMenuItem(
        _("Plugin per desa"), reverse("sidekem_plugin_grid"), icon_name="cogs", order=50
    )


# -- menus: a plugin's items only for users with a village where it is on ---------------------

hooks.register("construct_main_menu", filter_menu_items)
hooks.register("construct_settings_menu", filter_menu_items)
hooks.register("construct_reports_menu", filter_menu_items)


# -- plugin pages in the admin: refused where the plugin is off ---------------------------------


def _refuse_disabled_plugin_page(request: HttpRequest, page: Any) -> HttpResponse | None:
    key = page_plugin_key(page.specific_class)
    if key and not is_district_admin(request.user) and not is_enabled(page, key):
        return plugin_disabled_response(request, key)
    return None


@hooks.register("before_edit_page")
def refuse_edit_of_disabled_plugin_page(request: HttpRequest, page: Any) -> HttpResponse | None:
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_delete_page")
def refuse_delete_of_disabled_plugin_page(request: HttpRequest, page: Any) -> HttpResponse | None:
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_copy_page")
def refuse_copy_of_disabled_plugin_page(request: HttpRequest, page: Any) -> HttpResponse | None:
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_create_page")
def refuse_create_of_disabled_plugin_page(
    request: HttpRequest, parent_page: Any, page_class: type
) -> HttpResponse | None:
    key = page_plugin_key(page_class)
    if key and not is_enabled(parent_page, key):
        return plugin_disabled_response(request, key)
    return None


# -- dashboard -----------------------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_plugin_dashboard_panels(request: HttpRequest, panels: list) -> None:
    panels.extend(dashboard_panels(request))
