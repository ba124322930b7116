"""The WhatsApp channel: the village's WhatsApp Business number sends a template message through
the WhatsApp Cloud API (Graph API ``POST /<version>/<phone-number-id>/messages``).

A business may write free text only within 24 hours of the resident's last message; the
village never receives messages here, so every notice is a *template* message, which WhatsApp
delivers outside that window. The village's moderators register the template in WhatsApp
Manager (category Utility, language Indonesian) with four body parameters, e.g.::

    Permohonan {{1}} ({{2}}) sekarang berstatus: {{3}}. Lacak dengan PIN Anda: {{4}}

and enter the phone number ID, a permanent access token (stored encrypted) and the template's
name in the plugin settings. The parameters are the request number, the service, the status and
the tracking link: never the NIK or KK, nor the resident's name.

Any failure (timeout, 401, 429, 5xx, an answer without a message id) raises
:class:`WhatsAppError`; the notification task (plugins/admin_services/tasks.py) retries it.
``SIDEKEM_WHATSAPP_API_BASE`` points tests at a local fake Graph API.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from django.conf import settings

from .links import tracking_url
from .models import RequestState, ServiceRequest, ServiceSettings
from .notifications import Channel

API_BASE = "https://graph.facebook.com"
API_VERSION = "v21.0"
TIMEOUT = 10
# Parameters are one line each, at most 1024 characters (WhatsApp's limit per parameter).
MAX_PARAMETER = 1024


class WhatsAppError(Exception):
    pass


def api_base() -> str:
    return getattr(settings, "SIDEKEM_WHATSAPP_API_BASE", API_BASE).rstrip("/")


def api_version() -> str:
    return getattr(settings, "SIDEKEM_WHATSAPP_API_VERSION", API_VERSION)


def wa_number(phone: str) -> str:
    """An Indonesian phone number as WhatsApp wants it: country code, digits only
    (``0812…`` and ``+62812…`` become ``62812…``); "" when it cannot be one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if 10 <= len(digits) <= 15 else ""


def one_line(value: str) -> str:
    # Template parameters may not hold newlines, tabs or more than four spaces in a row.
    return re.sub(r"\s+", " ", value or "").strip()[:MAX_PARAMETER] or "-"


def template_payload(conf: ServiceSettings, to: str, parameters: list[str]) -> dict:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": conf.whatsapp_template,
            "language": {"code": conf.whatsapp_template_language or "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": one_line(p)} for p in parameters],
                }
            ],
        },
    }


def send_template(conf: ServiceSettings, to: str, parameters: list[str]) -> str:
    """Send one template message; the message id WhatsApp gave it."""
    body = json.dumps(template_payload(conf, to, parameters)).encode()
    http_request = urllib.request.Request(
        f"{api_base()}/{api_version()}/{conf.whatsapp_phone_number_id}/messages",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {conf.whatsapp_access_token}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(http_request, timeout=TIMEOUT) as response:  # noqa: S310
            payload = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise WhatsAppError(f"WhatsApp HTTP {exc.code}{error_code(exc)}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise WhatsAppError(f"WhatsApp unreachable: {type(exc).__name__}") from None
    messages = payload.get("messages") if isinstance(payload, dict) else None
    if not messages or not isinstance(messages, list) or not messages[0].get("id"):
        raise WhatsAppError("WhatsApp answered without a message id")
    return str(messages[0]["id"])


def error_code(exc: urllib.error.HTTPError) -> str:
    """The Graph API's error code (e.g. 190 bad token, 130429 rate limit), for the log; never
    its message, which may echo the recipient."""
    try:
        detail = json.loads(exc.read() or b"{}").get("error") or {}
    except (ValueError, AttributeError, OSError):
        return ""
    code = detail.get("code")
    return f" (code {code})" if isinstance(code, int) else ""


class WhatsAppChannel(Channel):
    name = "whatsapp"

    def settings_for(self, service_request: ServiceRequest) -> ServiceSettings:
        return ServiceSettings.for_site(service_request.village.site)

    def can_reach(self, service_request: ServiceRequest) -> bool:
        if not wa_number(service_request.phone):
            return False
        conf = self.settings_for(service_request)
        return bool(
            conf.whatsapp_phone_number_id and conf.whatsapp_access_token and conf.whatsapp_template
        )

    def send(self, service_request: ServiceRequest, text: str, subject: str) -> None:
        conf = self.settings_for(service_request)
        parameters = [
            service_request.number,
            service_request.service.name if service_request.service_id else "",
            RequestState(service_request.state).label,
            tracking_url(service_request),
        ]
        send_template(conf, wa_number(service_request.phone), [str(p) for p in parameters])
