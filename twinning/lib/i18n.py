"""Language helpers. URLs: Vietnamese (settings.LANGUAGE_CODE) pages have no prefix;
every other language lives under /<code>/. Vietnamese data on a page in another
language is marked lang="vi" (``mark_vi``; the ``vi`` template filter and
``lang_vi`` tag, the forms' labels and ``VietnameseSelect``)."""

from django import forms
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language_from_path


def vietnamese_page() -> bool:
    """True when the page is being written in Vietnamese."""
    return (translation.get_language() or "vi").split("-")[0] == "vi"


def mark_vi(value):
    """Vietnamese data (a unit's name, an activity's title) in the text or a label of a
    page in another language: <span lang="vi">…</span>; on a Vietnamese page the text
    as it is. Escaped either way. Call it when the page is written (a label's
    ``label_from_instance``), not when a form is defined."""
    if vietnamese_page():
        return conditional_escape(value)
    return format_html('<span lang="vi">{}</span>', value)


class VietnameseSelect(forms.Select):
    """A select whose options are Vietnamese data: on a page in another language each
    option says lang="vi" (an <option> holds text only, so no <span>)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in (None, "") and not vietnamese_page():
            option["attrs"]["lang"] = "vi"
        return option


def path_in_language(full_path: str, language: str) -> str:
    """``full_path`` (path and query, as request.get_full_path() gives it) of the same
    page in ``language``: "/en/pairs/x/?page=2" → "/pairs/x/?page=2" for "vi",
    "/pairs/x/" → "/en/pairs/x/" for "en"."""
    script_prefix = get_script_prefix()
    path, sep, query = full_path.partition("?")
    rest = path[len(script_prefix) - 1 :] if path.startswith(script_prefix) else path
    current = get_language_from_path(rest)
    if current and (rest == f"/{current}" or rest.startswith(f"/{current}/")):
        rest = rest[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        rest = f"/{language}{rest}"
    return f"{script_prefix.rstrip('/')}{rest}{sep}{query}"
