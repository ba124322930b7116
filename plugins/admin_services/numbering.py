"""Letter numbers: per village and year, in the village's format, never twice.

The sequence lives in a :class:`LetterCounter` row per (village, year, scope); the scope is
empty (one sequence for every letter) or, when the village numbers per classification code
(``ServiceSettings.per_service_sequence`` and ``{kode}`` in the format), the code. A number is taken
by locking that row (``SELECT … FOR UPDATE``), adding one, and creating the :class:`Letter` in
the same transaction: a second issuer waits on the lock and gets the next number; a rolled-back
issue gives its number back. The unique constraints on ``Letter`` (number; village, year, scope,
sequence) make a duplicate impossible even if some code bypassed the counter.

Format parts (``ServiceSettings.number_format``): ``{kode}`` classification code (free-form
dotted string, Permendagri 83/2022), ``{nomor}`` zero-padded sequence, ``{desa}`` the village's
letter code, ``{bulan}`` month in Roman numerals, ``{tahun}`` year.
"""

from __future__ import annotations

import datetime
import string
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Letter, LetterCounter, ServiceSettings

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_FORMAT = "{kode}/{nomor}/{desa}/{bulan}/{tahun}"
PARTS = {"kode", "nomor", "desa", "bulan", "tahun"}


def roman_month(month: int) -> str:
    return ROMAN_MONTHS[month - 1]


def settings_for(village: Any) -> ServiceSettings | None:
    return ServiceSettings.for_site(village.site)


def village_letter_code(village: Any, conf: ServiceSettings | None = None) -> str:
    conf = conf if conf is not None else settings_for(village)
    if conf is not None and conf.letter_village_code:
        return conf.letter_village_code
    return village.code.rsplit(".", 1)[-1]


def format_number(
    pattern: str, *, code: str, sequence: int, digits: int, village_code: str, date: datetime.date
) -> str:
    """The number for ``sequence`` in ``pattern``; unknown parts are refused (ValueError)."""
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = names - PARTS
    if unknown or "nomor" not in names:
        raise ValueError(f"bad letter number format: {pattern!r}")
    text = pattern.format(
        kode=code,
        nomor=str(sequence).zfill(digits),
        desa=village_code,
        bulan=roman_month(date.month),
        tahun=date.year,
    )
    # An empty classification code must not leave a leading or doubled separator.
    return text.replace("//", "/").strip("/")


def next_letter(
    village: Any,
    *,
    subject: str,
    classification_code: str = "",
    addressee: str = "",
    request: Any = None,
    reserved: bool = False,
    issued_on: datetime.date | None = None,
    signer_name: str = "",
    signer_title: str = "",
) -> Letter:
    """Create the village's next letter of the year with its number (atomic, never repeated)."""
    issued_on = issued_on or timezone.localdate()
    conf = settings_for(village)
    pattern = (conf.number_format if conf else "") or DEFAULT_FORMAT
    digits = conf.number_digits if conf else 3
    # A separate sequence per classification code only when the code is part of the number:
    # otherwise two codes would produce the same number.
    per_code = conf is not None and conf.per_service_sequence and "{kode}" in pattern
    scope = classification_code if per_code else ""
    with transaction.atomic():
        LetterCounter.objects.get_or_create(village=village, year=issued_on.year, scope=scope)
        counter = LetterCounter.objects.select_for_update().get(
            village=village, year=issued_on.year, scope=scope
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        number = format_number(
            pattern,
            code=classification_code,
            sequence=counter.last_number,
            digits=digits,
            village_code=village_letter_code(village, conf),
            date=issued_on,
        )
        return Letter.objects.create(
            village=village,
            request=request,
            number=number,
            year=issued_on.year,
            sequence=counter.last_number,
            scope=scope,
            subject=subject,
            addressee=addressee,
            issued_on=issued_on,
            reserved=reserved,
            signer_name=signer_name,
            signer_title=signer_title,
        )


def reserve_numbers(
    village: Any, count: int, *, subject: str, classification_code: str = ""
) -> list[Letter]:
    """Take ``count`` numbers for letters made outside the system (manual letters, surat dinas),
    in one transaction: all of them or none."""
    if not 1 <= count <= 100:
        raise ValueError("reserve between 1 and 100 numbers")
    with transaction.atomic():
        return [
            next_letter(
                village,
                subject=subject,
                classification_code=classification_code,
                reserved=True,
            )
            for _ in range(count)
        ]
