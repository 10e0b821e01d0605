"""The needs board (issue 14 §5): post, pledge, confirm what arrived; who may do what;
what the public board shows; the list's queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from needs import services
from needs.models import Need, Pledge
from programs.models import Donation
from tests import factories as f
from tests.helpers import page_text
from tests.needs.conftest import need_of

TODAY = timezone.localdate


def _pledge(cast, need, quantity=12, user=None):
    return services.pledge_make(
        need=need, user=user or cast.users.principal_taymo, donor_org=cast.taymo, quantity=quantity
    )


# --- posting -----------------------------------------------------------------------------


def test_it_posts_a_need_from_the_helped_school(client_for, cast):
    client = client_for(cast.users.principal_md)
    form = client.get(f"/workspace/needs/new/?pair={cast.taymo_md.code}")
    assert form.status_code == 200 and "Đăng nhu cầu hỗ trợ" in page_text(form)
    response = client.post(
        "/workspace/needs/new/",
        {
            "pair": cast.taymo_md.pk,
            "kind": "books",
            "title": "Sách tham khảo Ngữ văn 6",
            "quantity": "300",
            "unit_label": "cuốn sách",
            "needed_by": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            "is_public": "on",
        },
    )
    need = Need.objects.get()
    assert response["Location"] == f"/workspace/needs/{need.code}/"
    assert (need.pair, need.status, need.posted_by) == (cast.taymo_md, Need.Status.OPEN, cast.users.principal_md)
    assert need.history.first().history_user == cast.users.principal_md


def test_it_names_the_field_when_the_quantity_is_missing(client_for, cast):
    response = client_for(cast.users.principal_md).post(
        "/workspace/needs/new/", {"pair": cast.taymo_md.pk, "kind": "books", "title": "Sách", "unit_label": "cuốn"}
    )
    assert "Nhập số lượng cần (số nguyên)." in page_text(response) and not Need.objects.exists()


def test_the_helping_school_cannot_post_for_its_partner(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(
        "/workspace/needs/new/",
        {"pair": cast.taymo_md.pk, "kind": "books", "title": "Sách", "quantity": "3", "unit_label": "cuốn sách"},
    )
    assert response.status_code == 200 and not Need.objects.exists()  # the pair is not a choice


def test_training_needs_a_subject(cast):
    with pytest.raises(ValidationError) as error:
        need_of(cast, kind=Need.Kind.TRAINING, subject="")
    assert "subject" in error.value.message_dict


# --- pledging and receiving ----------------------------------------------------------------


def test_it_pledges_part_then_all_and_the_status_follows(cast, need):
    _pledge(cast, need, 12)
    need.refresh_from_db()
    assert (need.status, need.pledged_quantity, need.remaining) == (Need.Status.PARTLY_PLEDGED, 12, 8)
    with pytest.raises(ValidationError) as error:
        _pledge(cast, need, 9)
    assert error.value.message_dict["quantity"] == ["Chỉ còn cần 8 bộ máy tính: vui lòng đăng ký tối đa số đó."]
    _pledge(cast, need, 8)
    need.refresh_from_db()
    assert need.status == Need.Status.PLEDGED


def test_receiving_records_a_donation_in_kind_linked_to_the_pledge(cast, need):
    pledge = _pledge(cast, need, 20)
    services.pledge_receive(pledge=pledge, user=cast.users.principal_md, quantity=20, received_on=TODAY(), amount=None)
    pledge.refresh_from_db()
    need.refresh_from_db()
    donation = pledge.donation
    assert (pledge.status, need.status, need.received_quantity) == (Pledge.Status.RECEIVED, Need.Status.MET, 20)
    assert (donation.nature, donation.quantity, donation.unit_label, donation.amount) == (
        Donation.Nature.IN_KIND,
        20,
        "bộ máy tính",
        None,
    )
    assert (donation.donor_org, donation.recipient, donation.pair, donation.kind) == (
        cast.taymo,
        cast.school_md,
        cast.taymo_md,
        Donation.Kind.EQUIPMENT,
    )
    assert donation.recorded_by == cast.users.principal_md


def test_a_lesson_need_is_met_by_an_activity_of_the_pair(cast):
    need = need_of(cast, kind=Need.Kind.DEMONSTRATION, title="Chuyên đề đọc hiểu", quantity=1, unit_label="buổi")
    pledge = _pledge(cast, need, 1)
    other = f.activity(cast.lb_ml, title="Hội nghị khác")
    with pytest.raises(ValidationError):
        services.pledge_receive(pledge=pledge, user=cast.users.principal_md, quantity=1, received_on=TODAY())
    with pytest.raises(ValidationError):
        services.pledge_receive(
            pledge=pledge, user=cast.users.principal_md, quantity=1, received_on=TODAY(), activity=other
        )
    lesson = f.activity(cast.taymo_md, title="Chuyên đề Ngữ văn 6")
    services.pledge_receive(
        pledge=pledge, user=cast.users.principal_md, quantity=1, received_on=TODAY(), activity=lesson
    )
    pledge.refresh_from_db()
    assert pledge.activity == lesson and pledge.donation is None and not Donation.objects.exists()


def test_the_journey_through_the_pages(client_for, cast, need):
    partner = client_for(cast.users.principal_taymo)
    page = page_text(partner.get(f"/workspace/needs/{need.code}/"))
    assert "Đăng ký hỗ trợ" in page and "Cần 20 bộ máy tính · đã đăng ký 0 · đã nhận 0" in page
    response = partner.post(f"/workspace/needs/{need.code}/pledge/", {"donor_org": cast.taymo.pk, "quantity": "20"})
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    helped = client_for(cast.users.principal_md)
    assert "Xác nhận đã nhận" in page_text(helped.get(f"/workspace/needs/{need.code}/"))
    response = helped.post(
        f"/workspace/pledges/{pledge.code}/receive/",
        {"quantity": "18", "received_on": TODAY().isoformat(), "amount": "150.000.000"},
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.quantity, donation.amount) == (18, 150_000_000)
    page = page_text(helped.get(f"/workspace/needs/{need.code}/"))
    assert "Đã nhận 18 bộ máy tính" in page
    # The pledge counts for what arrived: 2 are still needed.
    need.refresh_from_db()
    assert (need.status, need.remaining) == (Need.Status.PARTLY_PLEDGED, 2)


def test_a_pledge_can_be_withdrawn_before_it_arrives(client_for, cast, need):
    pledge = _pledge(cast, need, 5)
    response = client_for(cast.users.principal_taymo).post(f"/workspace/pledges/{pledge.code}/withdraw/")
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.pledged_quantity) == (Need.Status.OPEN, 0)


# --- scope -------------------------------------------------------------------------------


def test_outsiders_see_nothing_and_read_only_roles_cannot_act(client_for, cast, need):
    url = f"/workspace/needs/{need.code}/"
    for user in (cast.users.principal_lb, cast.users.officer_lb, cast.users.staff_na):
        client = client_for(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url + "pledge/", {"donor_org": cast.taymo.pk, "quantity": "1"}).status_code == 404
        assert need.code not in client.get("/workspace/needs/").text
    # The teacher of the helping school sees the need but may not pledge or change it.
    teacher = client_for(cast.users.teacher_taymo)
    assert teacher.get(url).status_code == 200
    assert teacher.post(url + "pledge/", {"donor_org": cast.taymo.pk, "quantity": "1"}).status_code == 403
    assert teacher.post(url + "close/").status_code == 403
    # The helping school pledges but does not change or close the need.
    assert client_for(cast.users.principal_taymo).post(url + "close/").status_code == 403
    assert not Pledge.objects.exists() and Need.objects.get().status == Need.Status.OPEN


def test_only_the_helped_side_confirms_what_arrived(client_for, cast, need):
    pledge = _pledge(cast, need, 5)
    url = f"/workspace/pledges/{pledge.code}/receive/"
    assert client_for(cast.users.principal_taymo).get(url).status_code == 403
    assert client_for(cast.users.principal_lb).get(url).status_code == 404
    assert client_for(cast.users.officer_md).get(url).status_code == 200


def test_anonymous_is_sent_to_login_and_get_on_post_views_is_refused(client, client_for, cast, need):
    response = client.get("/workspace/needs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(cast.users.principal_md).get(f"/workspace/needs/{need.code}/close/").status_code == 405


def test_the_department_opens_a_need_to_other_donors_of_the_province(client_for, cast, need):
    url = f"/workspace/needs/{need.code}/"
    # Long Biên's principal is in the province but not in the pair: no access yet.
    assert client_for(cast.users.principal_lb).get(url).status_code == 404
    assert client_for(cast.users.officer_md).post(url + "open-to-others/", {"open": "1"}).status_code == 403
    assert client_for(cast.users.staff_hn).post(url + "open-to-others/", {"open": "1"}).status_code == 302
    lb = client_for(cast.users.principal_lb)
    assert lb.get(url).status_code == 200
    assert lb.post(url + "pledge/", {"donor_org": cast.school_lb.pk, "quantity": "3"}).status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.donor_org == cast.school_lb
    # Another province's school still sees nothing.
    assert client_for(cast.users.staff_na).get(url).status_code == 404


# --- the public board ---------------------------------------------------------------------


def test_the_public_board_shows_public_needs_without_anything_private(client, cast, need):
    pledge = _pledge(cast, need, 20)
    services.pledge_receive(pledge=pledge, user=cast.users.principal_md, quantity=20, received_on=TODAY())
    hidden = need_of(cast, title="Bàn ghế học sinh", is_public=False)
    other_program = f.program("Chương trình chưa công khai", is_public=False)
    private_pair = f.pair(other_program, cast.school_lb, cast.school_ml)
    from needs.models import Need as NeedModel

    NeedModel.objects.create(
        pair=private_pair,
        kind="books",
        title="Sách của cặp không công khai",
        quantity=5,
        unit_label="cuốn",
        is_public=True,
    )
    page = page_text(client.get("/needs/"))
    assert "Máy tính cho phòng tin học" in page and "Đã đáp ứng" in page
    assert "Cần 20 bộ máy tính · đã đăng ký 20 · đã nhận 20" in page
    assert hidden.title not in page and "Sách của cặp không công khai" not in page
    # No details, no people, no notes.
    assert "Nguyễn Thị Lan" not in page and "0912" not in page and "ht.md" not in page
    met = page_text(client.get("/needs/?show=met"))
    assert "Máy tính cho phòng tin học" in met
    assert "Máy tính cho phòng tin học" not in page_text(client.get("/needs/?show=asked"))
    assert client.get("/needs/?program=khong-co").status_code == 404


def test_the_program_page_links_to_its_needs(client, cast, need):
    page = client.get(cast.program.get_absolute_url()).text
    assert f"/needs/?program={cast.program.slug}" in page


# --- queries -------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_workspace_list_uses_a_fixed_number_of_queries(client_for, cast, need):
    client = client_for(cast.users.principal_md)
    # session, user, the user's roles (scope), the count of needs, whether the user may
    # post (postable pairs), the header's unread notifications, the page of needs with
    # their pairs and programs
    few = _count(client, "/workspace/needs/")
    for i in range(25):
        _pledge(cast, need_of(cast, title=f"Nhu cầu {i}"), 3)
    assert _count(client, "/workspace/needs/") == few == 7
    assert _count(client, "/workspace/needs/?page=2&status=partly_pledged") == 7


def test_the_public_board_uses_a_fixed_number_of_queries(client, cast, need):
    # the count of public needs, the page of them with their pairs and programs
    few = _count(client, "/needs/")
    for i in range(15):
        need_of(cast, title=f"Nhu cầu {i}")
    assert _count(client, "/needs/") == few == 2


def test_each_step_tells_the_people_who_act_next(cast, need):
    from notifications.models import Notification

    posted = set(Notification.objects.filter(kind="need_posted").values_list("user__username", flat=True))
    assert cast.users.principal_taymo.username in posted and cast.users.principal_md.username not in posted
    pledge = _pledge(cast, need, 20)
    pledged = set(Notification.objects.filter(kind="need_pledged").values_list("user__username", flat=True))
    assert cast.users.principal_md.username in pledged and cast.users.principal_taymo.username not in pledged
    services.pledge_receive(pledge=pledge, user=cast.users.principal_md, quantity=20, received_on=TODAY(), amount=None)
    received = Notification.objects.get(kind="need_received", user=cast.users.principal_taymo)
    assert received.text.startswith("Khoản hỗ trợ đã được nhận: Máy tính cho phòng tin học")
    assert received.link == f"/workspace/needs/{need.code}/"
