"""How a figure reads in a statistics table: counts with thousands separators, rates with
one decimal, a missing rate as a dash."""

from django import template

register = template.Library()


@register.filter
def cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}"
