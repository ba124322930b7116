"""Installed plugins and how code finds the plugin it belongs to.

A plugin is a Django app whose AppConfig subclasses :class:`PluginConfig`. Settings build
INSTALLED_APPS from the ``sidekem.plugins`` entry points (sidekem_site/plugin_discovery.py).
Everything a plugin defines (page models, viewsets, receivers, tasks, panels, settings) takes
its key from the app it is defined in (:func:`plugin_key_for_module`), so the key is written
once, in the plugin's apps.py. An explicit key stays possible; :mod:`core.pluginhost.checks`
fails ``manage.py check`` on any key that names no installed plugin.

This module imports no model, so a plugin's apps.py can import it.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps


class PluginConfig(AppConfig):
    """AppConfig base class carrying a plugin's metadata.

    A plugin's apps.py imports this class too, so its own config must set ``default = True``.
    """

    #: Stable key stored in switches; defaults to the app label.
    plugin_key: str = ""
    #: One-line description shown to district administrators (translatable).
    description: str = ""
    #: Whether newly provisioned villages get the plugin switched on.
    default_enabled: bool = True
    #: Dotted path of a URLconf for public non-page URLs, mounted under ``/<key>/``.
    urls: str | None = None
    #: Dotted path of a URLconf mounted at the site root on every host (no ``/<key>/`` prefix),
    #: for addresses a standard fixes (``/open311/v2/``) and district pages on the portal. On a
    #: village host its views answer only while the plugin is on there; on the district portal
    #: they always answer and serve the villages where the plugin is on
    #: (:func:`core.pluginhost.switches.villages_with_plugin`). Wrap a view in
    #: :func:`core.pluginhost.enforcement.portal_only` to serve it on the portal alone. Paths
    #: must not clash with core's or another plugin's.
    root_urls: str | None = None
    #: Dotted path of a module with ``seed_demo(village) -> int`` (rows or pages made), which the
    #: demo command (``seed_demo``, core/demo) calls for every demo village after switching the
    #: plugin on there. Idempotent: a second run adds nothing.
    demo: str | None = None
    #: Celery beat entries of the plugin (name → ``{"task": "dotted.task.name", "schedule": …}``),
    #: added to the Celery app's schedule when the plugin is installed
    #: (``core/pluginhost/apps.py``). The tasks themselves check the switch per village.
    beat_schedule: dict[str, dict[str, Any]] = {}
    #: Model permissions of the village roles, as ``app_label.codename`` per role attribute
    #: (``editors_group``, ``moderators_group``, ``officers_group``). ``None``: see
    #: :meth:`get_village_role_permissions`.
    village_role_permissions: dict[str, list[str]] | None = None

    def get_key(self) -> str:
        return self.plugin_key or self.label

    def get_village_role_permissions(self) -> dict[str, list[str]]:
        """By default editors and moderators get add/change/delete/view on every model of the
        plugin with a ``village`` field; service officers get nothing."""
        if self.village_role_permissions is not None:
            return self.village_role_permissions
        data = [
            f"{model._meta.app_label}.{action}_{model._meta.model_name}"
            for model in self.get_models()
            if any(f.name == "village" for f in model._meta.get_fields())
            for action in ("add", "change", "delete", "view")
        ]
        return {"editors_group": data, "moderators_group": data, "officers_group": []}

    #: Permissions on the village's own Site (per-village settings), like
    #: ``village_role_permissions``. ``None``: see :meth:`get_village_role_site_permissions`.
    village_role_site_permissions: dict[str, list[str]] | None = None

    def get_village_role_site_permissions(self) -> dict[str, list[str]]:
        """By default the village's moderators change the plugin's per-village settings
        (``core.pluginhost.settings.PluginSiteSetting`` models) on their own village's site."""
        if self.village_role_site_permissions is not None:
            return self.village_role_site_permissions
        settings_perms = [
            f"{model._meta.app_label}.change_{model._meta.model_name}"
            for model in self.get_models()
            if getattr(model, "sidekem_plugin_setting", False)
        ]
        return {"moderators_group": settings_perms}

    @property
    def page_models(self) -> list[type]:
        return [
            model
            for model in self.get_models()
            if getattr(model, "sidekem_plugin_page", False) and not model._meta.abstract
        ]


def installed_plugins() -> list[PluginConfig]:
    return sorted(
        (cfg for cfg in apps.get_app_configs() if isinstance(cfg, PluginConfig)),
        key=lambda cfg: cfg.get_key(),
    )


def installed_keys() -> set[str]:
    return {cfg.get_key() for cfg in installed_plugins()}


def get_plugin(key: str) -> PluginConfig:
    for cfg in installed_plugins():
        if cfg.get_key() == key:
            return cfg
    raise LookupError(f"No installed Sidekem plugin {key!r}")


def plugin_defaults() -> dict[str, bool]:
    return {cfg.get_key(): cfg.default_enabled for cfg in installed_plugins()}


def plugin_for_module(module: str) -> PluginConfig | None:
    """The plugin whose app contains ``module`` (a dotted module name), if any."""
    cfg = apps.get_containing_app_config(module)
    return cfg if isinstance(cfg, PluginConfig) else None


def plugin_key_for_module(module: str) -> str | None:
    cfg = plugin_for_module(module)
    return cfg.get_key() if cfg else None


#: Explicit keys written in code, with where they were written: checked at start-up.
DECLARED_KEYS: list[tuple[str, str]] = []


def resolve_key(explicit: str | None, module: str, where: str) -> str | None:
    """The plugin key of something defined in ``module``: the explicit one (recorded for the
    system check), else the key of the plugin app that contains the module."""
    if explicit:
        declare_key(explicit, where)
        return explicit
    return plugin_key_for_module(module)


def declare_key(key: str, where: str) -> None:
    entry = (key, where)
    if entry not in DECLARED_KEYS:
        DECLARED_KEYS.append(entry)


def qualified_name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"
