from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import plugins
from core.models import PluginSwitch, Village, VillageHomePage
from core.villages import invalidate_village_maps


@receiver([post_save, post_delete], sender=PluginSwitch)
def _switch_changed(sender, instance, **kwargs):
    plugins.invalidate(instance.village_id)


@receiver([post_save, post_delete], sender=Village)
@receiver([post_save, post_delete], sender=VillageHomePage)
def _village_changed(sender, instance, **kwargs):
    invalidate_village_maps()
