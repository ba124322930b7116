"""Home-page panels that plugins contribute, without core ever importing a plugin.

A plugin registers a Wagtail hook::

    @hooks.register("register_home_panel")
    def umkm_panel():
        return HomePanel(plugin_key="umkm", title=_("Produk unggulan"), render=render_products)

``render(request, page)`` returns HTML (or ``""`` to show nothing). Core calls it only when
``core.pluginhost.registry.is_enabled(page, plugin_key)``; a failing panel is logged and left out, so one
plugin cannot take a village's home page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from wagtail import hooks

from core.pluginhost import registry as plugins

HOOK_NAME = "register_home_panel"
logger = logging.getLogger("sidekem.panels")


@dataclass(frozen=True)
class HomePanel:
    plugin_key: str
    title: str
    render: Callable
    order: int = 100


def registered_panels() -> list[HomePanel]:
    panels: list[HomePanel] = []
    for hook in hooks.get_hooks(HOOK_NAME):
        result = hook()
        if result is None:
            continue
        panels.extend(result if isinstance(result, list | tuple) else [result])
    return sorted(panels, key=lambda p: (p.order, p.plugin_key))


def render_home_panels(request, page) -> list[dict]:
    """Rendered panels of the plugins enabled for the page's village, in order."""
    rendered = []
    for panel in registered_panels():
        if not plugins.is_enabled(page, panel.plugin_key):
            continue
        try:
            html = panel.render(request, page)
        except Exception:
            logger.exception("home panel of plugin %s failed", panel.plugin_key)
            continue
        if html:
            rendered.append(
                {"key": panel.plugin_key, "title": panel.title, "html": mark_safe(html)}
            )
    return rendered
