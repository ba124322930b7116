from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Site

from core.villages.lookup import invalidate_village_maps
from core.villages.models import Village
from core.villages.roles import sync_role_permissions


@receiver([post_save, post_delete], sender=Village)
@receiver([post_save, post_delete], sender=Site)
def _village_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate_village_maps()


post_migrate.connect(sync_role_permissions, dispatch_uid="sidekem_sync_role_permissions")
