"""Small builders for test data with readable, deterministic values."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from programs.models import Activity, Donation, Pair, Program
from schools.models import Area, Membership, Organization

_counter = itertools.count(1)


def area(name, kind=Area.Kind.DISTRICT, parent=None, designation=""):
    obj = Area(name=name, kind=kind, parent=parent, designation=designation)
    obj.full_clean(exclude=["slug"])
    obj.save()
    return obj


def org(name, kind=Organization.Kind.SCHOOL, *, area=None, parent=None, level=None, code="", **extra):
    if level is None:
        level = Organization.Level.LOWER_SECONDARY if kind == Organization.Kind.SCHOOL else ""
    obj = Organization(name=name, kind=kind, area=area, parent=parent, level=level, code=code, **extra)
    obj.full_clean(exclude=["slug"])
    obj.save()
    return obj


def program(name="Chương trình thử", start_year=2022, end_year=2025, organizers=(), is_public=True):
    obj = Program(name=name, start_year=start_year, end_year=end_year, is_public=is_public)
    obj.full_clean(exclude=["slug"])
    obj.save()
    obj.organizers.set(organizers)
    return obj


def pair(program, mentor, mentee, *, status=Pair.Status.ACTIVE, parent=None, **extra):
    obj = Pair(program=program, mentor=mentor, mentee=mentee, status=status, parent=parent, **extra)
    obj.full_clean()
    obj.save()
    return obj


def activity(
    pair,
    *,
    title="Chuyên đề thử",
    happened_on=datetime.date(2023, 3, 30),
    status="confirmed",
    is_public=True,
    kind=Activity.Kind.DEMONSTRATION,
    **extra,
):
    obj = Activity(
        pair=pair, title=title, happened_on=happened_on, status=status, is_public=is_public, kind=kind, **extra
    )
    obj.full_clean()
    obj.save()
    return obj


def donation(
    program,
    recipient,
    *,
    amount=10_000_000,
    kind=Donation.Kind.GIFT,
    donor_org=None,
    donor_name="",
    given_on=datetime.date(2023, 3, 30),
    pair=None,
    **extra,
):
    obj = Donation(
        program=program,
        recipient=recipient,
        amount=amount,
        kind=kind,
        donor_org=donor_org,
        donor_name=donor_name or ("" if donor_org else "Nhà hảo tâm"),
        given_on=given_on,
        pair=pair,
        **extra,
    )
    obj.full_clean()
    obj.save()
    return obj


def user(username, *, role=None, organization=None, password="test-pass-123", **extra):
    obj = get_user_model().objects.create_user(username=username, password=password, **extra)
    if role:
        Membership.objects.create(user=obj, organization=organization, role=role)
    return obj
