"""Notifications on every state change: a pluggable channel interface, with e-mail built in.

A channel gets the request, the transition and the tracking URL, and sends a short message with
the status (never the NIK or KK: only the request number, the service, the status, the public
note and the tracking link). Channels are tried in order; one failing raises, so the Celery task
(plugins/admin_services/tasks.py) retries it. The task marks the transition as notified, so a
retried or redelivered task never sends twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .models import RequestTransition, ServiceRequest


class Channel:
    """One way of reaching a resident (e-mail, a Telegram bot, WhatsApp Cloud API, …)."""

    name = ""

    def can_reach(self, service_request: ServiceRequest) -> bool:
        raise NotImplementedError

    def send(self, service_request: ServiceRequest, text: str, subject: str) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def can_reach(self, service_request: ServiceRequest) -> bool:
        return bool(service_request.email)

    def send(self, service_request: ServiceRequest, text: str, subject: str) -> None:
        send_mail(
            subject,
            text,
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [service_request.email],
            fail_silently=False,
        )


def message_for(
    service_request: ServiceRequest, row: RequestTransition, tracking_url: str
) -> tuple[str, str]:
    subject = _("Permohonan %(number)s: %(state)s") % {
        "number": service_request.number,
        "state": row.get_to_state_display(),
    }
    lines = [
        _("Yth. %(name)s,") % {"name": service_request.name},
        "",
        _("Permohonan %(service)s nomor %(number)s sekarang berstatus: %(state)s.")
        % {
            "service": service_request.service.name if service_request.service_id else "",
            "number": service_request.number,
            "state": row.get_to_state_display(),
        },
    ]
    if row.public and row.note:
        lines.append(_("Catatan petugas: %(note)s") % {"note": row.note})
    if tracking_url:
        lines += ["", _("Lacak permohonan (dengan PIN Anda): %(url)s") % {"url": tracking_url}]
    lines += ["", _("Pemerintah Desa %(village)s") % {"village": service_request.village.name}]
    return subject, "\n".join(lines)
