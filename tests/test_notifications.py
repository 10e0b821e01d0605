"""Issue 13 §2: what waits for someone reaches them — a count in the header, a list
with links (read when opened), and an e-mail at once or in a daily digest, sent to a
real SMTP server; a delivery log shows the Department what was sent and what failed."""

import datetime

import pytest

from notifications.models import Delivery, EmailChoice, Notification
from notifications.services import send_digests
from programs.models import Activity
from programs.services.activities import activity_report
from programs.services.pairs import pair_register
from tests import factories as f
from tests.helpers import page_text


def _propose(cast):
    return pair_register(user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml)


def test_a_proposal_notifies_those_who_may_answer_it_and_nobody_else(cast):
    pair = _propose(cast)
    told = set(Notification.objects.filter(kind="pair_to_answer").values_list("user__username", flat=True))
    assert told == {cast.users.officer_ml.username, cast.users.staff_hn.username}
    notification = Notification.objects.get(user=cast.users.officer_ml)
    assert notification.link == f"/workspace/pairs/{pair.code}/"


def test_the_header_counts_and_opening_marks_read(client_for, cast):
    pair = _propose(cast)
    client = client_for(cast.users.officer_ml)
    page = client.get("/workspace/")
    assert 'aria-label="1 thông báo mới"' in page.text
    listing = page_text(client.get("/notifications/"))
    assert "Cặp kết nghĩa chờ trả lời: Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A" in listing
    notification = Notification.objects.get(user=cast.users.officer_ml)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/workspace/pairs/{pair.code}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "thông báo mới" not in client.get("/workspace/").text
    # Another user's notification does not exist for them.
    assert client_for(cast.users.officer_lb).get(f"/notifications/{notification.pk}/").status_code == 404


def test_an_activity_reported_notifies_the_other_side(cast):
    pair = f.pair(cast.program, cast.school_lb, cast.school_ml, started_on=datetime.date(2024, 9, 5))
    principal_ml = f.user("ht.ml", role="principal", organization=cast.school_ml)
    activity = f.activity(pair, status=Activity.Status.DRAFT, reported_by_org=cast.school_lb)
    activity_report(activity=activity, user=cast.users.principal_lb)
    told = set(Notification.objects.filter(kind="activity_to_confirm").values_list("user_id", flat=True))
    assert principal_ml.pk in told and cast.users.principal_lb.pk not in told


def test_the_email_arrives_at_once_in_vietnamese_with_the_link(
    cast,
    smtp_server,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://ketnghia.example.vn"
    officer = cast.users.officer_ml
    officer.email = "phong.ml@example.vn"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        _propose(cast)
    ((recipients, message),) = smtp_server.messages
    notification = Notification.objects.get(user=officer)
    assert recipients == ["phong.ml@example.vn"]
    assert (
        message["Subject"].strip()
        == "Kết nghĩa: Cặp kết nghĩa chờ trả lời: Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A"
    )
    body = message.get_body(("plain",)).get_content()
    assert f"https://ketnghia.example.vn/notifications/{notification.pk}/" in body
    assert "https://ketnghia.example.vn/notifications/" in body  # where to change the choice
    delivery = Delivery.objects.get()
    assert delivery.status == "sent" and delivery.address == "phong.ml@example.vn"
    assert notification.emailed_at is not None


def test_a_failed_send_is_logged_and_the_department_sees_it(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, False, 2
    officer = cast.users.officer_ml
    officer.email = "phong.ml@example.vn"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        _propose(cast)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "Connection" in delivery.error
    text = page_text(client_for(cast.users.staff_hn).get("/notifications/deliveries/?status=problem"))
    assert "phong.ml@example.vn" in text and "không gửi được" in text
    assert client_for(officer).get("/notifications/deliveries/").status_code == 403
    assert client_for(cast.users.staff_na).get("/notifications/deliveries/").status_code == 200
    assert "phong.ml@example.vn" not in page_text(client_for(cast.users.staff_na).get("/notifications/deliveries/"))


@pytest.mark.parametrize("mode,immediate", [("daily", 0), ("never", 0), ("immediate", 1)])
def test_the_users_choice_decides_the_emails(
    cast,
    client_for,
    smtp_server,
    django_capture_on_commit_callbacks,
    mode,
    immediate,
):
    officer = cast.users.officer_ml
    officer.email = "phong.ml@example.vn"
    officer.save()
    client = client_for(officer)
    response = client.post("/notifications/", {"mode": mode})
    assert response.status_code == 302 and EmailChoice.objects.get(user=officer).mode == mode
    with django_capture_on_commit_callbacks(execute=True):
        _propose(cast)
    assert len(smtp_server.messages) == immediate
    sent = send_digests()
    if mode == "daily":
        assert sent == 1
        ((_to, digest),) = smtp_server.messages
        assert digest["Subject"].strip() == "Kết nghĩa: 1 việc đang chờ"
        assert send_digests() == 0  # nothing new
    else:
        assert sent == 0


def test_a_quiet_pair_is_told_to_both_sides_once_a_month(cast):
    from django.core.management import call_command
    from django.utils import timezone

    cast.program.end_year = timezone.localdate().year + 2  # a running phase: its pairs can be quiet
    cast.program.save()
    call_command("notify_quiet_pairs", verbosity=0)
    link = f"/workspace/pairs/{cast.lb_ml.code}/"
    told = set(Notification.objects.filter(kind="quiet_pair", link=link).values_list("user__username", flat=True))
    assert {cast.users.officer_lb.username, cast.users.officer_ml.username} <= told
    assert cast.users.principal_taymo.username not in told and cast.users.staff_na.username not in told
    notification = Notification.objects.filter(kind="quiet_pair", link=link).first()
    assert (
        notification.text
        == "Cặp kết nghĩa lâu không có hoạt động (90 ngày): Phòng GD&ĐT Long Biên → Phòng GD&ĐT Mê Linh"
    )
    before = Notification.objects.count()
    call_command("notify_quiet_pairs", verbosity=0)
    assert Notification.objects.count() == before  # not again within the month


def test_a_notification_sent_with_its_own_email_is_not_emailed_again(cast, django_capture_on_commit_callbacks):
    from django.core import mail

    from notifications.services import notify

    user = cast.users.officer_ml
    user.email = "phong.ml@example.vn"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify("invitation", [user], subject="Trường THCS Tây Mỗ – Giáo viên", link="/x/", email=False)
    assert mail.outbox == [] and row.emailed_at is not None
    EmailChoice.objects.create(user=user, mode=EmailChoice.Mode.DAILY)
    assert send_digests() == 0 and mail.outbox == []
