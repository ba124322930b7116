from decimal import Decimal

from django import template

from ..amounts import format_rupiah

register = template.Library()


@register.filter
def rupiah(value):
    """``Rp 1.250.000`` (Indonesian grouping)."""
    return format_rupiah(value)


@register.filter
def persen(value):
    """``87,5%``; a dash when there is nothing to compare with."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value)}%".replace(".", ",")
