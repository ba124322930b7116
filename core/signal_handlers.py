from django.db.models.signals import post_delete, post_migrate, post_save
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


def sync_plugin_permissions(sender, **kwargs):
    """After migrate: village groups get the permissions of newly installed plugins."""
    from django.apps import apps

    from core.provisioning import grant_plugin_permissions

    # post_migrate is sent once per app; permissions of every app exist only after the last.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    for village in Village.objects.select_related(
        "editors_group", "moderators_group", "officers_group"
    ):
        grant_plugin_permissions(village)


post_migrate.connect(sync_plugin_permissions, dispatch_uid="sidekem_sync_plugin_permissions")
