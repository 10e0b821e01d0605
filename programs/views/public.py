"""The public site: programs, pairs, units and activities for everyone.

Everything here is loaded through ``.public()`` query sets: drafts, unconfirmed or
non-public activities, pairs not yet active, non-public programs, scans, receipts,
private notes and contact details never reach these templates. Each page uses a
fixed number of queries whatever the data size.
"""

from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from programs.models import Activity, ActivityPhoto, Donation, Pair, Program
from schools.models import Organization
from twinning.lib.uploads import content_type_for

RECENT_ACTIVITIES = 12


def _support_by_kind(donations):
    """[(kind label, total, count)] of a donation query set, largest first."""
    labels = dict(Donation.Kind.choices)
    rows = donations.order_by().values("kind").annotate(total=Sum("amount"), n=Count("pk")).order_by("-total")
    return [(labels.get(row["kind"], row["kind"]), row["total"], row["n"]) for row in rows]


def _public_activities():
    return Activity.objects.public().select_related("pair__mentor", "pair__mentee", "host").prefetch_related("photos")


@require_safe
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.public().prefetch_related("organizers"), slug=slug)
    pairs = list(
        Pair.objects.public()
        .filter(program=program)
        .select_related("mentor__area", "mentee__area")
        .order_by("mentor__name", "mentee__name")
    )
    partnerships = [p for p in pairs if p.is_office_partnership]
    children = {}
    loose_school_pairs = []
    for pair in pairs:
        if pair.is_office_partnership:
            continue
        if pair.parent_id and any(p.pk == pair.parent_id for p in partnerships):
            children.setdefault(pair.parent_id, []).append(pair)
        else:
            loose_school_pairs.append(pair)
    for partnership in partnerships:
        partnership.school_pairs = _by_level(children.get(partnership.pk, []))
    donations = Donation.objects.public().filter(program=program)
    context = {
        "program": program,
        "partnerships": partnerships,
        "school_pairs_by_level": _by_level(loose_school_pairs),
        "activities": _public_activities().filter(pair__program=program)[:RECENT_ACTIVITIES],
        "support_by_kind": _support_by_kind(donations),
        "support_total": donations.aggregate(total=Sum("amount"))["total"] or 0,
    }
    return render(request, "public/program_detail.html", context)


def _by_level(pairs):
    """Groups school pairs by the helping school's level, in the order of the levels."""
    order = [value for value, _label in Organization.Level.choices]
    labels = dict(Organization.Level.choices)
    groups: dict[str, list] = {}
    for pair in pairs:
        groups.setdefault(pair.mentor.level, []).append(pair)
    return [
        (labels.get(level, ""), groups[level])
        for level in sorted(groups, key=lambda lv: (lv not in order, order.index(lv) if lv in order else 0))
    ]


@require_safe
def pair_detail(request, code):
    pair = get_object_or_404(
        Pair.objects.public().select_related(
            "program", "mentor__area", "mentee__area", "parent__mentor", "parent__mentee"
        ),
        code=code,
    )
    memoranda = pair.memoranda.prefetch_related("signatories__organization").order_by("signed_on")
    donations = Donation.objects.public().filter(pair=pair)
    context = {
        "pair": pair,
        "memoranda": memoranda,
        "activities": _public_activities().filter(pair=pair).order_by("-happened_on", "-pk"),
        "school_pairs": Pair.objects.public().filter(parent=pair).select_related("mentor", "mentee"),
        "support_by_kind": _support_by_kind(donations),
        "support_total": donations.aggregate(total=Sum("amount"))["total"] or 0,
    }
    return render(request, "public/pair_detail.html", context)


@require_safe
def organization_detail(request, slug):
    public_pairs = Pair.objects.public()
    organization = get_object_or_404(
        Organization.objects.select_related("area", "parent").filter(
            Q(pk__in=public_pairs.values("mentor_id"))
            | Q(pk__in=public_pairs.values("mentee_id"))
            | Q(pk__in=Program.objects.public().values("organizers"))
        ),
        slug=slug,
    )
    pairs = (
        public_pairs.involving([organization.pk])
        .select_related("program", "mentor__area", "mentee__area")
        .order_by("-program__start_year", "mentor__name")
    )
    activities = _public_activities().filter(Q(pair__mentor=organization) | Q(pair__mentee=organization))
    context = {
        "organization": organization,
        "pairs": pairs,
        "activities": activities.order_by("-happened_on", "-pk")[:RECENT_ACTIVITIES],
    }
    return render(request, "public/organization_detail.html", context)


@require_safe
def activity_detail(request, code):
    activity = get_object_or_404(
        _public_activities().select_related("pair__program", "pair__mentor__area", "pair__mentee__area"), code=code
    )
    return render(request, "public/activity_detail.html", {"activity": activity, "photos": activity.photos.all()})


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
