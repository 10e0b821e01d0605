"""Who may do what: every entry of the rules table (programs/rules.py) checked for
every role of the test cast, on an object of today's cross-province movement (the
``today`` fixture) — the QuerySet method the views use must say exactly what the
table says. A new rule without an expectation here fails the first test."""

import datetime

import pytest

from programs.models import Activity, Donation, Pair, Plan, Program, Review
from programs.rules import RULES
from tests import factories as f

# (object, action) → (the QuerySet method that applies the rule, who may, by user name)
EXPECTED = {
    ("pair", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("pair", "change"): ("editable_by", {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean"}),
    # A proposal registered by Đại Mỗ's committee to a Nhôn Mai school outside the
    # cluster: its committee or either Department answers, not the registering side.
    ("pair", "answer"): ("answerable_by", {"root", "sogd.hn", "sogd.na", "ubnd.nhonmai"}),
    ("pair", "act"): (
        "actionable_by",
        {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo", "ht.nhonmai"},
    ),
    ("pair", "write"): (
        "review_writable_by",
        {"root", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo", "ht.nhonmai"},
    ),
    # An activity the Hà Nội school reported, waiting for Nhôn Mai's confirmation.
    ("activity", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("activity", "change"): ("editable_by", {"root", "sogd.hn", "ubnd.daimo", "ht.daimo"}),
    ("activity", "confirm"): (
        "confirmable_by",
        {"root", "sogd.hn", "sogd.na", "ubnd.nhonmai", "cum1.nghean", "ht.nhonmai"},
    ),
    # Support the Hà Nội school recorded for the Nhôn Mai school.
    ("donation", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("donation", "change"): (
        "editable_by",
        {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo"},
    ),
    ("donation", "read_private"): (
        "private_visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("plan", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("plan", "change"): (
        "editable_by",
        {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo", "ht.nhonmai"},
    ),
    ("plan", "approve"): ("approvable_by", {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean"}),
    ("review", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("review", "change"): (
        "editable_by",
        {"root", "sogd.hn", "sogd.na", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo", "ht.nhonmai"},
    ),
    ("review", "write"): (
        "writable_by",
        {"root", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean", "ht.daimo", "ht.nhonmai"},
    ),
    ("review", "forward"): ("forwardable_by", {"root", "ubnd.daimo", "ubnd.nhonmai", "cum1.nghean"}),
    ("review", "rate"): ("ratable_by", {"root", "sogd.hn", "sogd.na"}),
    # The 2025–2030 phase, organized by Hà Nội's Department.
    ("program", "view"): (
        "visible_to",
        {
            "root",
            "sogd.hn",
            "sogd.na",
            "ubnd.daimo",
            "ubnd.nhonmai",
            "cum1.nghean",
            "ht.daimo",
            "ht.nhonmai",
            "gv.nhonmai",
        },
    ),
    ("program", "register"): (
        "open_for_registration_by",
        # Hà Nội staff and officers (an organizing province); Nghệ An's who manage a side.
        {
            "root",
            "sogd.hn",
            "ubnd.daimo",
            "phong.ntl",
            "phong.md",
            "phong.lb",
            "phong.ml",
            "sogd.na",
            "ubnd.nhonmai",
            "cum1.nghean",
        },
    ),
    ("program", "change"): ("editable_by", {"root", "sogd.hn"}),
}

MODELS = {"pair": Pair, "activity": Activity, "donation": Donation, "plan": Plan, "review": Review, "program": Program}


def test_every_rule_has_an_expectation():
    assert set(EXPECTED) == set(RULES)


@pytest.fixture
def objects(cast, today):
    proposal = f.pair(
        today.program,
        today.school_hn,
        today.school_na,
        status=Pair.Status.PROPOSED,
        proposed_by_org=today.committee_hn,
    )
    activity = f.activity(
        today.pair,
        status="reported",
        happened_on=datetime.date(2025, 11, 20),
        reported_by_org=today.school_hn,
        created_by=today.users.principal_hn,
    )
    donation = f.donation(
        today.program,
        today.boarding,
        pair=today.pair,
        donor_org=today.school_hn,
        recorded_by_org=today.school_hn,
        given_on=datetime.date(2025, 12, 1),
        private_note="Em A, lớp 3",
    )
    plan = Plan.objects.create(pair=today.pair, school_year="2025-2026")
    review = Review.objects.create(pair=today.pair, school_year="2025-2026", status="submitted")
    return {
        "pair": today.pair,
        "pair.answer": proposal,
        "activity": activity,
        "donation": donation,
        "plan": plan,
        "review": review,
        "program": today.program,
    }


def everyone(cast, today):
    return [*vars(cast.users).values(), *vars(today.users).values()]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_it_applies_the_rule_to_every_role(cast, today, objects, rule):
    obj_name, action = rule
    method, allowed = EXPECTED[rule]
    obj = objects.get(f"{obj_name}.{action}", objects[obj_name])
    manager = MODELS[obj_name].objects
    for user in everyone(cast, today):
        found = getattr(manager, method)(user).filter(pk=obj.pk).exists()
        assert found == (user.username in allowed), f"{rule} {method} for {user.username}: {found}"


def test_the_narrow_activity_list_sees_what_the_rule_sees(cast, today, objects):
    f.activity(cast.taymo_md, title="Bản nháp của Tây Mỗ", status="draft", reported_by_org=cast.taymo)
    f.activity(cast.ntl_md, title="Chuyên đề tại trường", host=cast.taymo)
    for user in everyone(cast, today):
        by_rule = set(Activity.objects.visible_to(user).values_list("pk", flat=True))
        narrow = set(Activity.objects.visible_to(user, narrow=True).values_list("pk", flat=True))
        assert narrow == by_rule, user.username
