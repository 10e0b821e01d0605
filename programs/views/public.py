"""The public site: programs, pairs, units and activities for everyone.

Everything here is loaded through ``.public()`` query sets: drafts, unconfirmed or
non-public activities, pairs not yet active, non-public programs never reach these
templates, and neither do memorandum scans, receipts, donation descriptions and
private notes, internal notes or contact details (the templates never name those
fields). Support appears only as totals by kind. Each page uses a fixed number of
queries whatever the data size (tests/public/test_queries.py).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from programs.models import Activity, ActivityPhoto, Donation, Memorandum, Pair, Program
from programs.querysets import PUBLIC_PAIR_STATUSES, public_units
from programs.structure import attach_places
from programs.support import GROUP_BY as SUPPORT_GROUP_BY
from programs.support import SupportTotal
from programs.support import sums as support_sums
from schools.models import Organization
from twinning.lib.cache import cached_for_visitors
from twinning.lib.collation import vi_order
from twinning.lib.uploads import content_type_for

RECENT_ACTIVITIES = 12
TIMELINE_PAGE_SIZE = 20


def public_activities():
    """Public activities with what a list of them shows: sides, host, photos (one
    query for the photos of the whole page)."""
    return Activity.objects.public().select_related("pair__mentor", "pair__mentee", "host").prefetch_related("photos")


def support_totals(donations) -> dict:
    """{"by_kind": [(kind label, SupportTotal)], largest money first, "total": the
    SupportTotal of all} of a donation query set, in one query: money and gifts in
    kind apart (programs.support). Public pages show support only this way."""
    labels = dict(Donation.Kind.choices)
    kinds: dict[str, SupportTotal] = {}
    for row in donations.order_by().values("kind", *SUPPORT_GROUP_BY).annotate(**support_sums()):
        kinds.setdefault(row["kind"], SupportTotal()).add_row(row)
    total = SupportTotal()
    for kind_total in kinds.values():
        total += kind_total
    ranked = sorted(kinds.items(), key=lambda item: (-item[1].money, -item[1].records, item[0]))
    return {"by_kind": [(labels.get(kind, kind), kind_total) for kind, kind_total in ranked], "total": total}


def by_level(pairs):
    """[(level label, pairs)] of school pairs (Pair or SchoolPairRow), grouped by the
    helping school's level in the order of the levels (preschool first)."""
    order = [value for value, _label in Organization.Level.choices]
    labels = dict(Organization.Level.choices)
    groups: dict[str, list] = {}
    for pair in pairs:
        level = pair.level if isinstance(pair, SchoolPairRow) else pair.mentor.level
        groups.setdefault(level, []).append(pair)
    ranked = sorted(groups, key=lambda level: order.index(level) if level in order else len(order))
    return [(labels.get(level, ""), groups[level]) for level in ranked]


def _pair_summary(pair) -> str:
    """One sentence about a pair for the page description and link previews."""
    text = _("%(mentor)s helps %(mentee)s in the movement “%(program)s”.") % {
        "mentor": _with_area(pair.mentor, getattr(pair, "mentor_place", None)),
        "mentee": _with_area(pair.mentee, getattr(pair, "mentee_place", None)),
        "program": pair.program.display_name,
    }
    if pair.started_on:
        text += " " + _("Twinned since %(date)s.") % {"date": date_format(pair.started_on, "SHORT_DATE_FORMAT")}
    return text


def _unit_summary(organization, pair_count: int) -> str:
    what = organization.get_level_display() if organization.level else organization.get_kind_display()
    text = f"{organization.name} · {what}"
    if organization.area_id:
        text += f" · {organization.area}"
    if pair_count:
        text += ". " + ngettext(
            "Takes part in %(n)s twinning pair.", "Takes part in %(n)s twinning pairs.", pair_count
        ) % {"n": pair_count}
    return text


def _with_area(organization, place=None) -> str:
    """The unit with its area: the area of ``place`` (where it stood in the pair's
    time, see ``attach_places``) when given, else today's."""
    area = place.area if place is not None else organization.area
    return f"{organization.display_name} ({area})" if area is not None else organization.display_name


def _page(request, queryset, per_page):
    """The requested page of ``queryset``, its rows already read (so the view can look
    at them without a second query)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def first_photo(activities) -> str:
    """The path of the first photo among ``activities`` (photos prefetched), or ""."""
    for activity in activities:
        for photo in activity.photos.all():
            return reverse("public:photo", args=[photo.code, "full"])
    return ""


def _og(title, description, image="", kind="website") -> dict:
    return {"title": title, "description": description, "image": image, "type": kind}


# Up to this many school pairs the program page lists them all; above, it gives their
# numbers by level and partnership and links to the directory (a nation's movement
# holds 25 000: the page would weigh megabytes).
LISTED_SCHOOL_PAIRS = 300


def _level_counts(school_pairs, partnership_ids):
    """{partnership id or None: [(level, label, number of school pairs)]}, levels in
    their order. One query."""
    order = [value for value, _label in Organization.Level.choices]
    labels = dict(Organization.Level.choices)
    rows = school_pairs.order_by().values("parent_id", "mentor__level").annotate(n=Count("pk"))
    result: dict = {}
    for row in rows:
        key = row["parent_id"] if row["parent_id"] in partnership_ids else None
        result.setdefault(key, {}).setdefault(row["mentor__level"], 0)
        result[key][row["mentor__level"]] += row["n"]
    return {
        key: [
            (level, labels.get(level, ""), n)
            for level, n in sorted(levels.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
        ]
        for key, levels in result.items()
    }


@dataclass(frozen=True)
class SchoolPairRow:
    """A school pair as the program page lists it: a movement may hold a thousand, so
    they are read as plain values, not model instances."""

    url: str
    status: str
    parent_id: int | None
    mentor_id: int
    mentee_id: int
    mentor: str
    mentee: str
    level: str


def _school_pair_rows(pairs, limit=None) -> list[SchoolPairRow]:
    # reverse() once, not a thousand times: codes are lower-case letters and digits.
    url = reverse("public:pair-detail", kwargs={"code": "CODE"})
    rows = (
        pairs.school_pairs()
        .order_by(vi_order("mentor__name"), vi_order("mentee__name"))
        .values_list(
            "code",
            "status",
            "parent_id",
            "mentor_id",
            "mentee_id",
            "mentor__short_name",
            "mentor__name",
            "mentee__short_name",
            "mentee__name",
            "mentor__level",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        SchoolPairRow(
            url.replace("CODE", code),
            status,
            parent_id,
            mentor_id,
            mentee_id,
            m_short or m_name,
            e_short or e_name,
            level,
        )
        for code, status, parent_id, mentor_id, mentee_id, m_short, m_name, e_short, e_name, level in rows
    ]


@require_safe
@cached_for_visitors
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.public().prefetch_related("organizers"), slug=slug)
    pairs = Pair.objects.public().filter(program=program)
    partnerships = list(
        pairs.office_partnerships().select_related("program", "mentor", "mentee").order_by(vi_order("mentor__name"))
    )
    partnership_ids = {p.pk for p in partnerships}
    attach_places(partnerships)
    school = pairs.school_pairs()
    school_pairs = _school_pair_rows(pairs, limit=LISTED_SCHOOL_PAIRS + 1)
    listed = len(school_pairs) <= LISTED_SCHOOL_PAIRS
    if listed:
        # A movement of a district or a province: every school pair, by level.
        school_count = len(school_pairs)
        school_sides = len({side for row in school_pairs for side in (row.mentor_id, row.mentee_id)})
        children: dict[int, list] = {}
        loose_school_pairs = []
        for row in school_pairs:
            if row.parent_id in partnership_ids:
                children.setdefault(row.parent_id, []).append(row)
            else:
                loose_school_pairs.append(row)
        for partnership in partnerships:
            partnership.school_pairs_by_level = by_level(children.get(partnership.pk, []))
            partnership.school_pair_count = len(children.get(partnership.pk, []))
        loose_by_level, level_counts = by_level(loose_school_pairs), []
    else:
        # A nation's movement: counts by level here; the pairs themselves are searched
        # and paged in the directory (and listed on each partnership's page).
        school_count = school.count()
        school_sides = Organization.objects.filter(
            Q(pk__in=school.values("mentor_id")) | Q(pk__in=school.values("mentee_id"))
        ).count()
        counts = _level_counts(school, partnership_ids)
        for partnership in partnerships:
            partnership.school_pairs_by_level = []
            partnership.level_counts = counts.get(partnership.pk, [])
            partnership.school_pair_count = sum(n for _level, _label, n in partnership.level_counts)
        loose_by_level, level_counts = [], counts.get(None, [])
    activities = public_activities().filter(pair__program=program)
    recent = list(activities[:RECENT_ACTIVITIES])
    description = program.description or _("Phase %(phase)s") % {"phase": program.phase_display}
    context = {
        "program": program,
        "og": _og(program.name, description, first_photo(recent)),
        "partnerships": partnerships,
        "school_pairs_by_level": loose_by_level,
        "level_counts": level_counts,
        "listed": listed,
        "counts": {
            "partnerships": len(partnerships),
            "school_pairs": school_count,
            "schools": school_sides,
            "activities": activities.count(),
        },
        "activities": recent,
        "support": support_totals(Donation.objects.public().filter(program=program)),
        "gap_trends": _public_gap_trends(pairs),
    }
    return render(request, "public/program_detail.html", context)


def _public_gap_trends(pairs):
    """Counts of public school pairs that narrowed, held or widened the gap, for the
    indicators the Departments marked public: aggregates only, never a school's value."""
    from outcomes.models import Indicator
    from outcomes.reads import trend_counts
    from twinning.lib.schoolyear import current_school_year

    return trend_counts(pairs, current_school_year(), indicators=Indicator.objects.filter(is_public=True))


@require_safe
@cached_for_visitors
def pair_detail(request, code):
    pair = get_object_or_404(
        Pair.objects.public().select_related(
            "program", "mentor__area__parent", "mentee__area__parent", "parent__mentor", "parent__mentee"
        ),
        code=code,
    )
    attach_places([pair])
    parent = pair.parent if pair.parent_id and pair.parent.status in PUBLIC_PAIR_STATUSES else None
    # A school pair often has no memorandum of its own: its two offices signed one for
    # the partnership. Show that one then, saying so.
    covering = [pair.pk] + ([parent.pk] if parent else [])
    through = Memorandum.pairs.through
    memoranda = list(
        Memorandum.objects.filter(pk__in=through.objects.filter(pair_id__in=covering).values("memorandum_id"))
        .annotate(covers_pair=Exists(through.objects.filter(memorandum=OuterRef("pk"), pair=pair)))
        .prefetch_related("signatories__organization")
        .order_by("signed_on", "pk")
    )
    own_memoranda = [m for m in memoranda if m.covers_pair]
    # An office partnership's page gathers what its school pairs did and received.
    family = Q(pair=pair) | Q(pair__parent=pair) if pair.is_office_partnership else Q(pair=pair)
    school_pairs = []
    if pair.is_office_partnership:
        school_pairs = list(
            Pair.objects.public()
            .filter(parent=pair)
            .select_related("mentor", "mentee")
            .order_by(vi_order("mentor__name"))
        )
    activities = _page(request, public_activities().filter(family), TIMELINE_PAGE_SIZE)
    context = {
        "pair": pair,
        "og": _og(str(pair), _pair_summary(pair), first_photo(activities.object_list)),
        "parent": parent,
        "memoranda": own_memoranda or memoranda,
        "memoranda_of_parent": bool(memoranda) and not own_memoranda,
        "activities": activities,
        "school_pairs_by_level": by_level(school_pairs),
        "school_pair_count": len(school_pairs),
        "support": support_totals(Donation.objects.public().filter(family)),
    }
    return render(request, "public/pair_detail.html", context)


@require_safe
@cached_for_visitors
def organization_detail(request, slug):
    organization = get_object_or_404(
        public_units(Organization.objects).select_related("area__parent", "parent", "successor"), slug=slug
    )
    pairs = list(
        Pair.objects.public()
        .involving([organization.pk])
        .select_related("program", "mentor", "mentee")
        .with_public_activity_count()
        .order_by("-program__start_year", vi_order("program__name"), vi_order("mentor__name"))
    )
    attach_places(pairs)
    for pair in pairs:
        pair.partner = pair.other_side(organization)
        pair.role = "mentor" if pair.mentor_id == organization.pk else "mentee"
        pair.partner_place = pair.mentee_place if pair.role == "mentor" else pair.mentor_place
    # By the ids of its public pairs (read just above; a public activity belongs to a
    # public pair) or as host: two indexes, where an OR over the pairs' sides would
    # scan every public activity.
    activities = public_activities().filter(Q(pair_id__in=[p.pk for p in pairs]) | Q(host=organization))
    activities = _page(request, activities, TIMELINE_PAGE_SIZE)
    context = {
        "organization": organization,
        "og": _og(organization.display_name, _unit_summary(organization, len(pairs)), first_photo(activities)),
        "pairs": pairs,
        "activities": activities,
        "schools_taking_part": (
            list(public_units(Organization.objects).schools().filter(parent=organization).select_related("area"))
            if organization.is_office
            else []
        ),
        "programs_organized": list(organization.organized_programs.public()),
        # Where it stood before: a school that passed from its district office to a
        # commune People's Committee says so.
        "earlier_placements": list(
            organization.placements.filter(valid_until__isnull=False)
            .select_related("parent", "area__parent")
            .order_by("-valid_until")
        ),
    }
    return render(request, "public/organization_detail.html", context)


@require_safe
def activity_detail(request, code):
    activity = get_object_or_404(
        public_activities().select_related("pair__program", "pair__mentor__area", "pair__mentee__area"), code=code
    )
    photos = list(activity.photos.all())
    context = {
        "activity": activity,
        "og": _og(activity.title, activity.description or activity.title, first_photo([activity]), "article"),
        "photos": photos,
        "other_activities": (
            Activity.objects.public()
            .filter(pair=activity.pair_id)
            .exclude(pk=activity.pk)
            .order_by("-happened_on", "-pk")[:5]
        ),
    }
    return render(request, "public/activity_detail.html", context)


@require_safe
def photo(request, code, size):
    """An activity photo ("full" or "thumb"): to everyone when its activity is public,
    otherwise only to staff who may see the activity."""
    if size not in ("full", "thumb"):
        raise Http404
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), code=code)
    is_public = Activity.objects.public().filter(pk=photo.activity_id).exists()
    if not is_public and not Activity.objects.visible_to(request.user).filter(pk=photo.activity_id).exists():
        raise Http404
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(field.name))
    if is_public:
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response
