"""Totals (surplus/deficit, net financing, SiLPA), realisation, groupings, reconciliation
warnings, differences between versions and copying lines."""

import datetime
from decimal import Decimal

import pytest

from plugins.transparency.models import Activity, BudgetLine, Realisation
from plugins.transparency.reports import (
    CopyError,
    copy_lines,
    drilldown,
    income_by_group,
    realised_totals,
    reconcile,
    spending_by_sector,
    version_diff,
    version_totals,
)

from .conftest import add_activity, add_line, make_version

pytestmark = pytest.mark.django_db


def budget(village, **extra):
    version = make_version(village, **extra)
    add_line(version, "4.2.1.01", "800000000", source="DDS")
    add_line(version, "4.2.3.01", "400000000", source="ADD")
    add_line(version, "4.1.1.01", "50000000", source="PAD")
    roads = add_activity(version, "2.3", "Jalan usaha tani")
    office = add_activity(version, "1.1", "Penghasilan tetap")
    add_line(version, "5.3.5.03", "300000000", activity=roads, description="Semen", source="DDS")
    add_line(version, "5.3.5.02", "200000000", activity=roads, description="Upah", source="DDS")
    add_line(version, "5.1.1.01", "780000000", activity=office, source="ADD")
    add_line(version, "6.1.1.01", "45000000", source="DDS")
    add_line(version, "6.2.2.01", "15000000", source="PAD")
    return version


def test_totals(kreo):
    version = budget(kreo)
    totals = version_totals(version)
    assert totals.income == Decimal("1250000000")
    assert totals.spending == Decimal("1280000000")
    assert totals.surplus == Decimal("-30000000")
    assert totals.net_financing == Decimal("30000000")
    assert totals.silpa == Decimal("0")
    assert reconcile(version, totals) == []
    dds = version_totals(version, "DDS")
    assert (dds.income, dds.spending, dds.financing_in) == (
        Decimal("800000000"),
        Decimal("500000000"),
        Decimal("45000000"),
    )


def test_groupings_and_drilldown(kreo):
    version = budget(kreo)
    groups = {g["code"]: g["amount"] for g in income_by_group(version)}
    assert groups == {
        "4.1.1": Decimal("50000000"),
        "4.2.1": Decimal("800000000"),
        "4.2.3": Decimal("400000000"),
    }
    sectors = {s["code"]: s["amount"] for s in spending_by_sector(version)}
    assert sectors == {"1": Decimal("780000000"), "2": Decimal("500000000")}
    line = BudgetLine.objects.get(version=version, description="Semen")
    Realisation.objects.create(
        village=kreo, line=line, date=datetime.date(2025, 6, 30), amount=100000000
    )
    Realisation.objects.create(
        village=kreo, line=line, date=datetime.date(2025, 12, 31), amount=150000000
    )
    tree = drilldown(version)
    sector = tree["sectors"][1]
    assert (sector.code, sector.amount, sector.realised) == (
        "2",
        Decimal("500000000"),
        Decimal("250000000"),
    )
    sub = sector.items[0]
    assert sub.code == "2.3" and sub.items[0].name == "Jalan usaha tani"
    assert [ln.description for ln in sub.items[0].lines] == ["Upah", "Semen"]
    assert sector.percent == Decimal("50.0")
    assert [ln.account.code for ln in tree["income"]] == ["4.1.1.01", "4.2.1.01", "4.2.3.01"]
    assert [ln.account.code for ln in tree["financing"]] == ["6.1.1.01", "6.2.2.01"]
    assert realised_totals(version).spending == Decimal("250000000")
    assert realised_totals(version, until=datetime.date(2025, 6, 30)).spending == Decimal(
        "100000000"
    )


def test_reconciliation_warns_on_declared_totals_and_negative_silpa(kreo):
    version = budget(
        kreo, declared_income=Decimal("1250000000"), declared_spending=Decimal("1279000000")
    )
    warnings = reconcile(version)
    assert len(warnings) == 1
    assert "belanja" in warnings[0] and "Rp 1.279.000.000" in warnings[0]
    assert "Rp 1.280.000.000" in warnings[0] and "Rp 1.000.000" in warnings[0]
    add_line(version, "6.2.1.01", "40000000")  # reserve fund: now more goes out than comes in
    warnings = reconcile(version)
    assert any("SiLPA tahun berjalan negatif (-Rp 40.000.000)" in w for w in warnings)
    assert any("Defisit Rp 30.000.000 tidak ditutup" in w for w in warnings)


def test_version_diff(kreo):
    original = budget(kreo)
    revised = make_version(kreo, number=2, kind="perubahan")
    copy_lines(original, revised, keep_amounts=True)
    semen = BudgetLine.objects.get(version=revised, description="Semen")
    semen.amount = Decimal("350000000")
    semen.save()
    BudgetLine.objects.filter(version=revised, description="Upah").delete()
    rows = {(r["account"], r["description"]): r for r in version_diff(original, revised)}
    assert rows[("5.3.5.03", "Semen")]["difference"] == Decimal("50000000")
    assert rows[("5.3.5.02", "Upah")]["after"] == 0
    assert rows[("5.3.5.02", "Upah")]["difference"] == Decimal("-200000000")
    assert rows[("4.2.1.01", "Dana Desa")]["difference"] == 0


def test_copy_last_years_lines_leaves_only_numbers_to_type(kreo, kandang):
    last_year = budget(kreo, year=2024)
    this_year = make_version(kreo, year=2025)
    assert copy_lines(last_year, this_year, keep_amounts=False) == 8
    assert Activity.objects.filter(version=this_year).count() == 2
    copied = BudgetLine.objects.filter(version=this_year)
    assert {line.amount for line in copied} == {Decimal("0")}
    assert copied.get(description="Semen").activity.version == this_year
    with pytest.raises(CopyError, match="sudah berisi"):
        copy_lines(last_year, this_year, keep_amounts=False)
    with pytest.raises(CopyError, match="desa lain"):
        copy_lines(last_year, make_version(kandang), keep_amounts=False)
    published = make_version(kreo, year=2026, status="published")
    with pytest.raises(CopyError, match="diterbitkan"):
        copy_lines(last_year, published, keep_amounts=True)
