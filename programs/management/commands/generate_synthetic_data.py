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

    python manage.py generate_synthetic_data --pairs 10000 --activities 100000
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
    province = Area.objects.filter(slug=PROVINCE_SLUG).first()
    if province is not None:
        counts["areas"] = Area.objects.filter(parent=province).delete()[0] + 1
        province.delete()
    return counts


class Command(BaseCommand):
    help = "Generate (or --remove) a large SYNTHETIC, non-public movement to measure the reports."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=10_000, help="School pairs to create (default 10 000).")
        parser.add_argument("--activities", type=int, default=100_000, help="Activities (default 100 000).")
        parser.add_argument("--offices", type=int, default=0, help="District offices (default: one per 100 pairs).")
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
        if options["pairs"] < 1 or options["activities"] < 0:
            raise CommandError("--pairs must be at least 1 and --activities at least 0.")
        self.random = random.Random(options["seed"])
        try:
            with transaction.atomic():
                counts = self.generate(options["pairs"], options["activities"], options["offices"])
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
        self.stdout.write(f"Synthetic data generated (program “{PROGRAM_SLUG}”, not public): {summary}.")

    # --- building --------------------------------------------------------------------
    def generate(self, n_pairs, n_activities, n_offices):
        rnd = self.random
        n_offices = max(2, n_offices or -(-n_pairs // 100))
        n_offices += n_offices % 2  # offices go in partnerships of two
        province = Area(name="Tỉnh giả lập", designation="tỉnh", kind=Area.Kind.PROVINCE, slug=PROVINCE_SLUG)
        province.save()
        districts = Area.objects.bulk_create(
            Area(
                name=f"Huyện giả lập {i:03d}",
                designation="huyện",
                kind=Area.Kind.DISTRICT,
                parent=province,
                slug=f"{PROVINCE_SLUG}-{i:03d}",
            )
            for i in range(n_offices)
        )
        department = self.org("Sở GD&ĐT (giả lập)", "department", "SYN-SO", province, None, "")
        department.save()
        offices = Organization.objects.bulk_create(
            self.org(f"Phòng GD&ĐT giả lập {i:03d}", "office", f"SYN-P{i:03d}", districts[i], department, "")
            for i in range(n_offices)
        )
        schools = []
        for i in range(n_pairs):
            helping = (i % (n_offices // 2)) * 2
            level = LEVELS[i % len(LEVELS)]
            for side, office_index in (("A", helping), ("B", helping + 1)):
                office = offices[office_index]
                schools.append(
                    self.org(
                        f"Trường giả lập {i:05d}{side}", "school", f"SYN-T{i:05d}{side}", office.area, office, level
                    )
                )
        schools = Organization.objects.bulk_create(schools, batch_size=BATCH)
        # Each unit's place as a dated fact, as Organization.save() records it one by one.
        Placement.objects.bulk_create(
            (Placement(organization=unit, parent=unit.parent, area=unit.area) for unit in [*offices, *schools]),
            batch_size=BATCH,
        )

        first_year = int(current_school_year()[:4]) - 1
        program = Program(
            name="Phong trào giả lập (dữ liệu tổng hợp để đo hiệu năng)",
            short_name="Phong trào giả lập",
            slug=PROGRAM_SLUG,
            description=NOTE,
            start_year=first_year,
            end_year=first_year + 3,
            is_public=False,
        )
        program.save()
        program.organizers.set([department])

        partnerships = Pair.objects.bulk_create(
            self.pair(program, offices[2 * i], offices[2 * i + 1], None, f"syn-o{i:05d}", "active")
            for i in range(n_offices // 2)
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
        years = [f"{first_year}-{first_year + 1}", f"{first_year + 1}-{first_year + 2}"]
        plan_items = self.plans(pairs[::2], years)
        activities = self.activities(pairs, n_activities, years, plan_items)
        donations = self.donations(program, pairs, years)
        reviews = self.reviews(pairs, years[0])
        user = get_user_model()(username=USERNAME, first_name="Tài khoản giả lập", last_name="(synthetic)")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organization=department, role=Membership.Role.DEPARTMENT_STAFF)
        return {
            "offices": len(offices),
            "schools": len(schools),
            "pairs": len(pairs) + len(partnerships),
            "activities": activities,
            "plan items": len(plan_items),
            "donations": donations,
            "reviews": reviews,
        }

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

    def activities(self, pairs, n, years, plan_items):
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
            batch.append(
                Activity(
                    pair=pair,
                    code=f"syn-a{i:07d}",
                    kind=rnd.choice(ActivityKind.values),
                    status=rnd.choice(statuses),
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

    def donations(self, program, pairs, years):
        rnd = self.random
        rows = []
        for i, pair in enumerate(pairs[::2]):
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
        return len(Donation.objects.bulk_create(rows, batch_size=BATCH))

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
