"""Generate (or remove) SYNTHETIC data to measure the reports at scale.

Why: the dashboard and the annual summary workbook promise a fixed number of queries
and must stay fast with a whole province's movement (10 000 pairs, 100 000
activities). The demo data is far too small to show that, so this command builds a
large, clearly fake movement to measure against (see benchmarks/annual_summary.py).

Everything it creates is marked: a separate NON-PUBLIC program, its own province
“Tỉnh giả lập”, names ending in “(giả lập)”, codes starting with “syn-”/“SYN-”, and a
note saying the data is synthetic. A department-staff account ``synthetic.sogd``
(no usable password: it cannot log in) sees exactly that province, for benchmarks.
``--remove`` deletes all of it and nothing else.

``--provinces N`` spreads the movement over N synthetic provinces (each with its
department; offices and their schools are dealt out among them, partners stay in one
province), as a national portal would hold it; ``synthetic.sogd`` then sees the first
province only. ``--donations`` sets how many support records (default one per two
pairs). ``--public`` makes the program public and its confirmed activities shown
publicly, to measure the public site (benchmarks/national.py): only on a database
made for benchmarks, never on one that serves the public.

    python manage.py generate_synthetic_data --pairs 10000 --activities 100000
    python manage.py generate_synthetic_data --pairs 25000 --activities 500000 --donations 100000 --provinces 34
    python manage.py generate_synthetic_data --remove
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from programs.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Donation,
    Memorandum,
    Pair,
    Plan,
    PlanItem,
    Program,
    Review,
)
from programs.summaries import PairLatestActivity, PairYear, recount
from schools.models import Area, Membership, Organization, Placement
from twinning.lib.schoolyear import current_school_year, school_year_bounds
from twinning.lib.text import fold

PROGRAM_SLUG = "synthetic-du-lieu-gia-lap"
PROVINCE_SLUG = "synthetic-tinh-gia-lap"
CODE_PREFIX = "SYN-"
USERNAME = "synthetic.sogd"
NOTE = "Dữ liệu giả lập để đo hiệu năng báo cáo — không phải dữ liệu thật (synthetic data)."
BATCH = 2000
LEVELS = ("preschool", "primary", "lower_secondary")


class DryRun(Exception):
    pass


def remove_synthetic():
    """Deletes every synthetic row; returns how many of each were deleted. Uses raw
    deletes for the big tables: per-row delete signals (history) would take minutes
    and record nothing worth keeping."""
    counts = {}
    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is not None:
        pairs = Pair.objects.filter(program=program)
        reviews = Review.objects.filter(pair__in=pairs)
        steps = [
            ("commendation links", Review.commendation_activities.through.objects.filter(review__in=reviews)),
            ("reviews", reviews),
            ("memorandum links", Memorandum.pairs.through.objects.filter(pair__in=pairs)),
            ("photos", ActivityPhoto.objects.filter(activity__pair__in=pairs)),
            ("activities", Activity.objects.filter(pair__in=pairs)),
            ("plan items", PlanItem.objects.filter(plan__pair__in=pairs)),
            ("plans", Plan.objects.filter(pair__in=pairs)),
            ("pair figures", PairYear.objects.filter(pair__in=pairs)),
            ("pairs' latest activities", PairLatestActivity.objects.filter(pair__in=pairs)),
            ("donations", Donation.objects.filter(program=program)),
            ("school pairs", pairs.filter(parent__isnull=False)),
            ("office partnerships", pairs),
        ]
        for label, queryset in steps:
            counts[label] = queryset._raw_delete(queryset.db)
        program.organizers.clear()
        program.delete()
        counts["programs"] = 1
    counts["accounts"] = get_user_model().objects.filter(username=USERNAME).delete()[0]
    organizations = Organization.objects.filter(code__startswith=CODE_PREFIX)
    Membership.objects.filter(organization__in=organizations).delete()
    for kind in ("school", "office", "department"):
        counts[f"{kind} units"] = organizations.filter(kind=kind).delete()[0]
    areas = Area.objects.filter(slug__startswith=PROVINCE_SLUG)
    districts = areas.filter(parent__isnull=False).delete()[0]
    provinces = areas.delete()[0]
    if districts or provinces:
        counts["areas"] = districts + provinces
    return counts


class Command(BaseCommand):
    help = "Generate (or --remove) a large SYNTHETIC, non-public movement to measure the reports."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=10_000, help="School pairs to create (default 10 000).")
        parser.add_argument("--activities", type=int, default=100_000, help="Activities (default 100 000).")
        parser.add_argument("--offices", type=int, default=0, help="District offices (default: one per 100 pairs).")
        parser.add_argument("--donations", type=int, default=None, help="Support records (default: pairs / 2).")
        parser.add_argument("--provinces", type=int, default=1, help="Synthetic provinces to spread over (default 1).")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Make the program public and its confirmed activities shown (benchmark databases only).",
        )
        parser.add_argument("--seed", type=int, default=5, help="Random seed, for repeatable data.")
        parser.add_argument("--remove", action="store_true", help="Delete all synthetic data, and nothing else.")
        parser.add_argument("--dry-run", action="store_true", help="Build everything, then roll back.")

    def handle(self, *args, **options):
        if options["remove"]:
            with transaction.atomic():
                counts = remove_synthetic()
            summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
            self.stdout.write(f"Synthetic data removed: {summary or 'there was none'}.")
            return
        if Program.objects.filter(slug=PROGRAM_SLUG).exists():
            raise CommandError("Synthetic data already exists: run with --remove first.")
        if options["pairs"] < 1 or options["activities"] < 0 or options["provinces"] < 1:
            raise CommandError("--pairs and --provinces must be at least 1 and --activities at least 0.")
        if options["donations"] is not None and options["donations"] < 0:
            raise CommandError("--donations must be at least 0.")
        self.random = random.Random(options["seed"])
        try:
            with transaction.atomic():
                counts = self.generate(
                    options["pairs"],
                    options["activities"],
                    options["offices"],
                    n_donations=options["donations"],
                    n_provinces=options["provinces"],
                    public=options["public"],
                )
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing written.")
            return
        # Fresh planner statistics: right after a bulk load PostgreSQL still believes
        # the program has a handful of pairs and picks nested loops that take minutes
        # (autovacuum would catch up later; a benchmark should not measure that).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        shown = "PUBLIC" if options["public"] else "not public"
        self.stdout.write(f"Synthetic data generated (program “{PROGRAM_SLUG}”, {shown}): {summary}.")

    # --- building --------------------------------------------------------------------
    def generate(self, n_pairs, n_activities, n_offices, n_donations=None, n_provinces=1, public=False):
        n_offices = max(2, n_offices or -(-n_pairs // 100), 2 * n_provinces)
        n_offices += n_offices % 2  # offices go in partnerships of two
        provinces, departments, offices, schools = self.units(n_pairs, n_offices, n_provinces)
        department = departments[0]
        first_year, program, partnerships, pairs = self.program_and_pairs(
            departments, offices, schools, n_pairs, public
        )
        years = [f"{first_year}-{first_year + 1}", f"{first_year + 1}-{first_year + 2}"]
        plan_items = self.plans(pairs[::2], years)
        activities = self.activities(pairs, n_activities, years, plan_items, public)
        n_donations = -(-len(pairs) // 2) if n_donations is None else n_donations
        donations = self.donations(program, pairs, years, n_donations)
        reviews = self.reviews(pairs, years[0])
        # bulk_create bypasses the signals that keep each pair's yearly figures.
        recount([p.pk for p in pairs])
        user = get_user_model()(username=USERNAME, first_name="Tài khoản giả lập", last_name="(synthetic)")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organization=department, role=Membership.Role.DEPARTMENT_STAFF)
        return {
            "provinces": len(provinces),
            "offices": len(offices),
            "schools": len(schools),
            "pairs": len(pairs) + len(partnerships),
            "activities": activities,
            "plan items": len(plan_items),
            "donations": donations,
            "reviews": reviews,
        }

    def units(self, n_pairs, n_offices, n_provinces):
        """The provinces, their departments, the offices (partners two by two, in one
        province) with a district each, and two schools per pair, each with its dated
        placement."""
        # The first province keeps the historical name and slug; the others are numbered.
        provinces = Area.objects.bulk_create(
            Area(
                name="Tỉnh giả lập" if k == 0 else f"Tỉnh giả lập {k + 1:02d}",
                designation="tỉnh",
                kind=Area.Kind.PROVINCE,
                slug=PROVINCE_SLUG if k == 0 else f"{PROVINCE_SLUG}-p{k + 1:02d}",
            )
            for k in range(n_provinces)
        )
        departments = Organization.objects.bulk_create(
            self.org(
                "Sở GD&ĐT (giả lập)" if k == 0 else f"Sở GD&ĐT {k + 1:02d} (giả lập)",
                "department",
                "SYN-SO" if k == 0 else f"SYN-SO{k + 1:02d}",
                province,
                None,
                "",
            )
            for k, province in enumerate(provinces)
        )

        def province_of(office_index):  # partners (2k, 2k + 1) stay in one province
            return (office_index // 2) % n_provinces

        districts = Area.objects.bulk_create(
            Area(
                name=f"Huyện giả lập {i:03d}",
                designation="huyện",
                kind=Area.Kind.DISTRICT,
                parent=provinces[province_of(i)],
                slug=f"{PROVINCE_SLUG}-{i:03d}",
            )
            for i in range(n_offices)
        )
        offices = Organization.objects.bulk_create(
            self.org(
                f"Phòng GD&ĐT giả lập {i:03d}",
                "office",
                f"SYN-P{i:03d}",
                districts[i],
                departments[province_of(i)],
                "",
            )
            for i in range(n_offices)
        )
        schools = self.schools(offices, n_pairs)
        self.placements([*departments, *offices, *schools])
        return provinces, departments, offices, schools

    def placements(self, units):
        """Each unit's place as a dated fact, as Organization.save() records it one by one."""
        Placement.objects.bulk_create(
            (Placement(organization=unit, parent=unit.parent, area=unit.area) for unit in units),
            batch_size=BATCH,
        )

    def schools(self, offices, n_pairs):
        """Two schools per pair, the helping one under an office and the helped one
        under its partner office, levels in turn."""
        schools = []
        for i in range(n_pairs):
            helping = (i % (len(offices) // 2)) * 2
            level = LEVELS[i % len(LEVELS)]
            for side, office_index in (("A", helping), ("B", helping + 1)):
                office = offices[office_index]
                schools.append(
                    self.org(
                        f"Trường giả lập {i:05d}{side}", "school", f"SYN-T{i:05d}{side}", office.area, office, level
                    )
                )
        return Organization.objects.bulk_create(schools, batch_size=BATCH)

    def program_and_pairs(self, departments, offices, schools, n_pairs, public):
        """The program (organized by every department), the office partnerships and
        the school pairs under them, most of them active."""
        rnd = self.random
        first_year = int(current_school_year()[:4]) - 1
        program = Program(
            name="Phong trào giả lập (dữ liệu tổng hợp để đo hiệu năng)",
            short_name="Phong trào giả lập",
            slug=PROGRAM_SLUG,
            description=NOTE,
            start_year=first_year,
            end_year=first_year + 3,
            is_public=public,
        )
        program.save()
        program.organizers.set(departments)

        partnerships = Pair.objects.bulk_create(
            self.pair(program, offices[2 * i], offices[2 * i + 1], None, f"syn-o{i:05d}", "active")
            for i in range(len(offices) // 2)
        )
        statuses = ["active"] * 90 + ["proposed"] * 5 + ["ended"] * 3 + ["declined"] * 2
        pairs = Pair.objects.bulk_create(
            (
                self.pair(
                    program,
                    schools[2 * i],
                    schools[2 * i + 1],
                    partnerships[i % len(partnerships)],
                    f"syn-s{i:06d}",
                    rnd.choice(statuses),
                )
                for i in range(n_pairs)
            ),
            batch_size=BATCH,
        )
        return first_year, program, partnerships, pairs

    @staticmethod
    def org(name, kind, code, area, parent, level):
        return Organization(
            name=name,
            short_name=name.replace("Trường ", ""),
            kind=kind,
            code=code,
            slug=code.lower(),
            area=area,
            province_id=area.parent_id or area.pk,
            parent=parent,
            level=level,
            note=NOTE,
            search_text=fold(f"{name} {code}"),
        )

    @staticmethod
    def pair(program, mentor, mentee, parent, code, status):
        return Pair(
            program=program,
            mentor=mentor,
            mentee=mentee,
            mentor_kind=mentor.kind,
            mentee_kind=mentee.kind,
            mentor_province_id=mentor.province_id,
            mentee_province_id=mentee.province_id,
            parent=parent,
            code=code,
            status=status,
            note=NOTE,
        )

    def plans(self, pairs, years):
        plans = Plan.objects.bulk_create(
            (Plan(pair=pair, school_year=year, status="accepted", note=NOTE) for pair in pairs for year in years),
            batch_size=BATCH,
        )
        items = []
        for plan in plans:
            first, _last = school_year_bounds(plan.school_year)
            for order in range(3):
                month = (first + datetime.timedelta(days=31 * (2 + 3 * order))).replace(day=1)
                items.append(
                    PlanItem(
                        plan=plan,
                        kind=self.random.choice(ActivityKind.values),
                        title=f"Nội dung kế hoạch giả lập {order + 1}",
                        planned_month=month,
                        order=order,
                    )
                )
        return PlanItem.objects.bulk_create(items, batch_size=BATCH)

    def activities(self, pairs, n, years, plan_items, public=False):
        rnd = self.random
        by_plan_pair = {}
        for item in plan_items:
            by_plan_pair.setdefault(item.plan.pair_id, []).append(item)
        statuses = ["confirmed"] * 70 + ["reported"] * 20 + ["draft"] * 5 + ["returned"] * 5
        bounds = [school_year_bounds(year) for year in years]
        today = timezone.localdate()
        created = 0
        batch = []
        for i in range(n):
            pair = pairs[i % len(pairs)]
            first, last = bounds[rnd.randrange(len(bounds))]
            last = min(last, today)
            day = first + datetime.timedelta(days=rnd.randrange(max(1, (last - first).days + 1)))
            candidates = by_plan_pair.get(pair.pk)
            kind, status = rnd.choice(ActivityKind.values), rnd.choice(statuses)  # in this order: same data
            batch.append(
                Activity(
                    pair=pair,
                    code=f"syn-a{i:07d}",
                    kind=kind,
                    status=status,
                    is_public=public and status == "confirmed",
                    happened_on=day,
                    title=f"Hoạt động giả lập {i + 1}",
                    host=pair.mentor,
                    teachers_count=rnd.randrange(2, 30),
                    students_count=rnd.randrange(0, 80),
                    managers_count=rnd.randrange(0, 5),
                    description=NOTE,
                    reported_by_org=pair.mentor,
                    plan_item=rnd.choice(candidates) if candidates and rnd.random() < 0.3 else None,
                )
            )
            if len(batch) == BATCH:
                Activity.objects.bulk_create(batch)
                created += len(batch)
                batch = []
        Activity.objects.bulk_create(batch)
        return created + len(batch)

    def donations(self, program, pairs, years, n):
        rnd = self.random
        rows = []
        created = 0
        for i in range(n):
            pair = pairs[(2 * i) % len(pairs)]
            first, _last = school_year_bounds(years[i % len(years)])
            own = i % 10 == 0  # some support stays within the donor's own district
            rows.append(
                Donation(
                    program=program,
                    pair=None if own else pair,
                    code=f"syn-d{i:06d}",
                    kind=rnd.choice(Donation.Kind.values),
                    amount=rnd.randrange(1, 200) * 500_000,
                    given_on=first + datetime.timedelta(days=rnd.randrange(300)),
                    donor_org=pair.mentor,
                    donor_name="",
                    recipient=pair.mentor if own else pair.mentee,
                    description=NOTE,
                    private_note="Ghi chú riêng giả lập.",
                )
            )
            if len(rows) == BATCH:
                created += len(Donation.objects.bulk_create(rows))
                rows = []
        return created + len(Donation.objects.bulk_create(rows))

    def reviews(self, pairs, year):
        rnd = self.random
        rows = []
        for pair in pairs:
            if pair.status != "active" or rnd.random() > 0.6:
                continue
            status = rnd.choice(["draft", "submitted", "forwarded", "rated"])
            rated = status == "rated"
            rows.append(
                Review(
                    pair=pair,
                    school_year=year,
                    status=status,
                    achievements=NOTE,
                    rating=rnd.choice(Review.Rating.values) if rated else "",
                    commended=rated and rnd.random() < 0.2,
                    commendation="Khen thưởng giả lập." if rated else "",
                )
            )
        return len(Review.objects.bulk_create(rows, batch_size=BATCH))
