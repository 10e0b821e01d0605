"""Template helpers used across the portal: money, school years, query strings."""

from django import template

from twinning.lib.money import format_vnd
from twinning.lib.schoolyear import display_school_year

register = template.Library()


@register.filter
def vnd(amount):
    """{{ 240000000|vnd }} → "240.000.000 ₫" (Vietnamese) or "240,000,000 VND" (English)."""
    return format_vnd(amount)


@register.filter
def school_year(value):
    """{{ "2023-2024"|school_year }} → "2023–2024"."""
    return display_school_year(str(value)) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and
    filters): {% query_with page=2 %} → "?q=tay+mo&page=2"."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
