"""Creating requests and attaching documents (used by the public form and the walk-in form)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import RequestForm, nik_index
from .models import RequestDocument, ServiceRequest, short_code
from .workflow import record_submission


def attach_documents(service_request: ServiceRequest, clean_files: list) -> None:
    for original_name, cleaned in clean_files:
        RequestDocument.objects.create(
            village_id=service_request.village_id,
            request=service_request,
            file=cleaned.content,
            label=original_name[:150],
            content_type=cleaned.content_type,
            size=cleaned.size,
        )


def create_request(form: RequestForm, *, user: Any = None) -> ServiceRequest:
    """Store a valid form as a new request of the form's service, with its first audit row."""
    data = form.cleaned_data
    service = form.service
    values = {
        "village_id": service.village_id,
        "service": service,
        "name": data["name"],
        "nik": data.get("nik", ""),
        "nik_index": nik_index(data["nik"]) if data.get("nik") else "",
        "kk": data.get("kk", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "dusun": data.get("dusun", ""),
        "rt": data.get("rt", ""),
        "rw": data.get("rw", ""),
        "address": data.get("address", ""),
        "description": data.get("description", ""),
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "answers": form.answers(),
        "consent_at": timezone.now() if data.get("consent") else None,
        "channel": ServiceRequest._meta.get_field("channel").default if user is None else "loket",
        "created_by": user,
    }
    with transaction.atomic():
        obj = ServiceRequest(number=draw_number(service.village_id), **values)
        if data.get("pin"):
            obj.set_pin(data["pin"])
        obj.save()
        attach_documents(obj, form.clean_files)
        record_submission(obj, user=user)
        return obj


def draw_number(village_id: int) -> str:
    """A short request number not yet used in the village (8 characters of a 31-letter
    alphabet: a collision is rare; the unique constraint backs this check)."""
    for _attempt in range(10):
        number = short_code()
        if not ServiceRequest.objects.filter(village_id=village_id, number=number).exists():
            return number
    raise RuntimeError("could not draw a free request number")


def whatsapp_link(service_request: ServiceRequest, tracking_url: str) -> str:
    """A click-to-chat link (wa.me) with the request's status and tracking link."""
    phone = "".join(ch for ch in service_request.phone if ch.isdigit())
    if phone.startswith("0"):
        phone = "62" + phone[1:]
    text = _(
        "Yth. %(name)s, permohonan %(service)s nomor %(number)s berstatus: %(state)s. "
        "Lacak di %(url)s"
    ) % {
        "name": service_request.name,
        "service": service_request.service.name if service_request.service_id else "",
        "number": service_request.number,
        "state": service_request.get_state_display(),
        "url": tracking_url,
    }
    return f"https://wa.me/{phone}?text={quote(text)}"
