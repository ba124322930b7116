"""Celery tasks of the plugin (queued after commit; never blocking a request)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.pluginhost.enforcement import plugin_task
from core.pluginhost.switches import villages_with_plugin

from .links import tracking_url
from .models import RequestTransition
from .notifications import Channel, EmailChannel, message_for
from .retention import erase_expired
from .telegram import TelegramChannel
from .whatsapp import WhatsAppChannel

#: Tried in order for every state change (plugins/admin_services/notifications.py).
CHANNELS: list[Channel] = [EmailChannel(), TelegramChannel(), WhatsAppChannel()]


@plugin_task(bind=True, max_retries=5)
def notify_transition(self, village_id: int, transition_id: int, done: list | None = None) -> str:
    """Tell the resident about one state change, once (claimed by a status update). A retry
    carries the channels that already sent (``done``): they do not send again."""
    claimed = RequestTransition.objects.filter(
        pk=transition_id, village_id=village_id, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return "already-sent"
    row = RequestTransition.objects.select_related("request__service", "request__village").get(
        pk=transition_id
    )
    service_request = row.request
    subject, text = message_for(service_request, row, tracking_url(service_request))
    done = list(done or [])
    sent = []
    try:
        for channel in CHANNELS:
            if channel.name not in done and channel.can_reach(service_request):
                channel.send(service_request, text, subject)
                sent.append(channel.name)
                done.append(channel.name)
    except Exception as exc:
        with transaction.atomic():
            RequestTransition.objects.filter(pk=transition_id).update(notified_at=None)
        raise self.retry(
            exc=exc,
            countdown=min(900, 30 * 2**self.request.retries),
            args=(village_id, transition_id),
            kwargs={"done": done},
        ) from exc
    return ",".join(sent) or "no-channel"


@plugin_task
def erase_expired_requests(village_id: int) -> int:
    """The daily erasure for one village (skipped while the plugin is off there)."""
    return erase_expired(village_id=village_id)


@shared_task(ignore_result=True)
def erase_expired_everywhere() -> list[int]:
    """One erasure task per village where the plugin is on; returns their ids."""
    village_ids = sorted(villages_with_plugin("admin_services"))
    for village_id in village_ids:
        erase_expired_requests.delay(village_id=village_id)
    return village_ids
