"""Template helpers of the report pages."""

from django import template

register = template.Library()


@register.simple_tag
def report_url(url_name, params, *args, **filters):
    """The URL of a report page for the same program and year, with ``filters``:
    {% report_url 'reports:pairs' params unit=row.unit.slug status='active' %}."""
    return f"{params.path(url_name, args)}?{params.query(**filters)}"


@register.filter
def percent(value):
    """72 → "72 %"; None (nothing to divide by) → "–"."""
    return "–" if value is None else f"{value}\u00a0%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
