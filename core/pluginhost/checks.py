"""System checks: a plugin key that names no installed plugin would silently mean "off"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.core.checks import Error, register
from wagtail.admin.viewsets import viewsets as viewset_registry

from core.pluginhost.panels import DASHBOARD_PANEL_HOOK, HOME_PANEL_HOOK, registered
from core.pluginhost.registry import DECLARED_KEYS, installed_keys

if TYPE_CHECKING:
    from core.pluginhost.enforcement import PluginPageMixin


def _plugin_page_models() -> list[type[PluginPageMixin]]:
    """Installed page models marked as plugin pages (:class:`PluginPageMixin`)."""
    return [
        cast("type[PluginPageMixin]", model)
        for model in apps.get_models()
        if getattr(model, "sidekem_plugin_page", False)
    ]


def plugin_key_errors(declared: list[tuple[str, str]] | None = None) -> list[Error]:
    keys = installed_keys()
    errors = []
    for key, where in DECLARED_KEYS if declared is None else declared:
        if key not in keys:
            errors.append(
                Error(
                    f"{where} names plugin {key!r}, which is not installed.",
                    hint=f"Installed plugins: {', '.join(sorted(keys)) or 'none'}. Leave the "
                    "key out to take it from the app the code is defined in.",
                    obj=where,
                    id="sidekem.E001",
                )
            )
    for model in _plugin_page_models():
        if model.get_plugin_key() is None:
            errors.append(
                Error(
                    f"{model.__module__}.{model.__qualname__} is a plugin page outside any "
                    "plugin app.",
                    hint="Define it in a plugin (an app whose AppConfig is a PluginConfig).",
                    obj=model,
                    id="sidekem.E002",
                )
            )
    return errors


@register()
def check_plugin_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # Page models, admin viewsets and panels declare their key when asked: ask them all now.
    for model in _plugin_page_models():
        model.get_plugin_key()
    for viewset in viewset_registry.viewsets:
        getter = getattr(viewset, "get_plugin_key", None)
        if callable(getter):
            getter()
    for hook_name in (HOME_PANEL_HOOK, DASHBOARD_PANEL_HOOK):
        for panel_class in registered(hook_name):
            panel_class.get_plugin_key()
    return plugin_key_errors()
