"""Who sees and may change what (schools.scope), through the QuerySet methods."""

import pytest

from programs.models import Activity, Donation, Memorandum, Pair, Program
from schools.models import Organization
from schools.scope import scope_for
from tests import factories as f


def test_it_scopes_pairs_by_role(cast):
    u = cast.users

    def visible(user):
        return set(Pair.objects.visible_to(user))

    assert visible(u.superuser) == set(Pair.objects.all())
    assert visible(u.staff_hn) == {cast.ntl_md, cast.lb_ml, cast.taymo_md}
    assert visible(u.staff_na) == set()
    assert visible(u.officer_ntl) == {cast.ntl_md, cast.taymo_md}
    assert visible(u.officer_md) == {cast.ntl_md, cast.taymo_md}
    assert visible(u.officer_lb) == {cast.lb_ml}
    assert visible(u.principal_taymo) == {cast.taymo_md}
    assert visible(u.teacher_taymo) == {cast.taymo_md}
    assert visible(u.principal_lb) == set()
    assert visible(u.outsider) == set()


def test_it_lets_only_officers_and_department_manage_pairs(cast):
    u = cast.users
    assert set(Pair.objects.editable_by(u.officer_ntl)) == {cast.ntl_md, cast.taymo_md}
    assert set(Pair.objects.editable_by(u.staff_hn)) == {cast.ntl_md, cast.lb_ml, cast.taymo_md}
    for user in (u.principal_taymo, u.teacher_taymo, u.union_na, u.outsider):
        assert not Pair.objects.editable_by(user).exists()
    assert set(Pair.objects.actionable_by(u.principal_taymo)) == {cast.taymo_md}
    assert not Pair.objects.actionable_by(u.teacher_taymo).exists()


def test_it_shows_union_officers_the_programs_they_co_organize(cast):
    pair = f.pair(
        cast.program_na, cast.office_vinh, f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na)
    )
    assert set(Pair.objects.visible_to(cast.users.union_na)) == {pair}
    assert set(Program.objects.visible_to(cast.users.union_na)) == {cast.program_na}
    assert set(Program.objects.visible_to(cast.users.officer_ntl)) == {cast.program}


def test_it_scopes_organizations(cast):
    u = cast.users
    officer = set(Organization.objects.visible_to(u.officer_ntl))
    assert officer == {cast.office["ntl"], cast.taymo}
    assert cast.taymo in Organization.objects.visible_to(u.staff_hn)
    assert cast.school_vinh not in Organization.objects.visible_to(u.staff_hn)
    assert set(Organization.objects.visible_to(u.principal_taymo)) == {cast.taymo}
    assert not Organization.objects.visible_to(u.outsider).exists()
    assert set(Organization.objects.editable_by(u.principal_taymo)) == set()


def test_it_hides_a_draft_from_the_other_side(cast):
    draft = f.activity(cast.taymo_md, status="draft", reported_by_org=cast.taymo)
    assert draft in Activity.objects.visible_to(cast.users.principal_taymo)
    assert draft in Activity.objects.visible_to(cast.users.officer_ntl)
    assert draft not in Activity.objects.visible_to(cast.users.principal_md)
    reported = f.activity(cast.taymo_md, status="reported", reported_by_org=cast.taymo)
    assert reported in Activity.objects.visible_to(cast.users.principal_md)
    assert reported not in Activity.objects.visible_to(cast.users.officer_lb)


def test_it_scopes_donations_and_memoranda(cast):
    donation = f.donation(cast.program, cast.school_md, donor_org=cast.taymo, pair=cast.taymo_md)
    assert donation in Donation.objects.visible_to(cast.users.principal_md)
    assert donation not in Donation.objects.visible_to(cast.users.principal_lb)
    memo = Memorandum.objects.create(program=cast.program, title="Ghi nhớ Long Biên – Mê Linh")
    memo.pairs.set([cast.lb_ml])
    assert memo in Memorandum.objects.visible_to(cast.users.officer_ml)
    assert memo not in Memorandum.objects.visible_to(cast.users.officer_ntl)
    assert memo in Memorandum.objects.editable_by(cast.users.officer_lb)
    assert not Memorandum.objects.editable_by(cast.users.principal_lb).exists()


def test_it_computes_the_scope_once_per_user(cast, django_assert_num_queries):
    user = cast.users.officer_ntl
    with django_assert_num_queries(1):
        scope_for(user)
        scope_for(user)
    assert scope_for(user).is_officer and not scope_for(user).is_principal


@pytest.mark.django_db
def test_it_gives_anonymous_and_inactive_users_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not Pair.objects.visible_to(AnonymousUser()).exists()
    cast.users.officer_ntl.is_active = False
    assert not Pair.objects.visible_to(cast.users.officer_ntl).exists()
