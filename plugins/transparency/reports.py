"""Figures of a budget version, computed in SQL: totals (income, spending, financing, surplus or
deficit, net financing, SiLPA), realisation, income by group, spending by sector, the drill-down
tree, per-line differences between versions, reconciliation warnings, and copying lines."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .amounts import format_rupiah
from .models.budget import Activity, BudgetLine, BudgetVersion, Realisation, Sector

ZERO = Decimal("0.00")

# prefix of the account code → totals attribute
HEADS = {"income": "4", "spending": "5", "financing_in": "6.1", "financing_out": "6.2"}


@dataclass
class Totals:
    income: Decimal = ZERO
    spending: Decimal = ZERO
    financing_in: Decimal = ZERO
    financing_out: Decimal = ZERO

    @property
    def surplus(self) -> Decimal:
        """Surplus (positive) or deficit (negative): income − spending."""
        return self.income - self.spending

    @property
    def net_financing(self) -> Decimal:
        return self.financing_in - self.financing_out

    @property
    def silpa(self) -> Decimal:
        """SiLPA of the current year: surplus/deficit + net financing."""
        return self.surplus + self.net_financing

    def as_dict(self) -> dict[str, str]:
        return {
            "pendapatan": str(self.income),
            "belanja": str(self.spending),
            "surplus_defisit": str(self.surplus),
            "penerimaan_pembiayaan": str(self.financing_in),
            "pengeluaran_pembiayaan": str(self.financing_out),
            "pembiayaan_netto": str(self.net_financing),
            "silpa": str(self.silpa),
        }


def _head_sums(queryset: QuerySet, amount: str, code: str) -> Totals:
    sums = queryset.aggregate(
        **{
            name: Coalesce(Sum(amount, filter=Q(**{f"{code}__startswith": prefix})), ZERO)
            for name, prefix in HEADS.items()
        }
    )
    return Totals(**{k: Decimal(v).quantize(ZERO) for k, v in sums.items()})


def lines_of(version: BudgetVersion | int, source: str | None = None) -> QuerySet[BudgetLine]:
    lines = BudgetLine.objects.filter(version=version)
    if source:
        lines = lines.filter(source__code=source)
    return lines


def version_totals(version: BudgetVersion | int, source: str | None = None) -> Totals:
    return _head_sums(lines_of(version, source), "amount", "account__code")


def realised_totals(
    version: BudgetVersion | int, source: str | None = None, until: Any = None
) -> Totals:
    realisations = Realisation.objects.filter(line__version=version)
    if source:
        realisations = realisations.filter(line__source__code=source)
    if until is not None:
        realisations = realisations.filter(date__lte=until)
    return _head_sums(realisations, "amount", "line__account__code")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def income_by_group(version: BudgetVersion | int, source: str | None = None) -> list[dict]:
    """Income by jenis (Dana Desa, Alokasi Dana Desa, Pendapatan Asli Desa's kinds...)."""
    rows = (
        lines_of(version, source)
        .filter(account__code__startswith="4")
        .values(
            "account__code",
            "account__name",
            "account__level",
            "account__parent__code",
            "account__parent__name",
        )
        .annotate(total=Sum("amount"))
    )
    groups: dict[str, dict] = {}
    for row in rows:
        if row["account__level"] == "objek":
            code, name = row["account__parent__code"], row["account__parent__name"]
        else:
            code, name = row["account__code"], row["account__name"]
        group = groups.setdefault(code, {"code": code, "name": name, "amount": ZERO})
        group["amount"] += row["total"]
    return sorted(groups.values(), key=lambda g: g["code"])


def spending_by_sector(version: BudgetVersion | int, source: str | None = None) -> list[dict]:
    rows = (
        lines_of(version, source)
        .filter(account__code__startswith="5")
        .values("activity__sector__parent__code", "activity__sector__parent__name")
        .annotate(total=Sum("amount"))
        .order_by("activity__sector__parent__code")
    )
    return [
        {
            "code": r["activity__sector__parent__code"],
            "name": r["activity__sector__parent__name"],
            "amount": r["total"],
        }
        for r in rows
    ]


@dataclass
class Node:
    """A row of the drill-down: a sector, sub-sector or activity with its lines."""

    code: str
    name: str
    amount: Decimal = ZERO
    realised: Decimal = ZERO
    children: OrderedDict = field(default_factory=OrderedDict)
    lines: list = field(default_factory=list)
    location: str = ""

    @property
    def percent(self) -> Decimal | None:
        return percent(self.realised, self.amount)

    @property
    def items(self) -> list[Node]:
        return list(self.children.values())


def drilldown(version: BudgetVersion | int, source: str | None = None) -> dict[str, Any]:
    """Every line of the version in one query: spending as sector → sub-sector → activity →
    cost lines, and the income and financing lines."""
    lines = (
        lines_of(version, source)
        .select_related("account", "source", "activity__sector__parent")
        .annotate(realised=Coalesce(Sum("realisations__amount"), ZERO))
        .order_by("account__code", "order", "pk")
    )
    sectors: OrderedDict[str, Node] = OrderedDict()
    income: list[BudgetLine] = []
    financing: list[BudgetLine] = []
    spending_lines = []
    for line in lines:
        head = line.account.code[:1]
        if head == "5" and line.activity_id:
            spending_lines.append(line)
        elif head == "6":
            financing.append(line)
        elif head == "4":
            income.append(line)
    spending_lines.sort(
        key=lambda ln: (ln.activity.sector.code, ln.activity.code, ln.activity.name, ln.order)
    )
    for line in spending_lines:
        sub: Sector = line.activity.sector
        top = sub.parent or sub
        sector = sectors.setdefault(top.code, Node(top.code, top.name))
        sub_node = sector.children.setdefault(sub.code, Node(sub.code, sub.name))
        act = line.activity
        act_node = sub_node.children.setdefault(
            act.pk, Node(act.code, act.name, location=act.location)
        )
        act_node.lines.append(line)
        for node in (sector, sub_node, act_node):
            node.amount += line.amount
            node.realised += line.realised
    return {"sectors": list(sectors.values()), "income": income, "financing": financing}


def line_key(account: str, sector: str | None, activity: str | None, description: str) -> tuple:
    return (account, sector or "", (activity or "").strip().lower(), description.strip().lower())


def version_diff(old: BudgetVersion | int, new: BudgetVersion | int) -> list[dict]:
    """Per-line original / revised / difference (semula / menjadi / bertambah (berkurang)),
    lines matched by account, sub-sector, activity name and description."""

    def sums(version):
        rows = (
            BudgetLine.objects.filter(version=version)
            .values(
                "account__code",
                "account__name",
                "activity__sector__code",
                "activity__name",
                "description",
            )
            .annotate(total=Sum("amount"))
        )
        return {
            line_key(
                r["account__code"],
                r["activity__sector__code"],
                r["activity__name"],
                r["description"],
            ): r
            for r in rows
        }

    before, after = sums(old), sums(new)
    out = []
    for key in sorted(set(before) | set(after)):
        row = after.get(key) or before[key]
        was = before[key]["total"] if key in before else ZERO
        now = after[key]["total"] if key in after else ZERO
        out.append(
            {
                "account": row["account__code"],
                "account_name": row["account__name"],
                "activity": row["activity__name"] or "",
                "description": row["description"] or row["account__name"],
                "before": was,
                "after": now,
                "difference": now - was,
            }
        )
    return out


def reconcile(version: BudgetVersion, totals: Totals | None = None) -> list[str]:
    """Warnings (never refusals) where the figures do not add up: totals the village's document
    states that differ from the sum of its lines, and a negative SiLPA."""
    totals = totals or version_totals(version)
    warnings = []
    declared = [
        (_("pendapatan"), version.declared_income, totals.income),
        (_("belanja"), version.declared_spending, totals.spending),
        (_("penerimaan pembiayaan"), version.declared_financing_in, totals.financing_in),
        (_("pengeluaran pembiayaan"), version.declared_financing_out, totals.financing_out),
    ]
    for name, stated, summed in declared:
        if stated is not None and stated != summed:
            warnings.append(
                _(
                    "Jumlah %(name)s menurut dokumen %(stated)s, sedangkan jumlah barisnya "
                    "%(summed)s (selisih %(diff)s)."
                )
                % {
                    "name": name,
                    "stated": format_rupiah(stated),
                    "summed": format_rupiah(summed),
                    "diff": format_rupiah(summed - stated),
                }
            )
    if totals.silpa < 0:
        warnings.append(
            _(
                "SiLPA tahun berjalan negatif (%(silpa)s): belanja dan pengeluaran pembiayaan "
                "melebihi pendapatan dan penerimaan pembiayaan."
            )
            % {"silpa": format_rupiah(totals.silpa)}
        )
    if totals.surplus < 0 and totals.net_financing <= 0:
        warnings.append(
            _("Defisit %(deficit)s tidak ditutup pembiayaan netto (%(net)s).")
            % {
                "deficit": format_rupiah(-totals.surplus),
                "net": format_rupiah(totals.net_financing),
            }
        )
    return warnings


class CopyError(ValueError):
    """Why lines cannot be copied (Indonesian)."""


def copy_lines(source: BudgetVersion, target: BudgetVersion, *, keep_amounts: bool) -> int:
    """Copy the activities and lines of ``source`` into the empty draft ``target`` of the same
    village. Without ``keep_amounts`` (last year's lines) only the numbers are left to type:
    unit prices and amounts start at zero. Returns the number of lines copied."""
    if source.village_id != target.village_id:
        raise CopyError(_("Versi sumber milik desa lain."))
    if source.pk == target.pk:
        raise CopyError(_("Versi sumber dan tujuan sama."))
    if target.is_published:
        raise CopyError(_("Versi tujuan sudah diterbitkan; buat versi baru."))
    if target.lines.exists():
        raise CopyError(_("Versi tujuan sudah berisi baris anggaran."))
    with transaction.atomic():
        activity_map = {}
        for act in Activity.objects.filter(version=source):
            activity_map[act.pk] = Activity.objects.create(
                village_id=target.village_id,
                version=target,
                sector_id=act.sector_id,
                code=act.code,
                name=act.name,
                location=act.location,
                output=act.output,
            )
        new_lines = [
            BudgetLine(
                village_id=target.village_id,
                version=target,
                account_id=line.account_id,
                activity=activity_map.get(line.activity_id),
                description=line.description,
                volume=line.volume,
                unit=line.unit,
                unit_price=line.unit_price if keep_amounts else None,
                amount=line.amount if keep_amounts else ZERO,
                source_id=line.source_id,
                order=line.order,
            )
            for line in BudgetLine.objects.filter(version=source).order_by("pk")
        ]
        BudgetLine.objects.bulk_create(new_lines)
    return len(new_lines)
