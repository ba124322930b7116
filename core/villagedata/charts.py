"""Accessible charts rendered on the server: SVG bars for sighted readers, a table for everyone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.villagedata.choices import PopulationCategory, PotentialCategory
from core.villages.params import int_param

# Geometry in SVG user units: a 320-wide viewBox (phone first), scaled by CSS on wider screens.
WIDTH = 320
BAR_MAX = 230
ROW = 38


def bar_chart(slug: str, title: str, rows: list[dict], unit: str = "") -> dict:
    """A horizontal bar chart: each item's label above its bar, the value after the bar."""
    peak = max((row["value"] for row in rows), default=0) or 1
    total = sum(row["value"] for row in rows)
    bars = []
    for i, row in enumerate(rows):
        width = float(Decimal(row["value"]) * BAR_MAX / Decimal(peak))
        bars.append(
            {
                **row,
                "label_y": i * ROW + 12,
                "bar_y": i * ROW + 16,
                "width": round(max(width, 1.0), 1),
                "value_x": round(max(width, 1.0) + 4, 1),
                "value_y": i * ROW + 28,
                "percent": round(float(Decimal(row["value"]) * 100 / total), 1) if total else 0,
            }
        )
    return {
        "slug": slug,
        "title": title,
        "bars": bars,
        "unit": unit,
        "total": total,
        "width": WIDTH,
        "height": max(len(rows) * ROW, ROW),
        "show_total": unit == "",
    }


def data_context(
    population_rows: list[Any], potential_rows: list[Any], requested_year: str | None
) -> dict:
    """Charts of one year (the latest unless asked) from a village's figures of every year
    (two queries, whatever the number of years)."""
    years = sorted(
        {r.year for r in population_rows} | {r.year for r in potential_rows}, reverse=True
    )
    year = int_param(requested_year, max_digits=4)
    if year not in years:
        year = years[0] if years else None
    population = []
    grouped: dict[str, list] = {}
    for fig in population_rows:
        if fig.year == year:
            grouped.setdefault(fig.category, []).append({"label": fig.label, "value": fig.value})
    for value, label in PopulationCategory.choices:
        if value in grouped:
            population.append(bar_chart(f"pop-{value}", str(label), grouped[value]))
    potential = []
    grouped = {}
    for fig in potential_rows:
        if fig.year == year:
            grouped.setdefault(fig.category, []).append(
                {"label": fig.label, "value": fig.value, "unit": fig.unit}
            )
    for value, label in PotentialCategory.choices:
        if value in grouped:
            rows = grouped[value]
            units = {row["unit"] for row in rows}
            chart = bar_chart(
                f"pot-{value}", str(label), rows, unit=units.pop() if len(units) == 1 else "*"
            )
            chart["show_total"] = False
            potential.append(chart)
    total_population = next(
        (c["total"] for c in population if c["slug"] == f"pop-{PopulationCategory.GENDER}"), None
    )
    return {
        "years": years,
        "year": year,
        "population": population,
        "potential": potential,
        "total_population": total_population,
        "chart_note": _("Grafik batang; angka lengkapnya ada di tabel di bawah grafik."),
    }
