"""Celery tasks of the social plugin: one per delivery, and the outbox sweeper.

``deliver_delivery`` is idempotent (it claims its row before posting), so a redelivered or
duplicated message does nothing: ``acks_late`` is safe and a worker killed mid-run loses
nothing. ``sweep_outbox`` runs every minute from Celery beat (``BEAT_SCHEDULE``, added to the
Celery app's schedule in ``apps.py``) and touches every village, checking the plugin's switch
per row itself.
"""

from __future__ import annotations

from celery import shared_task

from core.pluginhost.enforcement import plugin_task

from . import outbox

BEAT_SCHEDULE = {
    "social-sweep-outbox": {"task": "plugins.social.tasks.sweep_outbox", "schedule": 60.0},
}


@plugin_task(acks_late=True, time_limit=120, soft_time_limit=100, ignore_result=True)
def deliver_delivery(village_id: int, delivery_id: int) -> str:
    return outbox.deliver(delivery_id)


@shared_task(time_limit=120, soft_time_limit=100, ignore_result=True)
def sweep_outbox() -> dict:
    return outbox.sweep()
