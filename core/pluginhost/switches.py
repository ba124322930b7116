"""Whether a plugin is on for a village: cheap to ask (request memo, then shared cache), changed
only through :func:`set_plugin_enabled`, which keeps the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.pluginhost.registry import get_plugin, plugin_defaults
from core.villages import request_memo
from core.villages.lookup import village_exists, village_id_of
from core.villages.models import Village

CACHE_KEY = "sidekem:plugins:village:{}:v1"


def _switches_for_village(village_id: int) -> dict[str, bool]:
    memo = request_memo.namespace("plugins")
    if memo is not None and village_id in memo:
        return memo[village_id]
    key = CACHE_KEY.format(village_id)
    switches = cache.get(key)
    if switches is None:
        switches = dict(
            PluginSwitch.objects.filter(village_id=village_id).values_list("plugin_key", "enabled")
        )
        cache.set(key, switches, None)
    if memo is not None:
        memo[village_id] = switches
    return switches


def is_enabled(village_or_site: Any, key: str | None) -> bool:
    """Whether plugin ``key`` is on for a village (given as Village, Site, Page, request, object
    with ``village_id``, or id). The district portal belongs to no village: no plugins there."""
    village_id = village_id_of(village_or_site)
    if not village_id or not key or not village_exists(village_id):
        return False  # no village (the portal), or an id of no village (a stale task)
    switches = _switches_for_village(village_id)
    if key in switches:
        return switches[key]
    # A plugin installed after the village was provisioned: its default applies.
    return plugin_defaults().get(key, False)


def enabled_village_ids(village_ids: Iterable[int], key: str | None) -> frozenset[int]:
    return frozenset(vid for vid in village_ids if is_enabled(vid, key))


def villages_with_plugin(key: str | None) -> frozenset[int]:
    """Every village where plugin ``key`` is on (one query)."""
    if not key:
        return frozenset()
    switches = dict(
        PluginSwitch.objects.filter(plugin_key=key).values_list("village_id", "enabled")
    )
    default = plugin_defaults().get(key, False)
    return frozenset(
        vid for vid in Village.objects.values_list("pk", flat=True) if switches.get(vid, default)
    )


def invalidate(village_id: int) -> None:
    cache.delete(CACHE_KEY.format(village_id))
    memo = request_memo.namespace("plugins")
    if memo is not None:
        memo.pop(village_id, None)


def ensure_switches(village: Village, user: Any = None, changes: list[str] | None = None) -> None:
    """Provisioning step: a switch for every installed plugin, from its default."""
    existing = set(
        PluginSwitch.objects.filter(village=village).values_list("plugin_key", flat=True)
    )
    for key, default in plugin_defaults().items():
        if key in existing:
            continue
        PluginSwitch.objects.create(
            village=village, plugin_key=key, enabled=default, changed_by=user
        )
        PluginSwitchChange.objects.create(
            village=village,
            plugin_key=key,
            enabled=default,
            changed_by=user,
            source=PluginSwitchChange.Source.PROVISIONING,
        )
        if changes is not None:
            changes.append(f"switch {key}={default}")


def set_plugin_enabled(
    villages: Iterable[Village], key: str, enabled: bool, user: Any, source: str
) -> int:
    """Switch a plugin for villages; logs and invalidates only real changes. Returns the count."""
    get_plugin(key)  # unknown keys are an error, not a silent no-op
    changed = 0
    with transaction.atomic():
        for village in villages:
            switch, created = PluginSwitch.objects.select_for_update().get_or_create(
                village=village, plugin_key=key, defaults={"enabled": enabled, "changed_by": user}
            )
            if not created and switch.enabled == enabled:
                continue
            if not created:
                switch.enabled = enabled
                switch.changed_by = user
                switch.save()
            PluginSwitchChange.objects.create(
                village=village, plugin_key=key, enabled=enabled, changed_by=user, source=source
            )
            changed += 1
    return changed
