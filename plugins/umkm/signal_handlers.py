"""Public catalogue pages are cached per village: any change to a business or product bumps
the village's cache generation and the district portal's (its directory of leading products,
plugins/umkm/directory.py), only where the plugin is on."""

from django.db.models.signals import post_delete, post_save

from core.pluginhost.enforcement import plugin_receiver
from core.website.cache import bump_village

from .models import Business, Product


def _village_of(sender, instance, **kwargs):
    return instance.village_id


def catalogue_changed(sender, instance, **kwargs):
    bump_village(instance.village_id)  # the portal too


for _name, _signal in (("saved", post_save), ("deleted", post_delete)):
    for _model in (Business, Product):
        plugin_receiver(
            _signal,
            village_of=_village_of,
            sender=_model,
            dispatch_uid=f"umkm.catalogue_changed.{_model.__name__}.{_name}",
        )(catalogue_changed)
