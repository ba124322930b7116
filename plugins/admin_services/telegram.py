"""The Telegram bot channel: a village's own bot (ServiceSettings) messages residents who opened
it with the link on their tracking page (``t.me/<bot>?start=<token>``).

A bot may only write to someone who wrote to it first: Telegram delivers the resident's
``/start <token>`` to the webhook ``/admin_services/telegram/`` (set with ``setWebhook`` and the
``secret_token`` of :func:`webhook_secret`), which stores the chat id (encrypted) on the request
with that token in this village. Sending uses the Bot API ``sendMessage``; any failure (timeout,
429, 5xx, 401) raises :class:`TelegramError`, and the notification task retries.
"""

from __future__ import annotations

import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.villages.crypto import blind_index

from .models import ServiceRequest, ServiceSettings
from .notifications import Channel

API_BASE = "https://api.telegram.org"
TIMEOUT = 10


class TelegramError(Exception):
    pass


def api_base() -> str:
    return getattr(settings, "SIDEKEM_TELEGRAM_API_BASE", API_BASE).rstrip("/")


def webhook_secret(bot_token: str) -> str:
    """The ``secret_token`` given to setWebhook: Telegram sends it back in a header."""
    return blind_index(bot_token, "admin_services.telegram-webhook")[:48]


def start_link(conf: ServiceSettings | None, service_request: ServiceRequest) -> str:
    if conf is None or not conf.telegram_bot_username or not conf.telegram_bot_token:
        return ""
    return f"https://t.me/{conf.telegram_bot_username}?start={service_request.telegram_token}"


def send_message(bot_token: str, chat_id: str, text: str) -> None:
    body = json.dumps({"chat_id": chat_id, "text": text}).encode()
    http_request = urllib.request.Request(
        f"{api_base()}/bot{bot_token}/sendMessage",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http_request, timeout=TIMEOUT) as response:  # noqa: S310
            payload = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise TelegramError(f"Telegram HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise TelegramError(f"Telegram unreachable: {type(exc).__name__}") from None
    if not payload.get("ok"):
        raise TelegramError("Telegram refused the message")


class TelegramChannel(Channel):
    name = "telegram"

    def can_reach(self, service_request: ServiceRequest) -> bool:
        if not service_request.telegram_chat_id:
            return False
        conf = ServiceSettings.for_site(service_request.village.site)
        return bool(conf.telegram_bot_token)

    def send(self, service_request: ServiceRequest, text: str, subject: str) -> None:
        conf = ServiceSettings.for_site(service_request.village.site)
        send_message(conf.telegram_bot_token, service_request.telegram_chat_id, text)


@csrf_exempt
@require_POST
def webhook(request):
    """Telegram's update: ``/start <token>`` links the chat to the request with that token."""
    conf = ServiceSettings.for_site(request.village.site)
    if not conf.telegram_bot_token:
        return HttpResponseForbidden()
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(given, webhook_secret(conf.telegram_bot_token)):
        return HttpResponseForbidden()
    try:
        update = json.loads(request.body or b"{}")
        message = update.get("message") or {}
        text = str(message.get("text", ""))
        chat_id = str((message.get("chat") or {}).get("id", ""))
    except (ValueError, AttributeError):
        return HttpResponse(status=200)  # never make Telegram retry a malformed update
    parts = text.split()
    if len(parts) == 2 and parts[0] == "/start" and chat_id:
        found = ServiceRequest.objects.filter(
            village_id=request.village_id, telegram_token=parts[1][:40]
        ).first()
        if found is not None:
            found.telegram_chat_id = chat_id
            found.save(update_fields=["telegram_chat_id"])
    return HttpResponse(status=200)
