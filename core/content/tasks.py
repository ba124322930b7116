"""Mail is work outside the request: contact messages are forwarded by a Celery task."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def send_contact_message(message_id: int, recipient: str) -> bool:
    """Forward a stored message to the village; idempotent (a sent message is not resent)."""
    from core.content.models import ContactMessage

    message = (
        ContactMessage.objects.filter(pk=message_id, emailed_at__isnull=True)
        .select_related("village")
        .first()
    )
    if message is None:
        return False
    return message.send_email(recipient)
