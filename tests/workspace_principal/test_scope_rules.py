"""The scope rules issue 4 adds: who may change, confirm, review and read private data."""

from programs.models import Activity, Donation, PairYear, Plan, PlanItem
from schools.models import Organization
from schools.scope import scope_for
from tests import factories as f
from tests.workspace_principal.conftest import DAY


def test_it_lets_only_the_logging_side_change_an_activity_until_it_is_confirmed(cast, reported):
    u = cast.users
    editable = Activity.objects.editable_by
    assert reported in editable(u.principal_taymo)
    assert reported in editable(u.officer_ntl)  # Tây Mỗ's office acts for it
    assert reported in editable(u.staff_hn)
    for user in (u.principal_md, u.officer_md, u.teacher_taymo, u.officer_lb, u.union_na, u.outsider):
        assert reported not in editable(user), user
    reported.status = "confirmed"
    reported.save()
    assert reported not in editable(u.principal_taymo)


def test_it_lets_only_the_other_side_confirm(cast, reported):
    u = cast.users
    confirmable = Activity.objects.confirmable_by
    assert reported in confirmable(u.principal_md)
    assert reported in confirmable(u.officer_md)
    assert reported in confirmable(u.staff_hn)
    for user in (u.principal_taymo, u.officer_ntl, u.teacher_taymo, u.officer_lb, u.union_na, u.outsider):
        assert reported not in confirmable(user), user


def test_it_never_lets_someone_confirm_what_they_logged_themselves(cast):
    logged_by_department = f.activity(
        cast.taymo_md, happened_on=DAY, status="reported", reported_by_org=cast.taymo, created_by=cast.users.staff_hn
    )
    assert logged_by_department not in Activity.objects.confirmable_by(cast.users.staff_hn)
    assert logged_by_department in Activity.objects.confirmable_by(cast.users.principal_md)


def test_it_lets_either_side_confirm_an_activity_with_no_logging_side(cast):
    imported = f.activity(cast.taymo_md, happened_on=DAY, status="reported")
    assert imported in Activity.objects.confirmable_by(cast.users.principal_taymo)
    assert imported in Activity.objects.confirmable_by(cast.users.principal_md)


def test_it_confirms_only_reported_activities(cast, reported):
    for status in ("draft", "returned", "confirmed"):
        reported.status = status
        reported.save()
        assert not Activity.objects.confirmable_by(cast.users.principal_md).exists()


def test_it_lets_only_officers_review_plans(cast):
    plan = Plan.objects.create(pair=cast.taymo_md, school_year="2026-2027", status="submitted")
    u = cast.users
    assert set(Plan.objects.editable_by(u.principal_taymo)) == {plan}
    assert set(Plan.objects.editable_by(u.principal_md)) == {plan}
    for user in (u.officer_ntl, u.officer_md, u.staff_hn):
        assert plan in Plan.objects.approvable_by(user)
    for user in (u.principal_taymo, u.principal_md, u.teacher_taymo, u.officer_lb, u.union_na):
        assert plan not in Plan.objects.approvable_by(user)


def test_it_shows_the_private_note_only_to_the_two_sides_their_offices_and_the_department(cast, donation):
    u = cast.users
    private = Donation.objects.private_visible_to
    for user in (u.principal_taymo, u.teacher_taymo, u.principal_md, u.officer_ntl, u.officer_md, u.staff_hn):
        assert donation in private(user), user
    assert donation in private(u.superuser)
    for user in (u.union_na, u.officer_lb, u.principal_lb, u.staff_na, u.outsider):
        assert donation not in private(user), user


def test_it_hides_the_private_note_from_union_officers_who_see_the_donation(cast, union_seen_donation):
    donation = union_seen_donation
    assert donation in Donation.objects.visible_to(cast.users.union_na)
    assert donation not in Donation.objects.private_visible_to(cast.users.union_na)
    assert donation in Donation.objects.private_visible_to(cast.users.staff_na)


def test_it_answers_acts_for_as_the_acting_query_does(cast):
    organizations = list(Organization.objects.all())
    for user in vars(cast.users).values():
        scope = scope_for(user)
        in_query = set(Organization.objects.filter(scope.acting_org_q()))
        assert {org for org in organizations if scope.acts_for(org)} == in_query, user


def test_it_counts_a_plan_item_done_only_once_its_activity_is_confirmed(cast):
    plan = Plan.objects.create(pair=cast.taymo_md, school_year="2026-2027", status="submitted")
    item = PlanItem.objects.create(plan=plan, kind="demonstration", title="Chuyên đề", planned_month=DAY)
    activity = f.activity(cast.taymo_md, happened_on=DAY, status="draft", plan_item=item, reported_by_org=cast.taymo)

    def state():
        item_now = PlanItem.objects.with_done().get(pk=item.pk)
        kept = PairYear.objects.filter(pair=cast.taymo_md, school_year="2026-2027").values_list("done", flat=True)
        return item_now.is_done, item_now.is_waiting, kept.first() or 0

    assert state() == (False, False, 0)
    activity.status = "reported"  # sent, waiting for the partner's confirmation
    activity.save()
    assert state() == (False, True, 0)
    activity.status = "confirmed"
    activity.save()
    assert state() == (True, False, 1)


def test_it_shows_a_principal_the_activities_hosted_at_their_school_read_only(cast):
    # The office partnership holds its lesson at Tây Mỗ (the demo's 30 March 2023).
    hosted = f.activity(cast.ntl_md, host=cast.taymo, status="reported", reported_by_org=cast.office["ntl"])
    u = cast.users
    for user in (u.principal_taymo, u.teacher_taymo):
        assert hosted in Activity.objects.visible_to(user), user
        assert hosted not in Activity.objects.editable_by(user), user
        assert hosted not in Activity.objects.confirmable_by(user), user
    for user in (u.principal_md, u.principal_lb):
        assert hosted not in Activity.objects.visible_to(user), user
    # Only what the pair's own side would show: a draft stays with the side writing it.
    hosted.status = "draft"
    hosted.save()
    assert hosted not in Activity.objects.visible_to(u.principal_taymo)
