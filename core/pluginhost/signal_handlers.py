from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.pluginhost.models import PluginSwitch
from core.pluginhost.switches import invalidate


@receiver([post_save, post_delete], sender=PluginSwitch)
def _switch_changed(sender: Any, instance: PluginSwitch, **kwargs: Any) -> None:
    invalidate(instance.village_id)
