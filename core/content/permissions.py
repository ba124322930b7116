"""Model permissions the village groups need for content data (contact messages, village data).

Provisioning grants page, collection and site-setting permissions; the admin viewsets of
village data also need Django model permissions. They are granted whenever a village's groups
are saved (``core.content.signal_handlers``), and to existing villages by a data migration.
Scoping to the village itself is :mod:`core.scoping`'s job.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission

GROUP_PERMISSIONS = {
    "editors_group": [
        ("content", "view_contactmessage"),
        ("content", "change_contactmessage"),
        ("villagedata", "add_populationfigure"),
        ("villagedata", "change_populationfigure"),
        ("villagedata", "delete_populationfigure"),
        ("villagedata", "view_populationfigure"),
        ("villagedata", "add_potentialfigure"),
        ("villagedata", "change_potentialfigure"),
        ("villagedata", "delete_potentialfigure"),
        ("villagedata", "view_potentialfigure"),
    ],
    "officers_group": [("content", "view_contactmessage"), ("content", "change_contactmessage")],
}
GROUP_PERMISSIONS["moderators_group"] = GROUP_PERMISSIONS["editors_group"]


def grant_village_permissions(village) -> None:
    wanted = {perm for perms in GROUP_PERMISSIONS.values() for perm in perms}
    by_key = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(
            content_type__app_label__in={a for a, _ in wanted},
            codename__in={c for _, c in wanted},
        ).select_related("content_type")
    }
    for attr, perms in GROUP_PERMISSIONS.items():
        group = getattr(village, attr, None)
        if group is None:
            continue
        found = [by_key[key] for key in perms if key in by_key]
        if found:
            group.permissions.add(*found)
