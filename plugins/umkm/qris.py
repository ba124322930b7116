"""QRIS codec: parse, validate, serialise and seal QRIS payloads (EMVCo Merchant-Presented Mode).

Pure Python, no Django: the plugin's forms, views and the ``qris`` management command build on it.

A payload is a flat list of TLV fields: a 2-digit tag, a 2-digit length counted in *characters*
and the value. Tags 26–51 (merchant account templates), 62 (additional data) and 64 (language
template) hold nested TLV sub-fields. Order is kept as read: only 00 (first) and 63 (last) have a
fixed place, and real codes do reorder the rest. Unknown tags are kept as they are, so
``serialise(parse(s)) == s`` byte for byte for every well-formed payload.

The CRC (tag 63) is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over the UTF-8 bytes of
everything up to and including "6304", written as 4 uppercase hex digits.

Messages are Indonesian; they are marked with ``gettext_noop`` (a local no-op, so makemessages
collects them) and translated by the Django side (``plugins/umkm/qris_messages.py``).
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

__all__ = [
    "AMOUNT_CAP",
    "Field",
    "Payload",
    "Problem",
    "QrisError",
    "crc16",
    "parse",
    "seal",
    "serialise",
    "validate",
    "with_amount",
]


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django (see module docstring)."""
    return message


AMOUNT_CAP = Decimal("10000000")  # Rp 10.000.000: QRIS's limit for one payment
MAX_PAYLOAD_LENGTH = 512
QRIS_CENTRAL_GUID = "ID.CO.QRIS.WWW"
NMID_RE = re.compile(r"^ID\d{10,13}$")
MERCHANT_CRITERIA = {"UMI", "UKE", "UME", "UBE", "URE"}
AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
CRC_RE = re.compile(r"^[0-9A-F]{4}$")

MERCHANT_ACCOUNT_TAGS = frozenset(f"{n:02d}" for n in range(26, 52))
TEMPLATE_TAGS = MERCHANT_ACCOUNT_TAGS | {"62", "64"}
FEE_TAGS = ("55", "56", "57")

# Root tags required in an Indonesian code (a merchant account template 26–51 is checked apart).
REQUIRED_TAGS = ("00", "01", "52", "53", "58", "59", "60", "61", "63")

TAG_NAMES = {
    "00": "payload_format_indicator",
    "01": "point_of_initiation",
    "51": "qris_central_repository",
    "52": "merchant_category_code",
    "53": "transaction_currency",
    "54": "transaction_amount",
    "55": "tip_or_convenience_indicator",
    "56": "convenience_fee_fixed",
    "57": "convenience_fee_percentage",
    "58": "country_code",
    "59": "merchant_name",
    "60": "merchant_city",
    "61": "postal_code",
    "62": "additional_data",
    "63": "crc",
    "64": "merchant_language_template",
}

ACCOUNT_SUB_NAMES = {
    "00": "globally_unique_identifier",
    "01": "merchant_pan",
    "02": "merchant_id",
    "03": "merchant_criteria",
}
ADDITIONAL_DATA_NAMES = {
    "01": "bill_number",
    "02": "mobile_number",
    "03": "store_label",
    "04": "loyalty_number",
    "05": "reference_label",
    "06": "customer_label",
    "07": "terminal_label",
    "08": "purpose_of_transaction",
    "09": "additional_consumer_data_request",
}

# Indonesian labels of the required root tags, for messages.
TAG_LABELS = {
    "00": gettext_noop("indikator format"),
    "01": gettext_noop("metode inisiasi"),
    "52": gettext_noop("kategori merchant"),
    "53": gettext_noop("mata uang"),
    "58": gettext_noop("kode negara"),
    "59": gettext_noop("nama merchant"),
    "60": gettext_noop("kota merchant"),
    "61": gettext_noop("kode pos"),
    "63": gettext_noop("CRC"),
}

# (minimum, maximum) length in characters of root fields with a fixed or bounded length.
LENGTH_LIMITS = {
    "00": (2, 2),
    "01": (2, 2),
    "52": (4, 4),
    "53": (3, 3),
    "54": (1, 13),
    "55": (2, 2),
    "56": (1, 13),
    "57": (1, 5),
    "58": (2, 2),
    "59": (1, 25),
    "60": (1, 15),
    "61": (1, 10),
    "63": (4, 4),
}

MESSAGES = {
    "syntax_short": gettext_noop(
        "Struktur kode rusak di posisi %(position)s: sisa data terlalu pendek untuk sebuah tag."
    ),
    "syntax_tag": gettext_noop(
        'Struktur kode rusak di posisi %(position)s: tag "%(found)s" bukan 2 digit.'
    ),
    "syntax_length": gettext_noop(
        'Struktur kode rusak di posisi %(position)s: panjang tag %(tag)s "%(found)s" bukan 2 digit.'
    ),
    "syntax_overrun": gettext_noop(
        "Struktur kode rusak di posisi %(position)s: tag %(tag)s menyebut panjang %(length)s "
        "karakter, tersisa %(left)s."
    ),
    "too_long": gettext_noop(
        "Kode terlalu panjang: %(length)s karakter (paling banyak %(limit)s)."
    ),
    "empty": gettext_noop("Kode QRIS kosong."),
    "crc_missing": gettext_noop("Kode tidak diakhiri CRC (tag 63, panjang 4)."),
    "crc_format": gettext_noop(
        'CRC (tag 63) harus 4 digit heksadesimal huruf besar, tertulis "%(found)s".'
    ),
    "crc_mismatch": gettext_noop(
        "CRC tidak cocok: tertulis %(found)s, seharusnya %(expected)s (kode rusak atau diubah)."
    ),
    "first_tag": gettext_noop("Tag 00 harus menjadi tag pertama."),
    "last_tag": gettext_noop("Tag 63 (CRC) harus menjadi tag terakhir."),
    "duplicate": gettext_noop("Tag %(tag)s muncul lebih dari sekali."),
    "duplicate_sub": gettext_noop("Sub-tag %(sub)s di tag %(tag)s muncul lebih dari sekali."),
    "missing": gettext_noop("Tag wajib %(tag)s (%(name)s) tidak ada."),
    "missing_account": gettext_noop("Tidak ada informasi akun merchant (tag 26 sampai 51)."),
    "missing_sub": gettext_noop("Sub-tag wajib %(sub)s di tag %(tag)s tidak ada."),
    "length": gettext_noop(
        "Panjang tag %(tag)s tidak sah: %(length)s karakter (harus %(expected)s)."
    ),
    "bad_template": gettext_noop(
        "Isi tag %(tag)s bukan susunan sub-tag yang sah (rusak di posisi %(position)s)."
    ),
    "format": gettext_noop('Nilai tag %(tag)s tidak sah: "%(value)s" (%(expected)s).'),
    "amount_cap": gettext_noop(
        "Nominal Rp %(amount)s melebihi batas QRIS Rp 10.000.000 per transaksi."
    ),
    "fee_pair": gettext_noop(
        "Tag 55 bernilai %(value)s mensyaratkan tag %(needed)s, yang tidak ada."
    ),
    "static_with_amount": gettext_noop(
        "Kode statis (tag 01 = 11) tidak semestinya memuat nominal (tag 54)."
    ),
    "fee_present": gettext_noop(
        "Kode memuat biaya tambahan (tag 55–57): merchant dilarang membebankan biaya kepada "
        "pembayar QRIS."
    ),
    "no_nmid": gettext_noop(
        "Kode tidak memuat NMID (tag 51 sub-tag 02): identitas merchant tidak dapat diperiksa."
    ),
}


@dataclass(frozen=True)
class Field:
    """One TLV field. ``sub`` holds the parsed sub-fields of a template tag (26–51, 62, 64);
    it is ``None`` for other tags and for a template whose value is not well-formed TLV."""

    tag: str
    value: str
    sub: tuple[Field, ...] | None = None

    @property
    def length(self) -> int:
        return len(self.value)

    def get(self, tag: str) -> Field | None:
        for child in self.sub or ():
            if child.tag == tag:
                return child
        return None

    def sub_value(self, tag: str) -> str | None:
        child = self.get(tag)
        return child.value if child else None

    def encode(self) -> str:
        return f"{self.tag}{len(self.value):02d}{self.value}"

    def to_dict(self, names: dict[str, str] | None = None) -> dict:
        """The field as JSON-ready data; ``names`` names tags at this level (root by default)."""
        names = TAG_NAMES if names is None else names
        data: dict = {"tag": self.tag, "length": self.length, "value": self.value}
        if self.tag in names:
            data["name"] = names[self.tag]
        elif names is TAG_NAMES and self.tag in MERCHANT_ACCOUNT_TAGS:
            data["name"] = "merchant_account_information"
        if self.sub is not None:
            sub_names = (
                ADDITIONAL_DATA_NAMES
                if self.tag == "62"
                else (ACCOUNT_SUB_NAMES if self.tag in MERCHANT_ACCOUNT_TAGS else {})
            )
            data["sub"] = [child.to_dict(sub_names) for child in self.sub]
        return data


def template(tag: str, sub: list[Field] | tuple[Field, ...]) -> Field:
    """A template field built from its sub-fields (its value is their serialisation)."""
    sub = tuple(sub)
    return Field(tag, "".join(child.encode() for child in sub), sub)


@dataclass(frozen=True)
class Problem:
    """A problem found by ``validate``. ``code`` names the kind, ``tag`` the field concerned,
    ``params`` fill the message; ``severity`` is "error" (the code cannot be used) or
    "warning" (usable, but show it to the operator)."""

    code: str
    tag: str | None = None
    params: dict = field(default_factory=dict)
    severity: str = "error"

    @property
    def template(self) -> str:
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        params = {"tag": self.tag, **self.params}
        return self.template % params

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "tag": self.tag,
            "severity": self.severity,
            "message": self.message,
        }


class QrisError(ValueError):
    """Raised when a payload cannot be parsed or an amount-bearing code cannot be built.
    ``problems`` lists what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of the UTF-8 bytes of ``data``, as 4 uppercase hex digits."""
    return format(binascii.crc_hqx(data.encode("utf-8"), 0xFFFF), "04X")


def _split(text: str, offset: int = 0) -> list[Field]:
    """Split ``text`` into TLV fields (without parsing templates); lengths count characters.
    Raises QrisError (a "syntax_*" problem) naming the position (``offset`` + index) of the
    fault."""
    fields: list[Field] = []
    i = 0
    n = len(text)
    while i < n:
        position = offset + i
        if n - i < 4:
            raise QrisError([Problem("syntax_short", params={"position": position})])
        tag, length_text = text[i : i + 2], text[i + 2 : i + 4]
        if not (tag.isascii() and tag.isdigit()):
            raise QrisError([Problem("syntax_tag", params={"position": position, "found": tag})])
        if not (length_text.isascii() and length_text.isdigit()):
            params = {"position": position + 2, "found": length_text}
            raise QrisError([Problem("syntax_length", tag, params)])
        length = int(length_text)
        start = i + 4
        if start + length > n:
            params = {"position": position, "length": length, "left": n - start}
            raise QrisError([Problem("syntax_overrun", tag, params)])
        fields.append(Field(tag, text[start : start + length]))
        i = start + length
    return fields


def _with_sub(item: Field) -> Field:
    if item.tag not in TEMPLATE_TAGS:
        return item
    try:
        sub = _split(item.value)
    except QrisError:
        return item  # kept raw; validate() reports it
    return Field(item.tag, item.value, tuple(sub))


@dataclass(frozen=True)
class Payload:
    """A parsed QRIS payload: its root fields in the order read."""

    fields: tuple[Field, ...]

    def get(self, tag: str) -> Field | None:
        for item in self.fields:
            if item.tag == tag:
                return item
        return None

    def value(self, tag: str) -> str | None:
        item = self.get(tag)
        return item.value if item else None

    @property
    def tags(self) -> list[str]:
        return [item.tag for item in self.fields]

    @property
    def is_static(self) -> bool:
        return self.value("01") == "11"

    @property
    def merchant_name(self) -> str | None:
        return self.value("59")

    @property
    def merchant_city(self) -> str | None:
        return self.value("60")

    @property
    def postal_code(self) -> str | None:
        return self.value("61")

    @property
    def nmid(self) -> str | None:
        central = self.get("51")
        return central.sub_value("02") if central else None

    @property
    def merchant_criteria(self) -> str | None:
        central = self.get("51")
        return central.sub_value("03") if central else None

    @property
    def merchant_accounts(self) -> list[Field]:
        return [item for item in self.fields if item.tag in MERCHANT_ACCOUNT_TAGS]

    @property
    def acquirers(self) -> list[str]:
        """Reverse-domain identifiers (sub-tag 00) of the merchant account templates."""
        return [
            guid
            for item in self.merchant_accounts
            if (guid := item.sub_value("00")) and guid != QRIS_CENTRAL_GUID
        ]

    @property
    def amount(self) -> Decimal | None:
        raw = self.value("54")
        if raw is None or not AMOUNT_RE.match(raw):
            return None
        return Decimal(raw)

    def summary(self) -> dict:
        """The fields a person reads, for display and the ``qris decode`` command."""
        amount = self.amount
        return {
            "static": self.is_static,
            "merchant_name": self.merchant_name,
            "merchant_city": self.merchant_city,
            "postal_code": self.postal_code,
            "nmid": self.nmid,
            "merchant_criteria": self.merchant_criteria,
            "acquirers": self.acquirers,
            "merchant_category_code": self.value("52"),
            "currency": self.value("53"),
            "country": self.value("58"),
            "amount": None if amount is None else str(amount),
            "crc": self.value("63"),
        }

    def to_dict(self) -> dict:
        return {**self.summary(), "fields": [item.to_dict() for item in self.fields]}


def parse(text: str) -> Payload:
    """Parse a payload into fields, templates into sub-fields. Raises QrisError on a TLV
    structure that cannot be read; everything else is left to ``validate``."""
    if not text:
        raise QrisError([Problem("empty")])
    return Payload(tuple(_with_sub(item) for item in _split(text)))


def serialise(payload: Payload, fields: list[Field] | tuple[Field, ...] | None = None) -> str:
    """Write the fields back as they are (the CRC field too, unchanged)."""
    items = payload.fields if fields is None else fields
    return "".join(item.encode() for item in items)


def seal(payload: Payload) -> str:
    """Serialise without any tag 63, then append a freshly computed CRC as the last field."""
    body = serialise(payload, [item for item in payload.fields if item.tag != "63"]) + "6304"
    return body + crc16(body)


def _crc_problems(text: str) -> list[Problem]:
    if len(text) < 8 or text[-8:-4] != "6304":
        return [Problem("crc_missing", "63")]
    found = text[-4:]
    if not CRC_RE.match(found):
        return [Problem("crc_format", "63", {"found": found})]
    expected = crc16(text[:-4])
    if found != expected:
        return [Problem("crc_mismatch", "63", {"found": found, "expected": expected})]
    return []


def _length_problem(item: Field) -> Problem | None:
    limits = LENGTH_LIMITS.get(item.tag)
    if not limits:
        return None
    low, high = limits
    if low <= item.length <= high:
        return None
    expected = str(low) if low == high else f"{low}–{high}"
    return Problem("length", item.tag, {"length": item.length, "expected": expected})


def _format(tag: str, value: str, expected: str) -> Problem:
    return Problem("format", tag, {"value": value, "expected": expected})


def _value_problems(payload: Payload) -> list[Problem]:
    problems: list[Problem] = []
    checks = {
        "00": (lambda v: v == "01", gettext_noop("harus 01")),
        "01": (lambda v: v in ("11", "12"), gettext_noop("11 statis atau 12 dinamis")),
        "52": (
            lambda v: v.isascii() and v.isdigit(),
            gettext_noop("4 digit kode kategori merchant"),
        ),
        "53": (lambda v: v == "360", gettext_noop("360 untuk rupiah")),
        "54": (
            lambda v: bool(AMOUNT_RE.match(v)) and Decimal(v) > 0,
            gettext_noop("angka positif, paling banyak 2 desimal"),
        ),
        "55": (lambda v: v in ("01", "02", "03"), gettext_noop("01, 02 atau 03")),
        "56": (lambda v: bool(AMOUNT_RE.match(v)), gettext_noop("angka, paling banyak 2 desimal")),
        "57": (
            lambda v: bool(AMOUNT_RE.match(v)) and Decimal(v) <= 100,
            gettext_noop("persen 0–100"),
        ),
        "58": (lambda v: v == "ID", gettext_noop("ID untuk Indonesia")),
        "59": (lambda v: bool(v.strip()), gettext_noop("tidak boleh kosong")),
        "60": (lambda v: bool(v.strip()), gettext_noop("tidak boleh kosong")),
        "61": (lambda v: v.isascii() and v.isalnum(), gettext_noop("kode pos")),
    }
    for item in payload.fields:
        length_problem = _length_problem(item)
        if length_problem:
            problems.append(length_problem)
            continue
        check = checks.get(item.tag)
        if check and not check[0](item.value):
            problems.append(_format(item.tag, item.value, check[1]))
    amount = payload.amount
    if amount is not None and amount > AMOUNT_CAP:
        problems.append(Problem("amount_cap", "54", {"amount": _rupiah(amount)}))
    tip = payload.value("55")
    if tip == "02" and payload.get("56") is None:
        problems.append(Problem("fee_pair", "55", {"value": tip, "needed": "56"}))
    if tip == "03" and payload.get("57") is None:
        problems.append(Problem("fee_pair", "55", {"value": tip, "needed": "57"}))
    if any(payload.get(tag) for tag in FEE_TAGS):
        problems.append(Problem("fee_present", "55", severity="warning"))
    if payload.is_static and payload.get("54") is not None:
        problems.append(Problem("static_with_amount", "54", severity="warning"))
    return problems


def _template_problems(payload: Payload) -> list[Problem]:
    problems: list[Problem] = []
    for item in payload.fields:
        if item.tag not in TEMPLATE_TAGS:
            continue
        if item.sub is None:
            try:
                _split(item.value)
            except QrisError as error:
                position = error.problems[0].params.get("position", 0)
                problems.append(Problem("bad_template", item.tag, {"position": position}))
            continue
        seen: set[str] = set()
        for child in item.sub:
            if child.tag in seen:
                problems.append(Problem("duplicate_sub", item.tag, {"sub": child.tag}))
            seen.add(child.tag)
        if item.tag in MERCHANT_ACCOUNT_TAGS and item.get("00") is None:
            problems.append(Problem("missing_sub", item.tag, {"sub": "00"}))
        if item.tag == "51":
            problems.extend(_central_problems(item))
    return problems


def _central_problems(item: Field) -> list[Problem]:
    problems: list[Problem] = []
    guid = item.sub_value("00")
    if guid is not None and guid != QRIS_CENTRAL_GUID:
        problems.append(_format("51", guid, gettext_noop("sub-tag 00 harus ID.CO.QRIS.WWW")))
    nmid = item.sub_value("02")
    if nmid is None:
        problems.append(Problem("missing_sub", "51", {"sub": "02"}))
    elif not NMID_RE.match(nmid):
        problems.append(_format("51", nmid, gettext_noop("NMID: ID diikuti 10–13 digit")))
    criteria = item.sub_value("03")
    if criteria is not None and criteria not in MERCHANT_CRITERIA:
        problems.append(
            _format("51", criteria, gettext_noop("kriteria UMI, UKE, UME, UBE atau URE"))
        )
    return problems


def validate(text: str) -> list[Problem]:
    """Every problem of a payload, errors and warnings. An empty list means valid."""
    if not text:
        return [Problem("empty")]
    problems: list[Problem] = []
    if len(text) > MAX_PAYLOAD_LENGTH:
        problems.append(
            Problem("too_long", params={"length": len(text), "limit": MAX_PAYLOAD_LENGTH})
        )
    problems.extend(_crc_problems(text))
    try:
        payload = parse(text)
    except QrisError as error:
        return problems + error.problems
    tags = payload.tags
    if tags[0] != "00":
        problems.append(Problem("first_tag", "00"))
    if tags[-1] != "63" and "63" in tags:
        problems.append(Problem("last_tag", "63"))
    seen: set[str] = set()
    for tag in tags:
        if tag in seen:
            problems.append(Problem("duplicate", tag))
        seen.add(tag)
    for tag in REQUIRED_TAGS:
        if tag not in seen:
            problems.append(Problem("missing", tag, {"name": TAG_LABELS[tag]}))
    if not payload.merchant_accounts:
        problems.append(Problem("missing_account", "26"))
    elif payload.get("51") is None:
        problems.append(Problem("no_nmid", "51", severity="warning"))
    problems.extend(_value_problems(payload))
    problems.extend(_template_problems(payload))
    return problems


def errors(text: str) -> list[Problem]:
    return [p for p in validate(text) if p.severity == "error"]


def _rupiah(amount: Decimal) -> str:
    whole = int(amount)
    text = f"{whole:,}".replace(",", ".")
    if amount != whole:
        text += "," + f"{amount:.2f}".split(".")[1]
    return text


def _amount_value(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise QrisError([_format("54", str(amount), gettext_noop("angka rupiah"))]) from None
    if not value.is_finite() or value <= 0 or value != value.to_integral_value():
        raise QrisError(
            [_format("54", str(amount), gettext_noop("bilangan bulat rupiah lebih dari 0"))]
        )
    if value > AMOUNT_CAP:
        raise QrisError([Problem("amount_cap", "54", {"amount": _rupiah(value)})])
    return value


def with_amount(text: str, amount) -> str:
    """An amount-bearing payload made from a static (or amount-bearing) one.

    The source must be valid. Tag 01 becomes "12", existing tags 54–57 and 63 are dropped,
    54 (the amount in whole rupiah) is placed immediately before 58 and the CRC is sealed
    again. Fee tags 55–57 are never written. Amounts above Rp 10.000.000 are refused.
    The fields are rebuilt, never found and replaced in the text."""
    value = _amount_value(amount)
    found = errors(text)
    if found:
        raise QrisError(found)
    payload = parse(text)
    kept = [item for item in payload.fields if item.tag not in ("54", *FEE_TAGS, "63")]
    rebuilt: list[Field] = []
    for item in kept:
        if item.tag == "01":
            item = Field("01", "12")
        if item.tag == "58":
            rebuilt.append(Field("54", str(int(value))))
        rebuilt.append(item)
    return seal(Payload(tuple(rebuilt)))
