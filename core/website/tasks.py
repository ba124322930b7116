"""Mail is work outside the request: contact messages are forwarded by a Celery task."""

from __future__ import annotations

from celery import shared_task

from core.website.models.contact import ContactMessage

MAX_RETRIES = 5


@shared_task(
    bind=True, ignore_result=True, time_limit=60, soft_time_limit=50, max_retries=MAX_RETRIES
)
def send_contact_message(self, message_id: int, recipient: str) -> bool:
    """Forward a stored message to the village; idempotent (a sent message is not resent).

    A failed send is retried with backoff capped at 15 minutes, well inside the Redis
    broker's visibility timeout. After the last try the message stays stored
    without ``emailed_at``, so the village still sees it in the admin.
    """
    message = (
        ContactMessage.objects.filter(pk=message_id, emailed_at__isnull=True)
        .select_related("village")
        .first()
    )
    if message is None:
        return False
    if message.send_email(recipient):
        return True
    if self.request.retries >= MAX_RETRIES:
        return False
    raise self.retry(countdown=min(60 * 2**self.request.retries, 900))
