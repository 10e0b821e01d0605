"""1. Data: the synthetic nation, generated once and reused when of the wanted size, and
the cast (accounts of each role, the rows shown) the pages are measured with."""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks.national_parts import NATION, PROGRAM_SLUG


def targets(scale: float, one_province: bool) -> dict:
    """The counts to generate: ``scale`` × the nation (at least 1 of each), over 34
    provinces or one."""
    wanted = {key: max(1, round(value * scale)) for key, value in NATION.items() if key != "provinces"}
    wanted["provinces"] = 1 if one_province else NATION["provinces"]
    return wanted


def current_counts() -> dict | None:
    """The counts of the synthetic data there and whether its program is public, or None
    when there is none."""
    from programs.models import Activity, Donation, Pair, Program
    from schools.models import Area

    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None:
        return None
    return {
        "pairs": Pair.objects.filter(program=program, parent__isnull=False).count(),
        "activities": Activity.objects.filter(pair__program=program).count(),
        "donations": Donation.objects.filter(program=program).count(),
        "provinces": Area.objects.filter(slug__startswith="synthetic-tinh-gia-lap", kind="province").count(),
        "public": program.is_public,
    }


def ensure_data(wanted: dict, regenerate: bool = False, verbosity: int = 1) -> float:
    """Generates the synthetic movement unless one of this size is there; returns the
    seconds spent generating (0 when reused)."""
    from django.core.management import call_command

    found = current_counts()
    if found is not None and not regenerate and found == {**wanted, "public": True}:
        if verbosity:
            print(f"reusing the synthetic data: {found}")
        return 0.0
    if found is not None:
        if verbosity:
            print(f"removing the synthetic data there ({found})")
        call_command("generate_synthetic_data", remove=True, verbosity=0)
    start = time.perf_counter()
    call_command(
        "generate_synthetic_data",
        pairs=wanted["pairs"],
        activities=wanted["activities"],
        donations=wanted["donations"],
        provinces=wanted["provinces"],
        public=True,
        verbosity=verbosity,
    )
    elapsed = time.perf_counter() - start
    if verbosity:
        print(f"generated in {elapsed:.0f} s (ANALYZE included)")
    return elapsed


@dataclass
class Cast:
    """Who and what the pages are measured with."""

    program: object
    year: str
    department: object  # synthetic.sogd
    officer: object
    principal: object
    superuser: object
    province: object
    pair: object
    school: object
    activity: object


def bench_cast() -> Cast:
    """The accounts of each role (made once, without password) and the rows shown."""
    from django.contrib.auth import get_user_model

    from programs.models import Activity, Pair, Program
    from schools.models import Membership, Organization
    from twinning.lib.schoolyear import current_school_year

    User = get_user_model()
    program = Program.objects.get(slug=PROGRAM_SLUG)
    department = User.objects.get(username="synthetic.sogd")
    dept_org = Membership.objects.filter(user=department).select_related("organization").first().organization
    pair = (
        Pair.objects.filter(program=program, parent__isnull=False, status="active", mentor__province=dept_org.area)
        .select_related("mentor", "mentee")
        .order_by("code")
        .first()
    )
    office = pair.mentor.parent

    def account(username, organization, role, **extra):
        user, created = User.objects.get_or_create(username=username, defaults=extra)
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, organization=organization, role=role)
        return user

    superuser, created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        superuser.set_unusable_password()
        superuser.save()
    first = int(current_school_year()[:4]) - 1
    return Cast(
        program=program,
        year=f"{first}-{first + 1}",
        department=department,
        officer=account("bench.office", office, Membership.Role.OFFICE_OFFICER),
        principal=account("bench.principal", pair.mentor, Membership.Role.PRINCIPAL),
        superuser=superuser,
        province=dept_org.area,
        pair=pair,
        school=Organization.objects.get(pk=pair.mentor_id),
        activity=Activity.objects.public().filter(pair=pair).order_by("code").first()
        or Activity.objects.public().order_by("code").first(),
    )
