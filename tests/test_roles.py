"""Issue 13 §1 and §5: a role is held from a day to a day; those who manage a unit end
or change the roles in it from a date (never beyond their units, never their own), and
the old role stays in the history; a user with roles in several units chooses which
one they act for; an invitation for an existing account also waits in its
notifications."""

import datetime
import re

from django.core import mail
from django.test import Client
from django.utils import formats, timezone, translation

from accounts.models import Invitation
from notifications.models import Notification
from programs.models import Pair
from schools.models import Membership
from schools.scope import scope_for
from tests import factories as f
from tests.helpers import page_text

DAY = datetime.timedelta(days=1)


def fresh(user):
    """The user without the scope cached by an earlier call of the test."""
    user.__dict__.pop("_ketnghia_scope", None)
    return user


def on(monkeypatch, day):
    """Makes ``day`` today for the code under test."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def shown(day) -> str:
    with translation.override("vi"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def login(user) -> Client:
    """A client of its own logged in as ``user`` (``client_for`` shares one client)."""
    client = Client()
    client.force_login(user)
    return client


def role_of(user) -> Membership:
    return Membership.objects.get(user=user)


# --- ending a role ---------------------------------------------------------------------


def test_a_role_ended_on_a_day_gives_its_scope_until_that_day_and_not_after(client_for, cast, monkeypatch):
    principal = cast.users.principal_lb
    membership = role_of(principal)
    today = timezone.localdate()
    last_day = today + 10 * DAY
    officer = client_for(cast.users.officer_lb)
    response = officer.post(f"/accounts/people/{membership.pk}/end/", {"last_day": last_day.isoformat()})
    assert response.status_code == 302 and response["Location"] == "/accounts/people/"
    membership.refresh_from_db()
    assert membership.valid_until == last_day and membership.is_active
    assert shown(last_day) in page_text(officer.get("/accounts/people/"))
    # Until its last day the role counts…
    for day in (today, last_day):
        on(monkeypatch, day)
        assert cast.school_lb.pk in scope_for(fresh(principal)).principal_school_ids
        assert Membership.objects.current().filter(pk=membership.pk).exists()
    # …and from the day after it gives nothing.
    on(monkeypatch, last_day + DAY)
    scope = scope_for(fresh(principal))
    assert not scope.is_principal and not scope.is_staff_member
    assert not Membership.objects.current().filter(pk=membership.pk).exists()
    assert login(principal).get("/workspace/").status_code == 403


def test_a_role_cannot_end_before_it_began_and_the_field_says_why(client_for, cast):
    membership = role_of(cast.users.principal_lb)
    began = timezone.localdate() - 30 * DAY
    Membership.objects.filter(pk=membership.pk).update(valid_from=began)
    officer = client_for(cast.users.officer_lb)
    response = officer.post(f"/accounts/people/{membership.pk}/end/", {"last_day": (began - DAY).isoformat()})
    assert response.status_code == 200
    assert list(response.context["end_form"].errors) == ["last_day"]
    assert began.strftime("%d/%m/%Y") in page_text(response)
    missing = officer.post(f"/accounts/people/{membership.pk}/end/", {"last_day": ""})
    assert missing.status_code == 200 and list(missing.context["end_form"].errors) == ["last_day"]
    membership.refresh_from_db()
    assert membership.valid_until is None


# --- changing a role -----------------------------------------------------------------


def test_changing_a_role_ends_the_old_one_the_day_before_and_keeps_it_in_the_history(client_for, cast):
    principal = cast.users.principal_lb
    old = role_of(principal)
    today = timezone.localdate()
    staff = client_for(cast.users.staff_hn)
    response = staff.post(
        f"/accounts/people/{old.pk}/change/",
        {
            "organization": cast.taymo.pk,
            "role": "principal",
            "title": "Hiệu trưởng",
            "first_day": today.isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/people/"
    old.refresh_from_db()
    new = Membership.objects.get(user=principal, valid_until__isnull=True)
    assert (old.organization, old.valid_until, old.is_active) == (cast.school_lb, today - DAY, True)
    assert (new.organization, new.role, new.title, new.valid_from) == (cast.taymo, "principal", "Hiệu trưởng", today)
    # simple-history keeps the old role as it was before it ended.
    assert [record.valid_until for record in old.history.order_by("history_date")] == [None, today - DAY]
    scope = scope_for(fresh(principal))
    assert scope.principal_school_ids == {cast.taymo.pk}
    # The old unit's officer still sees who held the role, with its last day.
    listing = page_text(login(cast.users.officer_lb).get("/accounts/people/"))
    assert principal.username in listing and shown(today - DAY) in listing
    # The person's own page shows both roles with their dates.
    profile = page_text(login(principal).get("/accounts/profile/"))
    assert cast.taymo.name in profile and cast.school_lb.name in profile and shown(today - DAY) in profile


def test_the_new_unit_must_be_managed_and_the_role_must_fit_its_kind(client_for, cast):
    membership = role_of(cast.users.principal_lb)
    officer = client_for(cast.users.officer_lb)
    first_day = timezone.localdate().isoformat()

    def change(**data):
        return officer.post(f"/accounts/people/{membership.pk}/change/", {"first_day": first_day, **data})

    outside = change(organization=cast.school_ml.pk, role="principal")
    assert outside.status_code == 200 and "organization" in outside.context["change_form"].errors
    unfit = change(organization=cast.school_lb.pk, role="office_officer")
    assert unfit.status_code == 200 and list(unfit.context["change_form"].errors) == ["role"]
    same = change(organization=cast.school_lb.pk, role="principal")
    assert same.status_code == 200 and list(same.context["change_form"].errors) == ["role"]
    no_day = change(organization=cast.school_lb.pk, role="teacher", first_day="")
    assert no_day.status_code == 200 and list(no_day.context["change_form"].errors) == ["first_day"]
    # The new role starts the day after the current one began at the earliest.
    Membership.objects.filter(pk=membership.pk).update(valid_from=timezone.localdate())
    too_early = change(organization=cast.school_lb.pk, role="teacher")
    assert too_early.status_code == 200 and list(too_early.context["change_form"].errors) == ["first_day"]
    assert Membership.objects.filter(user=cast.users.principal_lb).count() == 1
    membership.refresh_from_db()
    assert membership.valid_until is None
    # The same role in another unit of the office works.
    tomorrow = (timezone.localdate() + DAY).isoformat()
    ok = change(organization=cast.office["lb"].pk, role="office_officer", first_day=tomorrow)
    assert ok.status_code == 302


def test_the_unit_of_the_new_role_is_found_by_searching_on_the_server(client_for, cast):
    membership = role_of(cast.users.principal_lb)
    staff = client_for(cast.users.staff_hn)
    found = staff.post(f"/accounts/people/{membership.pk}/change/", {"organization_q": "tay mo", "find": "1"})
    assert found.status_code == 200
    units = re.search(r'<select name="organization".*?</select>', found.text, re.S).group(0)
    assert cast.taymo.name in units and cast.school_lb.name not in units
    assert not found.context["change_form"].errors
    assert Membership.objects.filter(user=cast.users.principal_lb).count() == 1


def test_nobody_ends_or_changes_a_role_outside_their_units_or_their_own(client_for, cast):
    membership = role_of(cast.users.principal_lb)
    today = timezone.localdate().isoformat()
    change = {"organization": cast.school_ml.pk, "role": "principal", "first_day": today}
    for user in (cast.users.officer_ml, cast.users.staff_na, cast.users.officer_ntl):
        client = login(user)
        assert client.get(f"/accounts/people/{membership.pk}/").status_code == 404
        assert client.post(f"/accounts/people/{membership.pk}/end/", {"last_day": today}).status_code == 404
        assert client.post(f"/accounts/people/{membership.pk}/change/", change).status_code == 404
    own = role_of(cast.users.officer_lb)
    officer = client_for(cast.users.officer_lb)
    assert officer.post(f"/accounts/people/{own.pk}/end/", {"last_day": today}).status_code == 404
    for user in (cast.users.principal_lb, cast.users.teacher_taymo, cast.users.outsider):
        client = login(user)
        assert client.get("/accounts/people/").status_code == 403
        assert client.post(f"/accounts/people/{membership.pk}/end/", {"last_day": today}).status_code == 403
    assert not Membership.objects.exclude(valid_until=None).exists()
    # The list shows the roles of the officer's units only.
    listing = officer.get("/accounts/people/")
    people = {m.user.username for m in listing.context["page"]}
    assert people == {"ht.lb", "phong.lb"}


def test_the_people_list_puts_current_roles_first_and_is_searchable(client_for, cast):
    today = timezone.localdate()
    ended = Membership.objects.create(
        user=f.user("ht.cu", first_name="Trần Văn Cũ"),
        organization=cast.school_lb,
        role="principal",
        valid_until=today - 100 * DAY,
    )
    teacher = f.user(
        "gv.lb", first_name="Lê Thị Mai", email="mai@lb.edu.vn", role="teacher", organization=cast.school_lb
    )
    officer = client_for(cast.users.officer_lb)
    rows = list(officer.get("/accounts/people/").context["page"])
    assert rows[-1] == ended and len(rows) == 4
    found = officer.get("/accounts/people/", {"q": "mai"}).context["page"]
    assert [m.user for m in found] == [teacher]
    by_unit = officer.get("/accounts/people/", {"q": "long bien a"}).context["page"]
    assert {m.user.username for m in by_unit} == {"ht.lb", "gv.lb", "ht.cu"}


# --- accepting again and the profile ---------------------------------------------------


def test_accepting_a_role_held_before_starts_a_new_one_beside_the_ended_one(
    client_for, cast, django_capture_on_commit_callbacks
):
    teacher = f.user("gv.lan", email="lan@truong.edu.vn")
    today = timezone.localdate()
    ended = Membership.objects.create(
        user=teacher, organization=cast.school_lb, role="teacher", valid_from=today - 400 * DAY, valid_until=today - DAY
    )
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post("/accounts/invitations/new/", data).status_code == 302
    link = re.search(r"(/accounts/invitation/\S+/)", mail.outbox[0].body).group(1)
    assert login(teacher).post(link).status_code == 302
    ended.refresh_from_db()
    new = Membership.objects.get(user=teacher, valid_until__isnull=True)
    assert ended.valid_until == today - DAY and new.valid_from == today and new.pk != ended.pk
    profile = page_text(login(teacher).get("/accounts/profile/"))
    assert shown(today - DAY) in profile and shown(today) in profile


# --- the invitation in the notifications ------------------------------------------


def _token(message) -> str:
    return re.search(r"/accounts/invitation/([^/\s]+)/", message.body).group(1)


MINE = "/accounts/invitations/mine/"


def test_an_invitation_to_an_existing_account_waits_in_its_notifications(
    client_for, cast, django_capture_on_commit_callbacks
):
    teacher = f.user("gv.lan", email="Lan@Truong.edu.vn")
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        officer.post("/accounts/invitations/new/", data)
    (notification,) = Notification.objects.filter(user=teacher)
    # The notification leads to the account's own invitations, not to the e-mail's link.
    assert notification.kind == "invitation" and notification.link == MINE
    assert notification.subject == f"{cast.school_lb.name} – Giáo viên"
    own = login(teacher)
    opened = own.get(f"/notifications/{notification.pk}/")
    assert opened.status_code == 302 and opened["Location"] == MINE
    invitation = Invitation.objects.get(email="lan@truong.edu.vn")
    page = own.get(MINE)
    assert page.status_code == 200 and f'action="{MINE}{invitation.pk}/accept/"' in page.text
    assert "Giáo viên · " + cast.school_lb.name in page_text(page)
    # A new address has no account to tell.
    with django_capture_on_commit_callbacks(execute=True):
        officer.post("/accounts/invitations/new/", {**data, "email": "moi@truong.edu.vn"})
    assert Notification.objects.count() == 1
    # A resent invitation has a new link, and the account is told again (the same page).
    first = _token(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/accounts/invitations/{invitation.pk}/resend/")
    assert _token(mail.outbox[-1]) != first
    assert list(Notification.objects.filter(user=teacher).values_list("link", flat=True)) == [MINE, MINE]


def test_no_stored_notification_carries_an_invitation_token(client_for, cast, django_capture_on_commit_callbacks):
    f.user("gv.lan", email="lan@truong.edu.vn")
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        officer.post("/accounts/invitations/new/", data)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/accounts/invitations/{invitation.pk}/resend/")
    tokens = [_token(message) for message in mail.outbox]
    assert len(tokens) == 2 and Notification.objects.count() == 2
    for notification in Notification.objects.all():
        stored = " ".join([notification.link, notification.subject, notification.text])
        assert "/accounts/invitation/" not in stored
        assert not any(token in stored for token in tokens)


def test_an_invitation_is_accepted_from_the_accounts_own_page(client_for, cast, django_capture_on_commit_callbacks):
    teacher = f.user("gv.lan", email="Lan@Truong.edu.vn")
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        officer.post("/accounts/invitations/new/", data)
    invitation = Invitation.objects.get()
    own = login(teacher)
    assert own.get(f"{MINE}{invitation.pk}/accept/").status_code == 405  # a POST only
    response = own.post(f"{MINE}{invitation.pk}/accept/")
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    membership = Membership.objects.get(user=teacher)
    assert (membership.organization, membership.role, membership.valid_from) == (
        cast.school_lb,
        "teacher",
        timezone.localdate(),
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == teacher and invitation.accepted_at is not None
    assert "Đã thêm vai trò giáo viên tại " + cast.school_lb.name in page_text(own.get("/workspace/"))
    # Used: it no longer waits, and accepting again does nothing.
    assert f"{MINE}{invitation.pk}/accept/" not in own.get(MINE).text
    assert own.post(f"{MINE}{invitation.pk}/accept/").status_code == 404
    assert Membership.objects.filter(user=teacher).count() == 1
    # The e-mail's link no longer works either.
    assert Client().get(f"/accounts/invitation/{_token(mail.outbox[0])}/").status_code == 404


def test_another_account_cannot_accept_someone_elses_invitation(client_for, cast, django_capture_on_commit_callbacks):
    f.user("gv.lan", email="lan@truong.edu.vn")
    other = f.user("gv.khac", email="khac@truong.edu.vn")
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        officer.post("/accounts/invitations/new/", data)
    invitation = Invitation.objects.get()
    for user in (other, cast.users.principal_lb, cast.users.officer_lb):
        client = login(user)
        assert f"{MINE}{invitation.pk}/accept/" not in client.get(MINE).text
        assert client.post(f"{MINE}{invitation.pk}/accept/").status_code == 404
    # Nor anyone not logged in, nor a withdrawn invitation.
    anonymous = Client().post(f"{MINE}{invitation.pk}/accept/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not Membership.objects.filter(user__username="gv.khac").exists()
    Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
    owner = login(f.user("gv.lan2", email="LAN@truong.edu.vn"))
    assert owner.post(f"{MINE}{invitation.pk}/accept/").status_code == 404
    assert not Membership.objects.filter(organization=cast.school_lb, role="teacher").exists()


# --- roles switched off before roles had dates -------------------------------------------


def legacy_switched_off(**values):
    """A membership switched off before roles had dates: inactive, no last day (saving
    one switched off now gives it a last day, so it is written as the old code did)."""
    membership = Membership.objects.create(**values)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    membership.refresh_from_db()
    return membership


def test_a_role_switched_off_without_a_last_day_is_not_switched_on_again_by_an_invitation(
    client_for, cast, django_capture_on_commit_callbacks
):
    teacher = f.user("gv.lan", email="lan@truong.edu.vn")
    today = timezone.localdate()
    old = legacy_switched_off(user=teacher, organization=cast.school_lb, role="teacher", valid_from=today - 400 * DAY)
    officer = client_for(cast.users.officer_lb)
    data = {"full_name": "Lan", "email": "lan@truong.edu.vn", "organization": cast.school_lb.pk, "role": "teacher"}
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post("/accounts/invitations/new/", data).status_code == 302
    invitation = Invitation.objects.get()
    assert login(teacher).post(f"{MINE}{invitation.pk}/accept/").status_code == 302
    old.refresh_from_db()
    new = Membership.objects.get(user=teacher, valid_until__isnull=True)
    assert new.pk != old.pk and (new.valid_from, new.is_active) == (today, True)
    # The old row keeps saying the role was not held: switched off, now with a last day.
    assert (old.is_active, old.valid_from, old.valid_until) == (False, today - 400 * DAY, today - DAY)
    assert Membership.objects.current().filter(user=teacher).get() == new


def test_changing_a_role_to_one_switched_off_before_starts_a_new_row(client_for, cast):
    principal = cast.users.principal_lb
    current = role_of(principal)
    today = timezone.localdate()
    switched_off = legacy_switched_off(user=principal, organization=cast.office["lb"], role="office_officer")
    response = client_for(cast.users.staff_hn).post(
        f"/accounts/people/{current.pk}/change/",
        {"organization": cast.office["lb"].pk, "role": "office_officer", "first_day": today.isoformat()},
    )
    assert response.status_code == 302
    switched_off.refresh_from_db()
    assert (switched_off.is_active, switched_off.valid_until) == (False, today - DAY)
    new = Membership.objects.get(user=principal, organization=cast.office["lb"], valid_until__isnull=True)
    assert new.pk != switched_off.pk and new.is_active and new.valid_from == today


def test_the_migration_gives_switched_off_roles_the_day_they_were_switched_off(cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("schools.migrations.0006_end_switched_off_roles")
    today = timezone.localdate()
    switched_on = datetime.datetime(2024, 1, 10, 9, 0, tzinfo=datetime.UTC)
    switched_off_at = datetime.datetime(2024, 6, 1, 9, 0, tzinfo=datetime.UTC)

    def switched_off(username, **values):
        membership = Membership.objects.create(
            user=f.user(username), organization=cast.school_lb, role="teacher", **values
        )
        membership.is_active = False
        membership.save()
        Membership.objects.filter(pk=membership.pk).update(valid_until=None)  # as before roles had dates
        first, second = membership.history.order_by("history_date", "history_id")
        type(first).objects.filter(pk=first.pk).update(history_date=switched_on)
        type(second).objects.filter(pk=second.pk).update(history_date=switched_off_at)
        return membership

    by_history = switched_off("gv.a")
    began_later = switched_off("gv.b", valid_from=datetime.date(2024, 9, 5))
    no_history = switched_off("gv.c")
    no_history.history.all().delete()
    ended = Membership.objects.create(
        user=f.user("gv.d"), organization=cast.school_lb, role="teacher", is_active=False, valid_until=today - DAY
    )
    held = role_of(cast.users.principal_lb)

    migration.end_switched_off_roles(apps, None)

    for membership in (by_history, began_later, no_history, ended, held):
        membership.refresh_from_db()
    assert by_history.valid_until == timezone.localdate(switched_off_at)
    assert began_later.valid_until == datetime.date(2024, 9, 5)  # never before it began
    assert no_history.valid_until == today
    assert ended.valid_until == today - DAY and (held.valid_until, held.is_active) == (None, True)
    assert not Membership.objects.filter(is_active=False, valid_until__isnull=True).exists()


# --- the unit one acts for -------------------------------------------------------------


def _two_units(cast):
    """An officer of Long Biên's office who is also the principal of Tây Mỗ."""
    user = f.user("hai.donvi", role="office_officer", organization=cast.office["lb"])
    principal = Membership.objects.create(user=user, organization=cast.taymo, role="principal")
    return user, principal


def _pairs(client):
    return {pair.pk for pair in client.get("/workspace/pairs/").context["page"]}


def test_a_user_with_roles_in_two_units_chooses_which_one_to_act_for(client_for, cast):
    user, principal = _two_units(cast)
    client = client_for(user)
    home = client.get("/workspace/")
    assert home.context["scope"].has_many_units and home.context["scope"].acting_unit_id is None
    assert 'action="/accounts/acting/"' in home.text and f'value="{principal.pk}"' in home.text
    both = _pairs(client)
    assert {cast.lb_ml.pk, cast.taymo_md.pk} <= both
    response = client.post("/accounts/acting/", {"membership": principal.pk, "next": "/workspace/pairs/"})
    assert response.status_code == 302 and response["Location"] == "/workspace/pairs/"
    narrowed = client.get("/workspace/")
    scope = narrowed.context["scope"]
    assert scope.acting_unit_id == cast.taymo.pk and scope.is_principal and not scope.is_officer
    assert cast.taymo.name in page_text(narrowed)
    assert cast.taymo_md.pk in _pairs(client) and cast.lb_ml.pk not in _pairs(client)
    assert client.get("/accounts/invitations/").status_code == 403  # acting as a principal
    # "All my units" again.
    client.post("/accounts/acting/", {"membership": ""})
    assert _pairs(client) == both
    # Someone else's role, or an outside next, changes nothing.
    other = role_of(cast.users.officer_ml)
    response = client.post("/accounts/acting/", {"membership": other.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").context["scope"].acting_unit_id is None


def test_a_stale_choice_of_unit_is_ignored(client_for, cast):
    user, principal = _two_units(cast)
    client = client_for(user)
    client.post("/accounts/acting/", {"membership": principal.pk})
    assert not client.get("/workspace/").context["scope"].is_officer
    # The principal's role ended yesterday: the choice no longer narrows anything.
    Membership.objects.filter(pk=principal.pk).update(valid_until=timezone.localdate() - DAY)
    page = client.get("/workspace/")
    scope = page.context["scope"]
    assert scope.is_officer and not scope.is_principal and scope.acting_unit_id is None
    assert not scope.has_many_units and 'action="/accounts/acting/"' not in page.text
    assert cast.lb_ml.pk in _pairs(client)


def test_a_user_with_one_unit_sees_no_switch_and_the_scope_costs_one_query(client_for, cast, django_assert_num_queries):
    page = client_for(cast.users.officer_lb).get("/workspace/")
    assert not page.context["scope"].has_many_units and 'action="/accounts/acting/"' not in page.text
    user = cast.users.officer_lb
    user._ketnghia_acting = role_of(user).pk
    with django_assert_num_queries(1):
        scope = scope_for(fresh(user))
    assert scope.acting_unit_id is None and scope.is_officer


def test_pairs_stay_out_of_reach_of_a_role_that_has_not_begun(cast):
    user = cast.users.principal_md
    Membership.objects.filter(user=user).update(valid_from=timezone.localdate() + DAY)
    assert not Pair.objects.visible_to(fresh(user)).exists()


def test_a_role_switched_off_in_the_admin_ends_that_day(cast):
    membership = Membership.objects.filter(user=cast.users.officer_ntl).first()
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    membership.refresh_from_db()
    assert membership.valid_until == timezone.localdate()
    assert membership.state_on() == "ended"
