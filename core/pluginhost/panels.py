"""Panels that plugins add to a village's home page and to the admin dashboard, as Wagtail
template components (autoescaped like any template), without core importing a plugin.

A plugin registers a component class with a hook::

    @hooks.register("register_home_panel")
    def products_panel():
        return ProductsPanel          # a HomePanel subclass with a template_name

    @hooks.register("register_village_dashboard_panel")
    def requests_waiting():
        return RequestsWaitingPanel   # a VillageDashboardPanel subclass

Core instantiates and renders a panel only where its plugin is on: home panels for the page's
village, dashboard panels for the user's villages where it is on (all villages for district
administrators). The plugin is the app that defines the class. A panel that fails is logged and
left out, so one plugin cannot take a page down.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.ui.components import Component

from core.pluginhost.admin import plugin_village_ids
from core.pluginhost.registry import qualified_name, resolve_key
from core.pluginhost.switches import is_enabled, villages_with_plugin
from core.villages.models import Village

HOME_PANEL_HOOK = "register_home_panel"
DASHBOARD_PANEL_HOOK = "register_village_dashboard_panel"
logger = logging.getLogger("sidekem.panels")


class PluginComponent(Component):
    plugin_key: ClassVar[str] = ""  # only to override the plugin the class is defined in
    order: ClassVar[int] = 100

    @classmethod
    def get_plugin_key(cls) -> str | None:
        return resolve_key(cls.plugin_key, cls.__module__, qualified_name(cls))


class HomePanel(PluginComponent):
    """A section of the village home page. ``get_context_data`` sees ``request`` and ``page``
    (the village home page, in the visitor's language)."""

    title: ClassVar[str] = ""

    def __init__(self, request: HttpRequest, page: Any) -> None:
        self.request = request
        self.page = page

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"request": self.request, "page": self.page, "panel": self}

    def is_shown(self) -> bool:
        """Return False to show nothing (e.g. no products yet)."""
        return True


class VillageDashboardPanel(PluginComponent):
    """A panel of the admin dashboard about ``villages``: the user's villages where the plugin
    is on (for district administrators, every village where it is on): counts, tasks waiting."""

    name: ClassVar[str] = ""

    def __init__(self, request: HttpRequest, villages: list[Village]) -> None:
        self.request = request
        self.villages = villages

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"request": self.request, "villages": self.villages, "panel": self}


def registered(hook_name: str) -> list[type[PluginComponent]]:
    classes: list[type[PluginComponent]] = []
    for hook in hooks.get_hooks(hook_name):
        result = hook()
        if result is None:
            continue
        classes.extend(result if isinstance(result, list | tuple) else [result])
    return sorted(classes, key=lambda c: (c.order, c.get_plugin_key() or "", c.__name__))


def render_home_panels(request: HttpRequest, page: Any) -> list[dict[str, Any]]:
    """Rendered panels of the plugins enabled for the page's village, in order."""
    rendered = []
    for panel_class in registered(HOME_PANEL_HOOK):
        key = panel_class.get_plugin_key()
        if not is_enabled(page, key):
            continue
        try:
            panel = panel_class(request, page)
            if not panel.is_shown():
                continue
            html: SafeString = panel.render_html()
        except Exception:
            logger.exception("home panel %s failed", qualified_name(panel_class))
            continue
        if html.strip():
            rendered.append({"key": key, "title": panel_class.title, "html": html})
    return rendered


def dashboard_panels(request: HttpRequest) -> list[VillageDashboardPanel]:
    """Dashboard panels for this user: each with the villages where its plugin is on."""
    panels = []
    for panel_class in registered(DASHBOARD_PANEL_HOOK):
        key = panel_class.get_plugin_key()
        ids = plugin_village_ids(request.user, key)
        if ids is None:  # district administrators: every village where the plugin is on
            ids = villages_with_plugin(key)
        if not ids:
            continue
        villages = Village.objects.filter(pk__in=ids).order_by("name")
        panels.append(panel_class(request, list(villages)))
    return panels
