"""Reading Rupiah amounts from import files, and writing them the Indonesian way.

Spreadsheet cells arrive as numbers (taken as they are, rounded to cents) or as text. Text uses
"." only to group thousands and "," only for decimals ("1.250.000", "Rp 1.250.000,00",
"Rp 1.250.000,-"). Anything that could be read two ways ("1,250", "1.25", "1,250,000",
"1 250 000") is refused with a message saying why: an amount is never guessed.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")

# digits grouped by "." in threes (or not grouped at all), then optionally "," and 1–2 decimals
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_DECIMALS = re.compile(r"^\d{1,2}$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)


class AmountError(ValueError):
    """An amount that cannot be read without guessing; ``str()`` is the Indonesian reason."""


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value: Any) -> Decimal | None:
    """The amount in ``value`` as a Decimal with two places, ``None`` for an empty cell.

    Raises :class:`AmountError` for text that is not an amount or could be read two ways.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(_("nilai %(value)s bukan jumlah uang") % {"value": value})
    if isinstance(value, int):
        return _quantize(Decimal(value))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise AmountError(_("nilai %(value)s bukan jumlah uang") % {"value": value})
        return _quantize(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(_("nilai %(value)s bukan jumlah uang") % {"value": value})
        return _quantize(value)
    return _parse_text(str(value))


def _parse_text(raw: str) -> Decimal | None:
    text = raw.replace("\u00a0", " ").strip()
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.startswith("-"):
        negative, text = not negative, text[1:].strip()
    text = _CURRENCY.sub("", text).strip()
    if text.startswith("-"):  # "Rp -1.000"
        negative, text = not negative, text[1:].strip()
    if text.endswith(",-"):  # "Rp 1.250.000,-": no cents
        text = text[:-2]
    if not text:
        raise AmountError(_("'%(text)s' bukan jumlah uang") % {"text": raw})
    if " " in text and re.fullmatch(r"[\d.,]+", text.replace(" ", "")):
        raise AmountError(
            _("'%(text)s' meragukan: pakai titik untuk ribuan, bukan spasi") % {"text": raw}
        )
    if not re.fullmatch(r"[\d.,]+", text):
        raise AmountError(_("'%(text)s' bukan jumlah uang") % {"text": raw})
    whole, comma, decimals = text.partition(",")
    if comma and "," in decimals:
        raise AmountError(
            _("'%(text)s' meragukan: koma hanya untuk desimal, titik untuk ribuan") % {"text": raw}
        )
    if comma and "." in decimals:
        raise AmountError(
            _("'%(text)s' meragukan: titik sesudah koma (format angka Inggris?)") % {"text": raw}
        )
    if not (_PLAIN.match(whole) or _GROUPED.match(whole)):
        if "." in whole:
            raise AmountError(
                _(
                    "'%(text)s' meragukan: titik hanya untuk ribuan (tiga angka sesudah "
                    "setiap titik), desimal ditulis dengan koma"
                )
                % {"text": raw}
            )
        raise AmountError(_("'%(text)s' bukan jumlah uang") % {"text": raw})
    if comma:
        if len(decimals) == 3 and "." not in whole:
            raise AmountError(
                _(
                    "'%(text)s' meragukan: koma dengan tiga angka bisa berarti ribuan; "
                    "tulis %(grouped)s atau %(plain)s"
                )
                % {
                    "text": raw,
                    "grouped": f"{whole}.{decimals}",
                    "plain": f"{whole},{decimals[:2]}",
                }
            )
        if not _DECIMALS.match(decimals):
            raise AmountError(
                _("'%(text)s' meragukan: paling banyak dua angka desimal sesudah koma")
                % {"text": raw}
            )
    try:
        amount = Decimal(whole.replace(".", "") + ("." + decimals if comma else ""))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only digits
        raise AmountError(_("'%(text)s' bukan jumlah uang") % {"text": raw}) from exc
    return _quantize(-amount if negative else amount)


def format_rupiah(amount: Decimal | int | None, *, prefix: bool = True) -> str:
    """``Rp 1.250.000`` (cents shown only when there are any: ``Rp 1.250.000,50``)."""
    if amount is None:
        return "–"
    value = _quantize(Decimal(amount))
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    cents = int((value - whole) * 100)
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += f",{cents:02d}"
    return f"{sign}Rp {text}" if prefix else f"{sign}{text}"
