"""Celery tasks of the social plugin: one per delivery and per post change, the outbox sweeper
and the daily credential check.

``deliver_delivery`` and ``apply_post_change`` are idempotent (each claims its row before
calling the network), so a redelivered or duplicated message does nothing: ``acks_late`` is
safe and a worker killed mid-run loses nothing. ``sweep_outbox`` runs every minute and
``check_social_credentials`` daily from Celery beat (``beat_schedule`` in ``apps.py``, which the
plugin host adds to the Celery app's schedule); both touch every village and check the
plugin's switch per row.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from core.pluginhost.enforcement import plugin_task

from . import health, outbox, retraction


@plugin_task(acks_late=True, time_limit=120, soft_time_limit=100, ignore_result=True)
def deliver_delivery(village_id: int, delivery_id: int) -> str:
    return outbox.deliver(delivery_id)


@plugin_task(acks_late=True, time_limit=120, soft_time_limit=100, ignore_result=True)
def apply_post_change(village_id: int, change_id: int) -> str:
    return retraction.apply_change(change_id)


@shared_task(time_limit=120, soft_time_limit=100, ignore_result=True)
def sweep_outbox(stuck_after_seconds: float | None = None) -> dict:
    """Beat calls it without arguments (rows stuck for ``outbox.STUCK_AFTER``); a test that has
    just killed a worker passes a shorter threshold."""
    stuck_after = None if stuck_after_seconds is None else dt.timedelta(seconds=stuck_after_seconds)
    counts = outbox.sweep(stuck_after=stuck_after)
    counts.update(retraction.sweep(stuck_after=stuck_after))
    return counts


@shared_task(time_limit=1800, soft_time_limit=1700, ignore_result=True)
def check_social_credentials() -> dict:
    return health.check_credentials()
