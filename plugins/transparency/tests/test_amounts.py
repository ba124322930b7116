"""The amount parser: numbers as they are (rounded to cents), Indonesian text, and every
ambiguous spelling refused with a reason."""

from decimal import Decimal

import pytest

from plugins.transparency.amounts import AmountError, format_rupiah, parse_amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.250.000", "1250000.00"),
        ("Rp 1.250.000,00", "1250000.00"),
        ("Rp1.250.000", "1250000.00"),
        ("rp. 1.250.000,5", "1250000.50"),
        ("IDR 850.000.000", "850000000.00"),
        ("Rp 1.250.000,-", "1250000.00"),
        ("1250000", "1250000.00"),
        ("1250000,75", "1250000.75"),
        ("1.250", "1250.00"),
        ("0", "0.00"),
        ("-12.500", "-12500.00"),
        ("(12.500)", "-12500.00"),
        ("Rp -1.000", "-1000.00"),
        ("\u00a0Rp\u00a01.000\u00a0", "1000.00"),
        (1250000, "1250000.00"),
        (1250000.0, "1250000.00"),
        (1250000.456, "1250000.46"),
        (0.125, "0.13"),  # half up, from the decimal text of the float
        (Decimal("99.999"), "100.00"),
    ],
)
def test_amounts_read(value, expected):
    assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_cells_are_none(value):
    assert parse_amount(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1,250", "tiga angka"),  # English thousands or Indonesian decimals?
        ("1,250,000", "koma hanya untuk desimal"),
        ("1.25", "titik hanya untuk ribuan"),
        ("1250.00", "titik hanya untuk ribuan"),
        ("1.2500.000", "titik hanya untuk ribuan"),
        ("1 250 000", "spasi"),
        ("1,250.00", "titik sesudah koma"),
        ("1.250,123", "dua angka desimal"),
        ("satu juta", "bukan jumlah uang"),
        ("Rp", "bukan jumlah uang"),
        ("12a", "bukan jumlah uang"),
    ],
)
def test_ambiguous_or_wrong_text_is_refused(value, reason):
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert reason in str(info.value)
    assert repr(value).strip("'") in str(info.value) or value in str(info.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, Decimal("NaN")])
def test_non_amount_numbers_are_refused(value):
    with pytest.raises(AmountError):
        parse_amount(value)


def test_format_rupiah():
    assert format_rupiah(Decimal("1250000")) == "Rp 1.250.000"
    assert format_rupiah(Decimal("1250000.5")) == "Rp 1.250.000,50"
    assert format_rupiah(Decimal("-12500")) == "-Rp 12.500"
    assert format_rupiah(None) == "–"
    assert format_rupiah(Decimal("999"), prefix=False) == "999"
