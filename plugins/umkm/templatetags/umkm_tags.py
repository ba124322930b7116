from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with Indonesian thousands dots: 1500000 → 1.500.000."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
