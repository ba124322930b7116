"""The enforcement points of a plugin switch, each a helper a plugin uses by inheriting or
decorating; none of them needs the plugin's key written again.

1. page creation and 2. serving, menus, listings, search, sitemaps: :class:`PluginPageMixin`
   and :func:`exclude_disabled_plugin_pages`;
3. public non-page URLs: :func:`plugin_urlpatterns` wraps every plugin URL in
   :func:`require_plugin` (and every site-root URL in :func:`require_plugin_or_portal`);
4. admin: :mod:`core.pluginhost.admin` (menus and views of plugin apps, for the user's villages);
5. signal receivers and Celery tasks: :func:`plugin_receiver` and :func:`plugin_task`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from core.pluginhost.registry import installed_plugins, qualified_name, resolve_key
from core.pluginhost.switches import is_enabled

logger = logging.getLogger("sidekem.plugins")

PLUGIN_DISABLED = "plugin-disabled"


# 1 + 2 — page types ---------------------------------------------------------------------------


class PluginPageMixin:
    """Mix into every page model of a plugin, before ``Page``.

    The key comes from the plugin app that defines the model; set ``plugin_key`` only to
    override it.
    """

    plugin_key: str = ""
    sidekem_plugin_page = True

    @classmethod
    def get_plugin_key(cls) -> str | None:
        return resolve_key(cls.plugin_key, cls.__module__, qualified_name(cls))

    @classmethod
    def can_create_at(cls, parent: Any) -> bool:
        return super().can_create_at(parent) and is_enabled(parent, cls.get_plugin_key())  # type: ignore[misc]

    def plugin_enabled(self) -> bool:
        return is_enabled(self, self.get_plugin_key())

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # Every request that reaches this page or any routable sub-page passes here.
        if not self.plugin_enabled():
            raise Http404("Plugin disabled for this village")
        return super().route(request, path_components)  # type: ignore[misc]

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list:
        if not self.plugin_enabled():
            return []
        return super().get_sitemap_urls(request)  # type: ignore[misc]


def page_plugin_key(page_class: type) -> str | None:
    """The plugin key of a page class, or ``None`` for core page types."""
    getter = getattr(page_class, "get_plugin_key", None)
    return getter() if callable(getter) else None


def disabled_page_content_type_ids(village_or_site: Any) -> list[int]:
    models = [
        model
        for cfg in installed_plugins()
        if not is_enabled(village_or_site, cfg.get_key())
        for model in cfg.page_models
    ]
    if not models:
        return []
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def exclude_disabled_plugin_pages(queryset: QuerySet, village_or_site: Any) -> QuerySet:
    """Drop pages of plugins switched off for this village from a page queryset."""
    ct_ids = disabled_page_content_type_ids(village_or_site)
    return queryset.exclude(content_type_id__in=ct_ids) if ct_ids else queryset


# 3 — public non-page URLs --------------------------------------------------------------------


def require_plugin(key: str | None = None) -> Callable[[Callable], Callable]:
    """View decorator: 404 unless the plugin is enabled for the request's village.

    Without ``key`` the plugin is the app that defines the view.
    """

    def decorator(view: Callable) -> Callable:
        resolved = resolve_key(key, view.__module__, qualified_name(view))

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_enabled(request, resolved):
                raise Http404("Plugin disabled for this village")
            return view(request, *args, **kwargs)

        wrapped.sidekem_plugin_key = resolved  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require_plugin_or_portal(key: str | None = None) -> Callable[[Callable], Callable]:
    """View decorator for site-root URLs: on a village host 404 unless the plugin is on there;
    on the district portal (no village) the view runs."""

    def decorator(view: Callable) -> Callable:
        resolved = resolve_key(key, view.__module__, qualified_name(view))

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            on_portal = not getattr(request, "village_id", None)
            if not on_portal and not is_enabled(request, resolved):
                raise Http404("Plugin disabled for this village")
            return view(request, *args, **kwargs)

        wrapped.sidekem_plugin_key = resolved  # type: ignore[attr-defined]
        return wrapped

    return decorator


def portal_only(view: Callable) -> Callable:
    """View decorator: 404 on a village host; the view serves the district portal alone."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "village_id", None):
            raise Http404("District portal only")
        return view(request, *args, **kwargs)

    return wrapped


def _wrap_patterns(
    patterns: list, key: str, guard: Callable[[str], Callable[[Callable], Callable]] | None = None
) -> list:
    guard = guard or require_plugin
    wrapped: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            wrapped.append(
                URLResolver(
                    pattern.pattern,
                    _wrap_patterns(pattern.url_patterns, key, guard),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        elif isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern,
                    guard(key)(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            )
    return wrapped


def plugin_urlpatterns() -> list:
    """Every installed plugin's public URLs under ``/<key>/``, each guarded by its switch, and
    its site-root URLs (``root_urls``, namespace ``<label>_root``) guarded on village hosts."""
    patterns = []
    for cfg in installed_plugins():
        key = cfg.get_key()
        if cfg.urls:
            guarded = _wrap_patterns(import_module(cfg.urls).urlpatterns, key)
            patterns.append(path(f"{key}/", include((guarded, cfg.label), namespace=cfg.label)))
        if cfg.root_urls:
            guarded = _wrap_patterns(
                import_module(cfg.root_urls).urlpatterns, key, require_plugin_or_portal
            )
            root_ns = f"{cfg.label}_root"
            patterns.append(path("", include((guarded, root_ns), namespace=root_ns)))
    return patterns


# 5 — signal receivers and tasks ----------------------------------------------------------------


def plugin_receiver(
    signal: Signal,
    village_of: Callable[..., Any],
    *,
    key: str | None = None,
    **connect_kwargs: Any,
) -> Callable[[Callable], Callable]:
    """Connect a receiver that runs only when its plugin is on for the village concerned.

    ``village_of(sender=..., **kwargs)`` returns the village (or site, page, id) of the event.
    """

    def decorator(func: Callable) -> Callable:
        resolved = resolve_key(key, func.__module__, qualified_name(func))

        @functools.wraps(func)
        def receiver(sender: Any, **kwargs: Any) -> Any:
            village = village_of(sender=sender, **kwargs)
            if not is_enabled(village, resolved):
                logger.debug("skip %s: plugin %s off for %s", func.__qualname__, resolved, village)
                return None
            return func(sender, **kwargs)

        connect_kwargs.setdefault("dispatch_uid", f"{func.__module__}.{func.__qualname__}")
        signal.connect(receiver, weak=False, **connect_kwargs)
        receiver.sidekem_plugin_key = resolved  # type: ignore[attr-defined]
        return receiver

    return decorator


def plugin_task(
    func: Callable | None = None, *, key: str | None = None, **task_options: Any
) -> Any:
    """A Celery shared task whose ``village_id`` keyword, or else first argument (after
    ``self`` when ``bind=True``), is a village id; it does nothing and returns
    ``PLUGIN_DISABLED`` when its plugin is off for that village.

    The check runs every time the task runs (first run and each retry), not when it is queued:
    a village may be switched off in between. Use as ``@plugin_task`` or
    ``@plugin_task(bind=True, max_retries=5)``.
    """
    bind = bool(task_options.get("bind"))

    def decorator(fn: Callable) -> Any:
        resolved = resolve_key(key, fn.__module__, qualified_name(fn))

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            positional = args[1:] if bind else args
            if "village_id" in kwargs:
                village_id = kwargs["village_id"]
            else:
                village_id = positional[0] if positional else None
            if not is_enabled(village_id, resolved):
                logger.info(
                    "skip task %s: plugin %s off for village %s", fn.__name__, resolved, village_id
                )
                return PLUGIN_DISABLED
            return fn(*args, **kwargs)

        run.sidekem_plugin_key = resolved  # type: ignore[attr-defined]
        # Extra options become attributes of the task class: the task says its plugin too.
        return shared_task(sidekem_plugin_key=resolved, **task_options)(run)

    if func is not None:
        return decorator(func)
    return decorator
