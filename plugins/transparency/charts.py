"""Server-rendered, accessible SVG bar charts (no script): each chart has a title and a
description for screen readers, and the page shows the same figures in a table beside it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .amounts import format_rupiah

WIDTH = 640
ROW = 34
LABEL_W = 230
BAR_W = WIDTH - LABEL_W - 10
COLOURS = ("#1d6f42", "#2a6fb0", "#b5651d", "#7a4fa0", "#a33a3a", "#3a8a8a", "#6b6b2a")


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, Decimal]]) -> SafeString:
    """Horizontal bars, one per (label, amount); the longest bar is the largest amount."""
    largest = max((amount for _label, amount in items), default=Decimal(0)) or Decimal(1)
    height = max(ROW * len(items), ROW)
    rows = []
    for i, (label, amount) in enumerate(items):
        y = i * ROW
        width = int(BAR_W * (max(amount, Decimal(0)) / largest))
        rows.append(
            (
                y + 21,
                _short(label),
                LABEL_W,
                y + 6,
                width,
                COLOURS[i % len(COLOURS)],
                label,
                format_rupiah(amount),
            )
        )
    bars = format_html_join(
        "",
        '<g><text x="0" y="{}" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="22" fill="{}"><title>{}: {}</title></rect></g>',
        rows,
    )
    description = "; ".join(f"{label}: {format_rupiah(amount)}" for label, amount in items)
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{bars}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        bars=bars,
    )


def progress_chart(
    chart_id: str, title: str, items: list[tuple[str, Decimal | None]]
) -> SafeString:
    """Realisation as a share of the budget: one 0–100 % bar per (label, percent)."""
    height = max(ROW * len(items), ROW)
    rows = []
    for i, (label, pct) in enumerate(items):
        y = i * ROW
        value = min(max(pct or Decimal(0), Decimal(0)), Decimal(100))
        shown = "–" if pct is None else f"{pct}%".replace(".", ",")
        rows.append(
            (
                y + 21,
                _short(label),
                LABEL_W,
                y + 6,
                BAR_W,
                LABEL_W,
                y + 6,
                int(BAR_W * value / 100),
                label,
                shown,
                LABEL_W + 6,
                y + 22,
                shown,
            )
        )
    bars = format_html_join(
        "",
        '<g><text x="0" y="{}" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="22" fill="#e4e4e4"></rect>'
        '<rect x="{}" y="{}" width="{}" height="22" fill="#1d6f42"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#000">{}</text></g>',
        rows,
    )
    description = "; ".join(
        f"{label}: {'–' if pct is None else str(pct).replace('.', ',') + '%'}"
        for label, pct in items
    )
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{bars}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        bars=bars,
    )
