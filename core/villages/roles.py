"""The three village roles and the model permissions every app asks for them.

Each village has an Editor, a Moderator and a Petugas Layanan group (created by provisioning).
Any app, core or plugin, declares what those roles may do in one place, its AppConfig:

* ``village_role_permissions``: model permissions (``app_label.codename`` per role), for models
  whose rows the admin scopes to the user's villages (core/confinement);
* ``village_role_site_permissions``: permissions granted on the village's own Site only
  (GroupSitePermission), for per-site settings: a global permission on a site setting would
  let a village edit every village's settings.

Plugins inherit defaults from ``core.pluginhost.registry.PluginConfig``. Both are granted at
provisioning and again after every ``migrate``, so an app installed later reaches existing
villages, and a permission removed by hand comes back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.models import GroupSitePermission

from core.villages.models import Village

#: Village attribute of each role's group → the group's name suffix.
ROLE_LABELS = {
    "editors_group": "Editor",
    "moderators_group": "Moderator",
    "officers_group": "Petugas Layanan",
}


def declared_role_permissions(kind: str = "village_role_permissions") -> dict[str, set[str]]:
    """Permissions per role, as ``app_label.codename``, that every installed app declares under
    ``kind`` (``village_role_permissions`` or ``village_role_site_permissions``)."""
    wanted: dict[str, set[str]] = {attr: set() for attr in ROLE_LABELS}
    for cfg in apps.get_app_configs():
        getter = getattr(cfg, f"get_{kind}", None)
        declared = getter() if callable(getter) else getattr(cfg, kind, None)
        for attr, perms in (declared or {}).items():
            wanted[attr].update(perms)
    return wanted


def _permission_key(name: str) -> tuple[str, str]:
    """``"app_label.codename"`` as a :func:`permissions_by_key` key."""
    app_label, codename = name.split(".", 1)
    return app_label, codename


def permissions_by_key(
    keys: list[tuple[str, str]], strict: bool = True
) -> dict[tuple[str, str], Permission]:
    """Permissions by (app_label, codename), in one query; ``strict`` insists on all."""
    query = Q(pk__in=[])
    for app_label, codename in set(keys):
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(query).select_related("content_type")
    }
    missing = set(keys) - set(found)
    if missing and strict:
        raise LookupError(f"permissions missing (run migrate?): {sorted(missing)}")
    return found


def grant_role_permissions(village: Village, changes: list[str] | None = None) -> None:
    """Give the village's role groups every declared permission they lack."""
    _grant_model_permissions(village, changes)
    _grant_site_permissions(village, changes)


def _grant_site_permissions(village: Village, changes: list[str] | None) -> None:
    wanted = declared_role_permissions("village_role_site_permissions")
    keys = [_permission_key(p) for perms in wanted.values() for p in perms]
    perms = permissions_by_key(keys, strict=False)
    groups = {attr: getattr(village, attr) for attr in ROLE_LABELS}
    existing = set(
        GroupSitePermission.objects.filter(site_id=village.site_id).values_list(
            "group_id", "permission_id"
        )
    )
    missing = []
    for attr, names in wanted.items():
        group = groups[attr]
        for name in sorted(names):
            perm = perms.get(_permission_key(name))
            if group is None or perm is None or (group.pk, perm.pk) in existing:
                continue
            missing.append(
                GroupSitePermission(group=group, site_id=village.site_id, permission=perm)
            )
            if changes is not None:
                changes.append(f"{ROLE_LABELS[attr]}: {name} on site")
    GroupSitePermission.objects.bulk_create(missing)


def _grant_model_permissions(village: Village, changes: list[str] | None) -> None:
    for attr, perms in declared_role_permissions().items():
        group = getattr(village, attr)
        if group is None or not perms:
            continue
        have = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        missing = perms - have
        if not missing:
            continue
        keys = [_permission_key(p) for p in sorted(missing)]
        objs = list(permissions_by_key(keys, strict=False).values())
        group.permissions.add(*objs)
        if changes is not None:
            changes.append(f"{ROLE_LABELS[attr]}: {len(objs)} model permissions")


def sync_role_permissions(sender: Any, **kwargs: Any) -> None:
    """post_migrate: grant the declared permissions to every village's groups.

    Django sends post_migrate once per app *that has models*, in INSTALLED_APPS order, and
    creates each app's permissions in its own turn; so this waits for the last such app.
    """
    last = [cfg for cfg in apps.get_app_configs() if cfg.models_module is not None][-1]
    if sender.label != last.label:
        return
    for village in Village.objects.select_related(
        "editors_group", "moderators_group", "officers_group"
    ):
        grant_role_permissions(village)
