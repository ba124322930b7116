"""Admin gating of plugins: a plugin's admin views, menu items, reports and settings are for
users who act for at least one village where the plugin is on (whatever host they use), and
for district administrators.

Which plugin an admin URL belongs to is found from what it serves, so no plugin has to mark
its views: a viewset of a plugin (its own key, else its model's app), a setting or any view
named by a plugin model's app label, a view defined in a plugin app, or an explicit
``sidekem_plugin_key`` on the view function.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, ResolverMatch, resolve
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.models import Site

from core.pluginhost.registry import get_plugin, plugin_for_module
from core.pluginhost.switches import enabled_village_ids, is_enabled
from core.villages.lookup import is_district_admin, village_ids_for_user
from core.villages.middleware import VillageUserAdminMiddleware

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MODEL_KWARGS = (
    ("app_label", "model_name"),
    ("app_name", "model_name"),
    ("content_type_app_name", "content_type_model_name"),
)


def plugin_village_ids(user: Any, key: str | None) -> frozenset[int] | None:
    """Villages of ``user`` where plugin ``key`` is on (``None`` = all: district admin)."""
    ids = village_ids_for_user(user)
    if ids is None or not key:
        return ids
    return enabled_village_ids(ids, key)


def user_may_use_plugin(user: Any, key: str | None) -> bool:
    if not key or is_district_admin(user):
        return True
    return bool(plugin_village_ids(user, key))


def plugin_disabled_response(request: HttpRequest, plugin_key: str | None) -> HttpResponse:
    """A real 403 page (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""
    label: str | StrPromise | None
    try:
        label = get_plugin(plugin_key or "").verbose_name
    except LookupError:
        label = plugin_key
    return TemplateResponse(
        request, "pluginhost/plugin_disabled.html", {"plugin_label": label}, status=403
    )


def _key_of_model(model: Any) -> str | None:
    cfg = getattr(getattr(model, "_meta", None), "app_config", None)
    return cfg.get_key() if cfg is not None and hasattr(cfg, "get_key") else None


_VIEWSET_KEYS: dict[str, str] = {}


def _viewset_keys() -> dict[str, str]:
    """URL namespace → plugin key, for every registered viewset of a plugin (computed once the
    admin's viewsets are registered)."""
    if _VIEWSET_KEYS or not viewset_registry.viewsets:
        return _VIEWSET_KEYS
    keys = _VIEWSET_KEYS
    for viewset in viewset_registry.viewsets:
        key = getattr(viewset, "get_plugin_key", lambda: None)()
        if not key:
            key = _key_of_model(getattr(viewset, "model", None))
        if not key:
            cfg = plugin_for_module(type(viewset).__module__)
            key = cfg.get_key() if cfg else None
        if key:
            keys[viewset.url_namespace] = key
    return keys


def plugin_key_for_match(match: ResolverMatch) -> str | None:
    """The plugin an admin URL belongs to, or ``None`` for core and Wagtail views."""
    explicit = getattr(match.func, "sidekem_plugin_key", None)
    if explicit:
        return explicit
    for namespace in match.namespaces:
        key = _viewset_keys().get(namespace)
        if key:
            return key
    for app_key, model_key in MODEL_KWARGS:
        if app_key in match.kwargs and model_key in match.kwargs:
            try:
                model = apps.get_model(match.kwargs[app_key], match.kwargs[model_key])
            except LookupError:
                return None
            return _key_of_model(model)
    view = getattr(match.func, "view_class", match.func)
    cfg = plugin_for_module(getattr(view, "__module__", ""))
    return cfg.get_key() if cfg else None


def plugin_key_for_url(url: str) -> str | None:
    try:
        return plugin_key_for_match(resolve(urlsplit(url).path))
    except Resolver404:
        return None


class PluginAdminGateMiddleware(VillageUserAdminMiddleware):
    """Refuse a plugin's admin URLs to users for whose villages the plugin is off.

    Plugin settings (:class:`core.pluginhost.settings.PluginSiteSetting`) are stricter: their
    edit view names a site, and the plugin must be on for that site's village.
    """

    def check(
        self,
        request: HttpRequest,
        match: ResolverMatch,
        view_func: Any,
        view_args: Any,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        key = plugin_key_for_match(match)
        if key is None:
            return None
        if not user_may_use_plugin(request.user, key):
            return plugin_disabled_response(request, key)
        site_pk = view_kwargs.get("pk")
        if match.namespace == "wagtailsettings" and site_pk is not None:
            site = Site.objects.filter(pk=site_pk).first()
            if site is None or not is_enabled(site, key):
                return plugin_disabled_response(request, key)
        return None


def filter_menu_items(request: HttpRequest, items: list[MenuItem]) -> None:
    """``construct_*_menu`` hook body: drop plugin items the user may not use (submenus too)."""
    if is_district_admin(request.user):
        return
    kept: list[MenuItem] = []
    for item in items:
        if isinstance(item, SubmenuMenuItem):
            children = item.menu.menu_items_for_request(request)
            allowed = [c for c in children if _item_allowed(request, c)]
            if not allowed:
                continue
            if len(allowed) != len(children):
                item = copy.copy(item)
                item.menu = Menu(items=allowed)
            kept.append(item)
        elif _item_allowed(request, item):
            kept.append(item)
    items[:] = kept


def _item_allowed(request: HttpRequest, item: MenuItem) -> bool:
    url = getattr(item, "url", "") or ""
    if not url.startswith("/"):
        return True
    return user_may_use_plugin(request.user, plugin_key_for_url(url))
