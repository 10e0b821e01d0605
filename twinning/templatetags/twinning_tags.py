"""Template helpers used across the portal: money, school years, query strings."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from twinning.lib.i18n import mark_vi, vietnamese_page
from twinning.lib.money import format_vnd
from twinning.lib.schoolyear import display_school_year

register = template.Library()


@register.filter
def vnd(amount):
    """{{ 240000000|vnd }} → "240.000.000 ₫" (Vietnamese) or "240,000,000 VND" (English)."""
    return format_vnd(amount)


@register.filter
def vi(value):
    """Vietnamese data (a unit's or a program's name, an activity's title, a place) in
    the text of a page in another language: {{ unit.name|vi }} → <span lang="vi">…</span>,
    so that screen readers speak it with a Vietnamese voice and browsers hyphenate and
    translate it as Vietnamese. On a Vietnamese page the value as it is. For element
    content only, never inside an attribute or the page title."""
    if value is None or value == "" or vietnamese_page():
        return value
    return mark_vi(value)


@register.simple_tag
def lang_vi():
    """` lang="vi"` for an element holding only Vietnamese data (an activity's
    description) on a page in another language; nothing on a Vietnamese page:
    <div{% lang_vi %}>{{ activity.description|linebreaks }}</div>."""
    if vietnamese_page():
        return ""
    return mark_safe(' lang="vi"')


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


@register.simple_tag(takes_context=True)
def path_in_language(context, language):
    """The current page's path and query in another language: "/en/pairs/x/?page=2" →
    "/pairs/x/?page=2" for "vi" (Vietnamese pages have no prefix), and back.

    Django's set_language translates ``next`` by resolving it in the language of
    the request that posts the form, which for /i18n/setlang/ is always Vietnamese,
    so "/en/…" would not resolve and the visitor would stay on English. Handing it
    the path already in the chosen language avoids that, and also works on a 404."""
    from twinning.lib.i18n import path_in_language as translate

    request = context.get("request")
    if request is None:
        return ""
    return translate(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def absolute_uri(context, path=""):
    """The absolute URL of ``path`` (default: the current page without its query), for
    canonical links and Open Graph tags."""
    request = context.get("request")
    if request is None:
        return path
    return request.build_absolute_uri(path or request.path)


@register.filter
def minutes(duration):
    """A timedelta as whole minutes (at least 1): the login pause of django-axes."""
    if duration is None:
        return 0
    return max(1, int(duration.total_seconds() // 60))


@register.simple_tag
def once_field():
    """The hidden key that makes a create form count once (twinning.once)."""
    import uuid

    from twinning.once import FIELD

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


@register.inclusion_tag("includes/_history.html")
def history_of(obj, limit=15):
    """The record's change history, folded: who changed what, when (twinning.lib.history)."""
    from twinning.lib.history import history_entries

    return {"entries": history_entries(obj, limit)}
