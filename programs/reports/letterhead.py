"""The letterhead and signature block of the portal's printed documents (the year-end
report, the list of commendations), in the layout of Decree 30/2020/NĐ-CP, and a
trade union's in the union's own (Decision 933/QĐ-TLĐ of 2024, which keeps the
national motto and puts the superior union above the issuing one).

The printed page needs words the database holds in pieces: which unit issues the
document, the body above it, the place, the issuer's abbreviation on the number line
("Số: …/BC-SGDĐT"), who signs and on whose behalf. ``letterhead`` gathers them.

A printed document is a Vietnamese administrative document whatever the language of
the page it is printed from: its letterhead and signature block are always written in
Vietnamese (the templates mark them ``lang="vi"`` on an English page), so that an
English page never prints "PEOPLE'S COMMITTEE OF Thành phố Hà Nội". The body of the
report follows the page's language.
"""

import re
import unicodedata

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from schools.models import Membership, Organization
from schools.scope import scope_for
from twinning.lib.text import fold

NBSP = "\u00a0"

# (on whose behalf, title) above the signature. A body led collectively signs "on
# behalf of" it (TM.): a People's Committee, a union's standing committee.
SIGNER = {
    Organization.Kind.DEPARTMENT: ("", gettext_lazy("Director")),
    Organization.Kind.OFFICE: ("", gettext_lazy("Head of the office")),
    Organization.Kind.UNION: (gettext_lazy("On behalf of the Standing Committee"), gettext_lazy("Chair")),
    Organization.Kind.COMMUNE_COMMITTEE: (gettext_lazy("On behalf of the People's Committee"), gettext_lazy("Chair")),
    Organization.Kind.CLUSTER: ("", pgettext_lazy("signature", "Cluster head")),
}

# How a membership's title names the head of a unit of each kind (folded; a deputy,
# "Phó Giám đốc", does not start with it).
HEAD_TITLES = {
    Organization.Kind.DEPARTMENT: "giam doc",
    Organization.Kind.OFFICE: "truong phong",
    Organization.Kind.UNION: "chu tich",
    Organization.Kind.COMMUNE_COMMITTEE: "chu tich",
}

# Words left out of an abbreviation ("Sở Giáo dục và Đào tạo" → SGDĐT).
_SKIPPED_WORDS = {"và", "của", "số"}
# The word for the kind of area left in front of a place once its name is taken out
# ("Phòng GD&ĐT TP Vinh").
_TRAILING_DESIGNATION = re.compile(
    r"(?:\s+(?:thành phố|thị xã|thị trấn|quận|huyện|tỉnh|xã|phường|đặc khu|tp|tx)\.?)+\s*$", re.IGNORECASE
)


def issuing_unit(user, program):
    """The unit in whose name the printed report is issued: the user's department
    (one organizing the program first), else their office, else their union; the
    program's first organizer for the site administrator."""
    scope = scope_for(user)
    organizers = list(program.organizers.select_related("area", "parent", "province"))
    for ids in (scope.department_ids, scope.officer_ids, scope.union_ids):
        if ids:
            organizing = [o for o in organizers if o.pk in ids]
            if organizing:
                return organizing[0]
            return (
                Organization.objects.select_related("area", "parent", "province")
                .filter(pk__in=ids)
                .order_by("name")
                .first()
            )
    return organizers[0] if organizers else None


def place_names(unit) -> list[str]:
    """The names of the unit's area and province as they appear in the names on a
    letterhead, longest first: "Quận Nam Từ Liêm", "Thành phố Hà Nội", "Nam Từ Liêm",
    "Hà Nội"."""
    areas = [area for area in (unit.area, unit.province if unit.province_id else None) if area is not None]
    return sorted({name for area in areas for name in (str(area), area.name)}, key=len, reverse=True)


def _phrase_pattern(phrase: str) -> str:
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in phrase.split()) + r"(?!\w)"


def keep_together(text: str, phrases) -> str:
    """``text`` with the spaces inside each of ``phrases`` (any case) made
    non-breaking, so that a printed line never ends inside a place name
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ / NỘI")."""
    for phrase in sorted({p for p in phrases if p and " " in p.strip()}, key=len, reverse=True):
        text = re.sub(_phrase_pattern(phrase), lambda m: NBSP.join(m.group(0).split()), text, flags=re.IGNORECASE)
    return text


def _without_marks(text: str) -> str:
    """Tone and vowel marks dropped, Đ kept: abbreviations are written "SGDĐT"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def abbreviation(name: str, places=()) -> str:
    """The abbreviation of a unit's name for the number line of its documents: the
    first letter of each word, upper-case words kept whole, the place and anything in
    brackets left out. "Sở Giáo dục và Đào tạo Hà Nội" → "SGDĐT", "Phòng GD&ĐT quận
    Nam Từ Liêm" → "PGDĐT", "Công đoàn Giáo dục Nghệ An" → "CĐGD", "Ủy ban nhân dân
    xã Nhôn Mai" → "UBND"."""
    text = re.sub(r"\([^)]*\)", " ", name or "")
    for place in sorted(places, key=len, reverse=True):
        text = re.sub(_phrase_pattern(place), " ", text, flags=re.IGNORECASE)
    text = _TRAILING_DESIGNATION.sub("", text.rstrip())
    letters = []
    for word in re.findall(r"[\w&]+", text):
        bare = word.replace("&", "")
        if not bare or word.lower() in _SKIPPED_WORDS:
            continue
        if bare.isdigit() or (len(bare) > 1 and bare.isupper()):
            letters.append(bare)
        else:
            letters.append(bare[0].upper())
    return _without_marks("".join(letters))


def issuer_abbreviation(unit) -> str:
    """The abbreviation of the issuing unit's name ("" without a unit)."""
    if unit is None:
        return ""
    return abbreviation(unit.name, place_names(unit))


def superior_body(unit) -> str:
    """The body named above the issuer: a trade union's is the Labour Confederation
    of its province (the Vietnam General Confederation of Labour above a union with no
    province); a department or office answers to the People's Committee of its area;
    any other unit to its managing body."""
    if unit.kind == Organization.Kind.UNION:
        if unit.province_id:
            return _("Labour Confederation of %(area)s") % {"area": str(unit.province)}
        return _("Vietnam General Confederation of Labour")
    if unit.kind in (Organization.Kind.DEPARTMENT, Organization.Kind.OFFICE) and unit.area_id:
        return _("People's Committee of %(area)s") % {"area": str(unit.area)}
    return unit.parent.name if unit.parent_id else ""


def signer_name(unit) -> str:
    """The typed name under the signature: the head's name recorded on the unit,
    else the person whose current role in the unit is its head (a membership titled
    "Giám đốc", "Trưởng phòng", "Chủ tịch"; a cluster's head); "" when nobody is
    known, and the space is left for the name to be written by hand. Never merely
    the person who prints the document: staff draft, the head signs. One query at
    most, none when the unit records its head."""
    if unit.head_name:
        return unit.head_name
    if unit.kind not in HEAD_TITLES and unit.kind != Organization.Kind.CLUSTER:
        return ""
    roles = Membership.objects.current().filter(organization=unit).select_related("user").order_by("pk")
    head = next((role for role in roles if _is_head(role, unit)), None)
    return head.user.get_full_name() if head else ""


def _is_head(role, unit) -> bool:
    if unit.kind == Organization.Kind.CLUSTER:
        return role.role == Membership.Role.CLUSTER_HEAD
    return fold(role.title).startswith(HEAD_TITLES[unit.kind])


def _recipients(unit, program):
    """The "Nơi nhận" lines above the archive copy: a department sends the report to
    the offices taking part; an office or union to the bodies it reports to."""
    if unit.kind == Organization.Kind.DEPARTMENT:
        return [_("The units taking part in the movement")]
    lines = [o.name for o in program.organizers.all() if o.pk != unit.pk]
    if unit.kind == Organization.Kind.OFFICE and unit.area_id:
        lines.append(_("People's Committee of %(area)s") % {"area": str(unit.area)})
    return lines


def letterhead(user, program):
    """What the letterhead and the signature block of a printed document need (the
    template adds the kind of document, "BC" or "DS", to the number line), in
    Vietnamese whatever the page's language. Place names in the texts keep their words
    on one line."""
    with translation.override("vi"):
        return _letterhead(user, program)


def _letterhead(user, program):
    unit = issuing_unit(user, program)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "superior": "",
        "issuer": "",
        "issuer_code": "",
        "place": "",
        "today": today,
        # Decree 30: a day below 10 and the months January and February take a 0.
        "date_day": f"{today.day:02d}",
        "date_month": f"{today.month:02d}" if today.month < 3 else str(today.month),
        "signer_on_behalf": "",
        "signer_title": "",
        "signer_name": "",
        "recipients": [],
    }
    if unit is None:
        return context
    places = place_names(unit)
    on_behalf, title = SIGNER.get(unit.kind, ("", ""))
    context.update(
        superior=keep_together(superior_body(unit), places),
        issuer=keep_together(unit.name, places),
        issuer_code=issuer_abbreviation(unit),
        place=keep_together(unit.area.name, places) if unit.area_id else "",
        signer_on_behalf=str(on_behalf),
        signer_title=str(title),
        signer_name=signer_name(unit),
        recipients=_recipients(unit, program),
    )
    return context
