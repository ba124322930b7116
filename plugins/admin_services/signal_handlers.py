"""Receivers: the public service list and letter verification pages are cached per village
(core/website/cache.py): a change bumps the village's cache generation."""

from django.db.models.signals import post_delete, post_save

from core.pluginhost.enforcement import plugin_receiver
from core.website.cache import bump_village

from .models import Letter, RequestTransition, Service
from .tasks import notify_transition


def _village_of(sender, instance, **kwargs):
    return instance.village_id


@plugin_receiver(post_save, village_of=_village_of, sender=Service)
def service_saved(sender, instance, **kwargs):
    bump_village(instance.village_id)


@plugin_receiver(post_delete, village_of=_village_of, sender=Service)
def service_deleted(sender, instance, **kwargs):
    bump_village(instance.village_id)


@plugin_receiver(post_save, village_of=_village_of, sender=Letter)
def letter_saved(sender, instance, **kwargs):
    bump_village(instance.village_id)


@plugin_receiver(post_save, village_of=_village_of, sender=RequestTransition)
def transition_saved(sender, instance, created, **kwargs):
    """Every state change is told to the resident, by a task sent after the commit."""
    if created:
        notify_transition.delay_on_commit(instance.village_id, instance.pk)
