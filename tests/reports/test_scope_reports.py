"""The scope rules added for reports and reviews (schools.scope, programs.querysets)."""

from programs.models import Pair, Review
from schools.scope import scope_for


def test_it_opens_reports_to_department_officers_and_union_only(cast):
    u = cast.users
    for user in (u.superuser, u.staff_hn, u.officer_ntl, u.union_na):
        assert scope_for(user).can_see_reports, user
    for user in (u.principal_taymo, u.teacher_taymo, u.outsider):
        assert not scope_for(user).can_see_reports, user


def test_it_lets_principals_and_officers_write_reviews_but_not_the_department(cast):
    u = cast.users

    def reviewable(user):
        return set(Pair.objects.review_writable_by(user))

    assert reviewable(u.principal_taymo) == {cast.taymo_md}
    assert reviewable(u.principal_md) == {cast.taymo_md}
    assert reviewable(u.officer_md) == {cast.ntl_md, cast.taymo_md}
    assert reviewable(u.officer_lb) == {cast.lb_ml}
    for user in (u.staff_hn, u.teacher_taymo, u.union_na, u.outsider):
        assert reviewable(user) == set(), user
    assert reviewable(u.superuser) == set(Pair.objects.all())


def test_it_lets_officers_send_on_and_the_department_rate(cast):
    u = cast.users
    reviews = {
        pair: Review.objects.create(pair=pair, school_year="2022-2023")
        for pair in (cast.ntl_md, cast.lb_ml, cast.taymo_md)
    }
    assert set(Review.objects.forwardable_by(u.officer_ntl)) == {reviews[cast.ntl_md], reviews[cast.taymo_md]}
    assert not Review.objects.forwardable_by(u.staff_hn).exists()
    assert not Review.objects.forwardable_by(u.principal_taymo).exists()
    assert set(Review.objects.ratable_by(u.staff_hn)) == set(reviews.values())
    assert not Review.objects.ratable_by(u.staff_na).exists()
    assert not Review.objects.ratable_by(u.officer_ntl).exists()
    assert set(Review.objects.writable_by(u.principal_md)) == {reviews[cast.taymo_md]}
    reviews[cast.lb_ml].status = "rated"
    reviews[cast.lb_ml].save()
    assert set(Review.objects.submitted()) == {reviews[cast.lb_ml]}
