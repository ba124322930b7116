"""Plugin registry, per-village switches and the helpers that enforce them everywhere.

A plugin is a Django app whose AppConfig subclasses :class:`PluginConfig`. Installed plugins are
found from the app registry (settings build INSTALLED_APPS from the ``sidekem.plugins`` entry
points). Whether a plugin is *enabled* for a village is a run-time switch; the five enforcement
points of ARCHITECTURE.md each have a helper here:

1. page creation: :class:`PluginPageMixin.can_create_at`;
2. serving, menus, listings, search, sitemaps: :class:`PluginPageMixin` and
   :func:`exclude_disabled_plugin_pages`;
3. non-page URLs: :func:`plugin_urlpatterns` wraps every plugin URL in :func:`require_plugin`;
4. admin: :class:`core.confinement.viewsets.VillageDataViewSet` (``plugin_key``) and the page hooks;
5. signal receivers and Celery tasks: :func:`plugin_receiver` and :func:`plugin_task`.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable

from django.apps import AppConfig, apps
from django.core.cache import cache
from django.http import Http404
from django.urls import URLPattern, URLResolver, include, path

from core.villages.lookup import village_id_of

logger = logging.getLogger("sidekem.plugins")

CACHE_KEY = "sidekem:plugins:village:{}:v1"

# Per-request memo (set by core.middleware.VillageMiddleware); outside requests the shared cache
# is asked directly, so a long-running worker never keeps a stale answer.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "sidekem_plugin_memo", default=None
)


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
    #: Dotted path of a URLconf for non-page URLs, mounted under ``/<key>/``.
    urls: str | None = None

    def get_key(self) -> str:
        return self.plugin_key or self.label

    #: Model permissions granted to each village role, as ``app_label.codename``. ``None``
    #: means: editors and moderators get add/change/delete/view on every model of the plugin
    #: that has a ``village`` field; service officers get nothing.
    group_permissions: dict[str, list[str]] | None = None

    def get_group_permissions(self) -> dict[str, list[str]]:
        if self.group_permissions is not None:
            return self.group_permissions
        perms = [
            f"{model._meta.app_label}.{action}_{model._meta.model_name}"
            for model in self.get_models()
            if any(f.name == "village" for f in model._meta.get_fields())
            for action in ("add", "change", "delete", "view")
        ]
        return {"editors_group": perms, "moderators_group": perms, "officers_group": []}

    @property
    def page_models(self) -> list[type]:
        return [
            model
            for model in self.get_models()
            if issubclass(model, PluginPageMixin) and not model._meta.abstract
        ]


def installed_plugins() -> list[PluginConfig]:
    return sorted(
        (cfg for cfg in apps.get_app_configs() if isinstance(cfg, PluginConfig)),
        key=lambda cfg: cfg.get_key(),
    )


def get_plugin(key: str) -> PluginConfig:
    for cfg in installed_plugins():
        if cfg.get_key() == key:
            return cfg
    raise LookupError(f"No installed Sidekem plugin {key!r}")


def plugin_defaults() -> dict[str, bool]:
    return {cfg.get_key(): cfg.default_enabled for cfg in installed_plugins()}


def _switches_for_village(village_id: int) -> dict[str, bool]:
    memo = _request_memo.get()
    if memo is not None and village_id in memo:
        return memo[village_id]
    key = CACHE_KEY.format(village_id)
    switches = cache.get(key)
    if switches is None:
        from core.pluginhost.models import PluginSwitch

        switches = dict(
            PluginSwitch.objects.filter(village_id=village_id).values_list("plugin_key", "enabled")
        )
        cache.set(key, switches, None)
    if memo is not None:
        memo[village_id] = switches
    return switches


def is_enabled(village_or_site, key: str) -> bool:
    """Whether plugin ``key`` is on for a village (given as Village, Site, Page, request or id).

    Anything that belongs to no village (the district portal) has no plugins.
    """
    village_id = village_id_of(village_or_site)
    if not village_id:
        return False
    switches = _switches_for_village(village_id)
    if key in switches:
        return switches[key]
    # A plugin installed after the village was provisioned: the district default applies.
    return plugin_defaults().get(key, False)


def invalidate(village_id: int) -> None:
    cache.delete(CACHE_KEY.format(village_id))
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(village_id, None)


def start_request_memo() -> contextvars.Token:
    return _request_memo.set({})


def end_request_memo(token: contextvars.Token) -> None:
    _request_memo.reset(token)


# 1 + 2 — page types --------------------------------------------------------------------------


class PluginPageMixin:
    """Mix into every page model of a plugin, before ``Page``: set ``plugin_key``."""

    plugin_key: str = ""

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return super().can_create_at(parent) and is_enabled(parent, cls.plugin_key)

    def plugin_enabled(self) -> bool:
        return is_enabled(self, self.plugin_key)

    def route(self, request, path_components):
        # Every request that reaches this page or any routable sub-page passes here.
        if not self.plugin_enabled():
            raise Http404("Plugin disabled for this village")
        return super().route(request, path_components)

    def get_sitemap_urls(self, request=None):
        if not self.plugin_enabled():
            return []
        return super().get_sitemap_urls(request)


def disabled_page_content_type_ids(village_or_site) -> list[int]:
    from django.contrib.contenttypes.models import ContentType

    models = [
        model
        for cfg in installed_plugins()
        if not is_enabled(village_or_site, cfg.get_key())
        for model in cfg.page_models
    ]
    if not models:
        return []
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def exclude_disabled_plugin_pages(queryset, village_or_site):
    """Drop pages of plugins switched off for this village from a page queryset."""
    ct_ids = disabled_page_content_type_ids(village_or_site)
    return queryset.exclude(content_type_id__in=ct_ids) if ct_ids else queryset


# 3 — non-page URLs ---------------------------------------------------------------------------


def require_plugin(key: str) -> Callable:
    """View decorator: 404 unless the plugin is enabled for the request's village."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_enabled(request, key):
                raise Http404("Plugin disabled for this village")
            return view(request, *args, **kwargs)

        wrapped.sidekem_plugin_key = key
        return wrapped

    return decorator


def _wrap_patterns(patterns, key: str) -> list:
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            wrapped.append(
                URLResolver(
                    pattern.pattern,
                    _wrap_patterns(pattern.url_patterns, key),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        elif isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern,
                    require_plugin(key)(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            )
    return wrapped


def plugin_urlpatterns() -> list:
    """Every installed plugin's public URLs under ``/<key>/``, each guarded by its switch."""
    from importlib import import_module

    patterns = []
    for cfg in installed_plugins():
        if not cfg.urls:
            continue
        module = import_module(cfg.urls)
        key = cfg.get_key()
        guarded = _wrap_patterns(module.urlpatterns, key)
        patterns.append(path(f"{key}/", include((guarded, cfg.label), namespace=cfg.label)))
    return patterns


# 5 — signal receivers and tasks ----------------------------------------------------------------


def plugin_receiver(signal, key: str, village_of: Callable, **connect_kwargs) -> Callable:
    """Connect a receiver that only runs when ``key`` is enabled for the village concerned.

    ``village_of(sender=..., **kwargs)`` returns the village (or site, page, id) of the event.
    """

    def decorator(func):
        @functools.wraps(func)
        def receiver(sender, **kwargs):
            village = village_of(sender=sender, **kwargs)
            if not is_enabled(village, key):
                logger.info("skip %s: plugin %s off for %s", func.__qualname__, key, village)
                return None
            return func(sender, **kwargs)

        connect_kwargs.setdefault("dispatch_uid", f"{func.__module__}.{func.__qualname__}")
        signal.connect(receiver, weak=False, **connect_kwargs)
        return receiver

    return decorator


PLUGIN_DISABLED = "plugin-disabled"


def plugin_task(key: str, **task_options) -> Callable:
    """Celery shared task whose first argument is a village id; skips when the plugin is off.

    The check runs when the task runs, not when it is queued: a village may be switched off
    in between.
    """
    from celery import shared_task

    def decorator(func):
        @functools.wraps(func)
        def run(village_id, *args, **kwargs):
            if not is_enabled(village_id, key):
                logger.info(
                    "skip task %s: plugin %s off for village %s", func.__name__, key, village_id
                )
                return PLUGIN_DISABLED
            return func(village_id, *args, **kwargs)

        run.sidekem_plugin_key = key
        return shared_task(**task_options)(run)

    return decorator
