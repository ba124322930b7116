"""Reference data seeded by migration, the lookups of codes and labels, and the rules of the
village models."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plugins.transparency.models import (
    Account,
    BudgetLine,
    FundingSource,
    FundingSourceLabel,
    Sector,
)

from .conftest import add_activity, add_line, make_version

pytestmark = pytest.mark.django_db


def test_chart_of_accounts_is_seeded():
    assert Account.objects.count() == 204
    assert set(Account.objects.filter(level="akun").values_list("code", flat=True)) == {
        "4",
        "5",
        "6",
    }
    assert Account.objects.filter(level="kelompok").count() == 9
    assert Account.objects.filter(level="jenis").count() == 44
    assert Account.objects.filter(level="objek").count() == 148
    dana_desa = Account.objects.get(code="4.2.1.01")
    assert dana_desa.parent.code == "4.2.1" and dana_desa.parent.parent.code == "4.2"
    assert Account.objects.get(code="6.1.1").name.startswith("SILPA")


def test_sectors_are_seeded_with_both_code_forms():
    assert Sector.objects.filter(level="bidang").count() == 5
    assert Sector.objects.filter(level="sub_bidang").count() == 27
    roads = Sector.resolve("02.03")
    assert roads == Sector.resolve("2.3")
    assert roads.parent.code == "2" and "Pekerjaan Umum" in roads.name
    assert Sector.resolve("9.9") is None and Sector.resolve("") is None


def test_account_codes_resolve_with_siskeudes_dots_and_ranges():
    assert Account.resolve("5.2.1.01.").code == "5.2.1.01"
    assert Account.resolve(" 4.2.1 ").code == "4.2.1"
    assert Account.resolve("5.2.1.95").code == "5.2.1.90-99"
    assert Account.resolve("5.3.4.95") is None  # 5.3.4 has no 90-99 range
    assert Account.resolve("5.2.1.89") is None
    assert Account.resolve("7.1") is None


def test_funding_sources_and_labels():
    assert set(FundingSource.objects.values_list("code", flat=True)) == {
        "DDS",
        "ADD",
        "PAD",
        "PBH",
        "PBK",
        "PBP",
        "SWD",
        "DLL",
    }
    assert FundingSourceLabel.resolve("DD-APBN").code == "DDS"
    assert FundingSourceLabel.resolve("dd apbn").code == "DDS"
    assert FundingSourceLabel.resolve("Ban_Prov").code == "PBP"
    assert FundingSourceLabel.resolve("dds").code == "DDS"
    assert FundingSourceLabel.resolve("BANSOS") is None
    # the table is data, not a fixed list: a new label maps at once
    FundingSourceLabel.objects.create(
        label="dana desa apbn 2025", source_id=FundingSource.objects.get(code="DDS").pk
    )
    assert FundingSourceLabel.resolve("Dana Desa APBN 2025").code == "DDS"


def test_one_budget_per_year_and_one_perdes_revision(kreo):
    make_version(kreo, number=1, kind="murni")
    make_version(kreo, number=2, kind="perubahan")
    make_version(kreo, number=3, kind="perkades")  # later aid: by Perkades
    with pytest.raises(IntegrityError), transaction.atomic():
        make_version(kreo, number=4, kind="perubahan")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_version(kreo, number=3, kind="perkades")


def test_version_number_rules(kreo):
    version = make_version(kreo, number=2, kind="murni")
    with pytest.raises(ValidationError) as info:
        version.full_clean()
    assert "number" in info.value.message_dict


def test_spending_lines_need_an_activity_of_the_same_version(kreo):
    version = make_version(kreo)
    other = make_version(kreo, number=2, kind="perubahan")
    line = BudgetLine(
        village=kreo, version=version, account=Account.resolve("5.2.1.01"), amount=Decimal(1)
    )
    with pytest.raises(ValidationError) as info:
        line.full_clean()
    assert "kegiatan" in str(info.value.message_dict["activity"])
    line.activity = add_activity(other, "1.1", "Operasional kantor")
    with pytest.raises(ValidationError) as info:
        line.full_clean()
    assert "versi lain" in str(info.value.message_dict["activity"])
    income = BudgetLine(
        village=kreo,
        version=version,
        account=Account.resolve("4.2.1.01"),
        activity=add_activity(version, "1.1", "Operasional kantor"),
        amount=Decimal(1),
    )
    with pytest.raises(ValidationError):
        income.full_clean()


def test_line_of_another_villages_version_is_invalid(kreo, kandang):
    theirs = make_version(kandang)
    line = BudgetLine(
        village=kreo, version=theirs, account=Account.resolve("4.2.1.01"), amount=Decimal(1)
    )
    with pytest.raises(ValidationError) as info:
        line.full_clean()
    assert "desa lain" in str(info.value.message_dict["version"])


def test_amount_is_volume_times_unit_price_when_not_given(kreo):
    version = make_version(kreo)
    act = add_activity(version, "2.3", "Jalan usaha tani")
    line = add_line(
        version,
        "5.3.5.03",
        "0",
        activity=act,
        volume=Decimal("200"),
        unit_price=Decimal("65000"),
        unit="sak",
    )
    line.refresh_from_db()
    assert line.amount == Decimal("13000000.00")
