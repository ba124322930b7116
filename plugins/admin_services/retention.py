"""Erasing personal data of closed requests after the retention period.

A request completed, rejected or cancelled more than ``SIDEKEM_SERVICES_RETENTION_DAYS``
(default 730) days ago loses its personal fields (NIK, KK, phone, e-mail, address, answers,
description, location), its uploads and its letter's PDF (which holds the NIK); the register
keeps the letter's number, date, subject, addressee, signer and SHA-256, and the audit rows
keep who moved the request when (their notes are emptied). Run by ``manage.py
erase_service_data`` and the daily task ``erase_expired_requests``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import CLOSED_STATES, Letter, RequestDocument, ServiceRequest

DEFAULT_RETENTION_DAYS = 730
ERASED_NAME = "(dihapus)"


def retention_days() -> int:
    return int(getattr(settings, "SIDEKEM_SERVICES_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def expired(now: datetime.datetime | None = None, village_id: int | None = None):
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    queryset = ServiceRequest.objects.filter(
        state__in=CLOSED_STATES, updated_at__lt=cutoff, erased_at__isnull=True
    )
    return queryset if village_id is None else queryset.filter(village_id=village_id)


def erase(service_request: ServiceRequest) -> None:
    with transaction.atomic():
        files = [doc.file for doc in RequestDocument.objects.filter(request=service_request)]
        RequestDocument.objects.filter(request=service_request).delete()
        letter = Letter.objects.filter(request=service_request).first()
        if letter is not None and letter.file:
            files.append(letter.file)
            Letter.objects.filter(pk=letter.pk).update(file="")
        service_request.transitions.update(note="")
        ServiceRequest.objects.filter(pk=service_request.pk).update(
            name=ERASED_NAME,
            nik="",
            nik_index="",
            kk="",
            phone="",
            email="",
            dusun="",
            rt="",
            rw="",
            address="",
            description="",
            answers={},
            latitude=None,
            longitude=None,
            rejection_reason="",
            erased_at=timezone.now(),
        )
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f.name])


def erase_expired(village_id: int | None = None) -> int:
    count = 0
    for service_request in expired(village_id=village_id).iterator():
        erase(service_request)
        count += 1
    return count
