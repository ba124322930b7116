from celery import shared_task

from core.pluginhost.enforcement import plugin_task
from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import villages_with_plugin

from .models import SamplePing


@plugin_task
def record_ping(village_id: int, source: str = "task") -> int:
    return SamplePing.objects.create(village_id=village_id, source=source).pk


@plugin_task(bind=True, max_retries=3)
def flaky_ping(self, village_id: int, failures: int = 0) -> int:
    """Fails ``failures`` times, retrying each time, then records on which try it succeeded."""
    if self.request.retries < failures:
        raise self.retry(countdown=0)
    return SamplePing.objects.create(
        village_id=village_id, source=f"retry-{self.request.retries}"
    ).pk


@plugin_task
def ping_about_note(note_id: int, *, village_id: int) -> int:
    """The village as a keyword: the switch is checked for ``village_id``, not ``note_id``."""
    return SamplePing.objects.create(village_id=village_id, source=f"note-{note_id}").pk


@shared_task
def ping_every_village() -> int:
    """A periodic task (``beat_schedule`` in apps.py): one ping per village with the plugin on."""
    ids = villages_with_plugin(plugin_key_for_module(__name__))
    for village_id in sorted(ids):
        record_ping.delay(village_id, source="beat")
    return len(ids)
