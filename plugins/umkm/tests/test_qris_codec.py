"""The QRIS codec (plugins/umkm/qris.py) on real published codes and on codes built to break
one rule at a time."""

import ast
import pathlib
from decimal import Decimal

import pytest

from plugins.umkm import qris
from plugins.umkm.qris import Field, Payload, template

from .qris_samples import (
    BRI_DYNAMIC_WITH_FEE,
    DANA_STATIC,
    GOPAY_BAD_CRC,
    NOBU_STATIC,
    SHOPEE_INCOMPLETE,
    VALID_REAL,
)


def codes(problems, severity=None):
    return [p.code for p in problems if severity is None or p.severity == severity]


def fields_of(text):
    return list(qris.parse(text).fields)


def sealed(fields):
    return qris.seal(Payload(tuple(fields)))


def replace_field(text, tag, new):
    """The payload with root field ``tag`` replaced by ``new`` (a Field), CRC sealed again."""
    return sealed([new if f.tag == tag else f for f in fields_of(text)])


def without(text, *tags):
    return sealed([f for f in fields_of(text) if f.tag not in tags])


# -- real codes ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(VALID_REAL))
def test_real_codes_have_no_errors_and_round_trip(name):
    text = VALID_REAL[name]
    assert codes(qris.validate(text), "error") == []
    payload = qris.parse(text)
    assert qris.serialise(payload) == text
    assert qris.seal(payload) == text  # the CRC they carry is the one we compute


def test_real_static_code_fields():
    payload = qris.parse(DANA_STATIC)
    assert payload.is_static
    assert payload.merchant_name == "SeTORE"
    assert payload.nmid == "ID1025437041078"
    assert payload.merchant_criteria == "UMI"
    assert payload.acquirers == ["ID.DANA.WWW"]
    assert payload.amount is None
    assert payload.tags == ["00", "01", "26", "51", "52", "53", "58", "59", "60", "61", "63"]
    account = payload.get("26")
    assert [s.tag for s in account.sub] == ["00", "01", "02", "03"]
    assert account.sub_value("01").startswith("9360")  # NNS of the acquirer
    assert qris.validate(DANA_STATIC) == []


def test_real_code_with_additional_data_template():
    payload = qris.parse(NOBU_STATIC)
    assert payload.get("62").sub == (Field("07", "A01"),)
    assert payload.merchant_name == "ANDI CALL OK2385395"
    assert payload.postal_code == "58211"


def test_real_dynamic_code_with_fee_tags_is_parsed_and_warned():
    payload = qris.parse(BRI_DYNAMIC_WITH_FEE)
    assert not payload.is_static
    assert payload.amount == Decimal("5000")
    assert payload.value("55") == "02" and payload.value("56") == "1000"
    assert payload.nmid is None
    problems = qris.validate(BRI_DYNAMIC_WITH_FEE)
    assert codes(problems, "error") == []
    assert sorted(codes(problems, "warning")) == ["fee_present", "no_nmid"]


def test_real_code_with_non_hex_crc_is_rejected_by_name():
    problems = qris.validate(GOPAY_BAD_CRC)
    assert codes(problems) == ["crc_format"]
    assert "M2B3" in problems[0].message


def test_library_code_missing_indonesian_tags_is_rejected():
    problems = qris.validate(SHOPEE_INCOMPLETE)
    missing = sorted(p.tag for p in problems if p.code == "missing")
    assert missing == ["52", "61"]
    assert "no_nmid" in codes(problems, "warning")


# -- structure -------------------------------------------------------------------------------
def test_unusual_tag_order_and_unknown_tags_are_kept():
    items = fields_of(NOBU_STATIC)
    by_tag = {f.tag: f for f in items}
    reordered = [
        by_tag["00"],
        by_tag["01"],
        by_tag["59"],
        by_tag["60"],
        by_tag["58"],
        by_tag["26"],
        Field("85", "unreserved value"),  # unknown tag (80–99): kept where it was
        by_tag["53"],
        by_tag["52"],
        by_tag["51"],
        by_tag["61"],
        template("62", [Field("07", "A01"), Field("50", "sub-tag tak dikenal")]),
    ]
    text = sealed(reordered)
    assert codes(qris.validate(text), "error") == []
    payload = qris.parse(text)
    assert payload.tags == [
        "00",
        "01",
        "59",
        "60",
        "58",
        "26",
        "85",
        "53",
        "52",
        "51",
        "61",
        "62",
        "63",
    ]
    assert payload.value("85") == "unreserved value"
    assert payload.get("62").sub_value("50") == "sub-tag tak dikenal"
    assert qris.serialise(payload) == text


def test_lengths_count_characters_and_crc_covers_utf8_bytes():
    name = Field("59", "Batik Bu Éni Kreo")  # 17 characters, 18 bytes
    text = replace_field(DANA_STATIC, "59", name)
    assert "5917Batik Bu Éni Kreo" in text
    assert qris.validate(text) == []
    assert qris.parse(text).merchant_name == "Batik Bu Éni Kreo"


def test_crc16_check_value():
    assert qris.crc16("123456789") == "29B1"


def test_crc_mismatch_names_both_values():
    broken = DANA_STATIC[:-4] + "0000"
    problems = qris.validate(broken)
    assert codes(problems) == ["crc_mismatch"]
    assert problems[0].params == {"found": "0000", "expected": "BB06"}


def test_one_changed_character_is_caught_by_the_crc():
    broken = DANA_STATIC.replace("SeTORE", "SeT0RE")
    assert codes(qris.validate(broken)) == ["crc_mismatch"]


def test_lowercase_and_missing_crc():
    assert codes(qris.validate(DANA_STATIC[:-4] + "bb06")) == ["crc_format"]
    no_crc = qris.serialise(qris.parse(DANA_STATIC), fields_of(DANA_STATIC)[:-1])
    assert "crc_missing" in codes(qris.validate(no_crc))
    assert "missing" in codes(qris.validate(no_crc))


def test_declared_length_longer_than_the_data():
    # 59 says 07 characters but "SeTORE" has 6: everything after shifts; the parser stops where
    # a length runs past the end and names the position.
    broken = DANA_STATIC.replace("5906SeTORE", "5907SeTORE")
    problems = qris.validate(broken)
    assert "crc_mismatch" in codes(problems)
    syntax = [p for p in problems if p.code.startswith("syntax")]
    assert syntax and isinstance(syntax[0].params["position"], int)


def test_truncated_payload():
    problems = qris.validate(DANA_STATIC[:100])
    assert "crc_missing" in codes(problems)
    assert any(c.startswith("syntax") for c in codes(problems))
    with pytest.raises(qris.QrisError):
        qris.parse(DANA_STATIC[:100])


def test_fixed_lengths_are_checked():
    assert ("length", "58") in [
        (p.code, p.tag) for p in qris.validate(replace_field(DANA_STATIC, "58", Field("58", "IDN")))
    ]
    long_name = Field("59", "N" * 26)
    problems = qris.validate(replace_field(DANA_STATIC, "59", long_name))
    assert [(p.code, p.tag, p.params["length"]) for p in problems] == [("length", "59", 26)]
    long_city = Field("60", "K" * 16)
    assert codes(qris.validate(replace_field(DANA_STATIC, "60", long_city))) == ["length"]


def test_duplicate_tag_and_sub_tag():
    items = fields_of(DANA_STATIC)
    doubled = items[:9] + [Field("59", "LAIN")] + items[9:]
    problems = qris.validate(sealed(doubled))
    assert [(p.code, p.tag) for p in problems] == [("duplicate", "59")]
    central = qris.parse(DANA_STATIC).get("51")
    twice = template("51", [*central.sub, Field("02", "ID1025437041078")])
    problems = qris.validate(replace_field(DANA_STATIC, "51", twice))
    assert [(p.code, p.tag, p.params.get("sub")) for p in problems] == [
        ("duplicate_sub", "51", "02")
    ]


@pytest.mark.parametrize("tag", ["00", "01", "52", "53", "58", "59", "60", "61"])
def test_each_required_tag_missing_is_named(tag):
    problems = qris.validate(without(DANA_STATIC, tag))
    assert ("missing", tag) in [(p.code, p.tag) for p in problems]
    assert tag in next(p for p in problems if p.code == "missing").message


def test_merchant_account_missing():
    problems = qris.validate(without(DANA_STATIC, "26", "51"))
    assert "missing_account" in codes(problems)


def test_first_and_last_tag_positions():
    items = fields_of(DANA_STATIC)
    swapped = [items[1], items[0], *items[2:]]
    assert "first_tag" in codes(qris.validate(sealed(swapped)))
    crc_early = [*items[:-2], Field("63", "0000"), items[-2]]  # 63 before 61
    problems = codes(qris.validate(qris.serialise(qris.parse(DANA_STATIC), crc_early)))
    assert "last_tag" in problems and "crc_missing" in problems


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("00", "02"),
        ("01", "13"),
        ("52", "ABCD"),
        ("53", "840"),
        ("54", "12,50"),
        ("54", "0"),
        ("55", "04"),
        ("58", "MY"),
        ("61", "58-11"),
    ],
)
def test_bad_values(tag, value):
    if tag in ("54", "55"):  # not in the static code: added before 58
        items = fields_of(DANA_STATIC)
        at = [f.tag for f in items].index("58")
        text = sealed(items[:at] + [Field(tag, value)] + items[at:])
    else:
        text = replace_field(DANA_STATIC, tag, Field(tag, value))
    problems = qris.validate(text)
    assert ("format", tag) in [(p.code, p.tag) for p in problems]
    assert value in next(p for p in problems if p.code == "format").message


def test_bad_nmid_guid_and_criteria():
    central = template(
        "51", [Field("00", "ID.CO.QRIS.WWX"), Field("02", "XX123"), Field("03", "ABC")]
    )
    problems = qris.validate(replace_field(DANA_STATIC, "51", central))
    assert [(p.code, p.params["value"]) for p in problems] == [
        ("format", "ID.CO.QRIS.WWX"),
        ("format", "XX123"),
        ("format", "ABC"),
    ]


def test_template_that_is_not_tlv():
    problems = qris.validate(replace_field(NOBU_STATIC, "62", Field("62", "hello")))
    assert ("bad_template", "62") in [(p.code, p.tag) for p in problems]
    account = template("26", [Field("01", "936009153190216697")])
    assert ("missing_sub", "26") in [
        (p.code, p.tag) for p in qris.validate(replace_field(DANA_STATIC, "26", account))
    ]


def test_every_problem_is_returned_at_once():
    items = [f for f in fields_of(DANA_STATIC) if f.tag not in ("52", "61")]
    items = [Field("53", "840") if f.tag == "53" else f for f in items]
    items.insert(5, Field("60", "DUA"))
    text = qris.serialise(Payload(tuple(items)))[:-4] + "FFFF"
    found = {(p.code, p.tag) for p in qris.validate(text)}
    assert {
        ("crc_mismatch", "63"),
        ("missing", "52"),
        ("missing", "61"),
        ("format", "53"),
        ("duplicate", "60"),
    } <= found


def test_too_long_payload():
    extra = [
        Field("85", "x" * 99),
        Field("86", "x" * 99),
        Field("87", "x" * 99),
        Field("88", "x" * 99),
    ]
    text = sealed([*fields_of(DANA_STATIC), *extra])
    assert len(text) > 512
    problems = qris.validate(text)
    assert "too_long" in codes(problems)


def test_amount_above_cap_in_a_read_code():
    items = fields_of(DANA_STATIC)
    items[1] = Field("01", "12")
    at = [f.tag for f in items].index("58")
    text = sealed(items[:at] + [Field("54", "10000001")] + items[at:])
    problems = qris.validate(text)
    assert [(p.code, p.message) for p in problems] == [
        ("amount_cap", "Nominal Rp 10.000.001 melebihi batas QRIS Rp 10.000.000 per transaksi.")
    ]


# -- amount-bearing codes ------------------------------------------------------------------
def test_amount_code_from_static():
    text = qris.with_amount(DANA_STATIC, 15000)
    payload = qris.parse(text)
    assert payload.value("01") == "12"
    assert payload.amount == Decimal("15000")
    tags = payload.tags
    assert tags[tags.index("58") - 1] == "54"
    assert tags == ["00", "01", "26", "51", "52", "53", "54", "58", "59", "60", "61", "63"]
    assert qris.validate(text) == []
    # everything but 01, 54 and the CRC is what the merchant's code said
    assert [f for f in payload.fields if f.tag not in ("01", "54", "63")] == [
        f for f in fields_of(DANA_STATIC) if f.tag not in ("01", "63")
    ]


def test_amount_code_drops_fee_tags_and_old_amount():
    text = qris.with_amount(BRI_DYNAMIC_WITH_FEE, Decimal("25000.00"))
    payload = qris.parse(text)
    assert [t for t in payload.tags if t in ("54", "55", "56", "57")] == ["54"]
    assert payload.amount == Decimal("25000")
    assert codes(qris.validate(text), "error") == []


def test_amount_54_goes_right_before_58_in_reordered_codes():
    by_tag = {f.tag: f for f in fields_of(NOBU_STATIC)}
    order = ["00", "01", "59", "58", "26", "51", "52", "53", "60", "61", "62"]
    text = qris.with_amount(sealed([by_tag[t] for t in order]), 7500)
    assert qris.parse(text).tags == [
        "00",
        "01",
        "59",
        "54",
        "58",
        "26",
        "51",
        "52",
        "53",
        "60",
        "61",
        "62",
        "63",
    ]


def test_amount_builder_does_no_string_replacement():
    # A merchant name full of look-alikes of "010211", "5802ID" and "6304": a replace() on the
    # raw text would corrupt it.
    tricky = Field("59", "010211 5802ID 6304 54")
    text = qris.with_amount(replace_field(DANA_STATIC, "59", tricky), 1000)
    payload = qris.parse(text)
    assert payload.merchant_name == "010211 5802ID 6304 54"
    assert payload.value("01") == "12"
    assert qris.validate(text) == []


@pytest.mark.parametrize("amount", [1, 999, 15000, 2_500_000, 10_000_000])
@pytest.mark.parametrize("source", [DANA_STATIC, NOBU_STATIC, BRI_DYNAMIC_WITH_FEE])
def test_fee_tags_are_never_generated(source, amount):
    payload = qris.parse(qris.with_amount(source, amount))
    assert not {"55", "56", "57"} & set(payload.tags)
    assert payload.amount == amount


def test_cap_is_inclusive_and_above_is_refused():
    assert qris.parse(qris.with_amount(DANA_STATIC, 10_000_000)).amount == 10_000_000
    with pytest.raises(qris.QrisError) as caught:
        qris.with_amount(DANA_STATIC, 10_000_001)
    assert codes(caught.value.problems) == ["amount_cap"]
    assert "10.000.001" in str(caught.value)


@pytest.mark.parametrize("amount", [0, -5, "12.5", "abc", Decimal("NaN")])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(qris.QrisError) as caught:
        qris.with_amount(DANA_STATIC, amount)
    assert codes(caught.value.problems) == ["format"]


def test_amount_from_an_invalid_code_is_refused():
    with pytest.raises(qris.QrisError) as caught:
        qris.with_amount(GOPAY_BAD_CRC, 1000)
    assert codes(caught.value.problems) == ["crc_format"]
    with pytest.raises(qris.QrisError):
        qris.with_amount(SHOPEE_INCOMPLETE, 1000)


def test_codec_has_no_django_dependency():
    tree = ast.parse(pathlib.Path(qris.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith("django") for name in imported)
