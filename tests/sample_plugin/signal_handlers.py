from django.db.models.signals import post_save

from core.pluginhost.enforcement import plugin_receiver

from .models import SampleNote, SamplePing


@plugin_receiver(
    post_save, village_of=lambda sender, instance, **kw: instance.village_id, sender=SampleNote
)
def note_saved(sender, instance, created, **kwargs):
    if created:
        SamplePing.objects.create(village_id=instance.village_id, source="signal")
