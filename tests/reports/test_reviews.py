"""The year-end review: written and submitted by a principal or the officer, sent on by
the officer, rated and commended by the department; and the commendation list."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Pair, Review
from programs.services import reviews as service
from tests.helpers import page_text
from tests.reports.conftest import YEAR


def review_url(name, pair, year=YEAR):
    return reverse(f"workspace:{name}", args=[pair.code, year])


def test_it_runs_the_whole_review_from_writing_to_commendation(cast, year_data, client_for):
    pair = cast.ntl_md
    # The officer of the helping office writes the review of the office partnership…
    client = client_for(cast.users.officer_ntl)
    response = client.post(
        review_url("review-edit", pair),
        {
            "achievements": "Tổ chức chuyên đề Ngữ văn 6 tại THCS Tây Mỗ.",
            "difficulties": "",
            "proposals": "",
            "save": "",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(pair=pair, school_year=YEAR)
    assert review.status == Review.Status.DRAFT and review.written_by == cast.users.officer_ntl
    # …submits it…
    response = client.post(review_url("review-submit", pair), follow=True)
    assert "Đã gửi bản tổng kết. Đơn vị quản lý có thể chuyển lên Sở." in page_text(response)
    # …and sends it on to the department.
    response = client.post(review_url("review-forward", pair), follow=True)
    assert "Đã chuyển bản tổng kết lên Sở." in page_text(response)
    review.refresh_from_db()
    assert review.status == Review.Status.FORWARDED and review.forwarded_by == cast.users.officer_ntl
    # Department staff rate it and commend the pair, citing the lesson of 30/03/2023.
    client = client_for(cast.users.staff_hn)
    page = page_text(client.get(review_url("review-rate", pair)))
    assert "30/03/2023 – Chuyên đề Ngữ văn 6" in page
    response = client.post(
        review_url("review-rate", pair),
        {
            "rating": "excellent",
            "rating_comment": "Thực hiện tốt.",
            "commended": "on",
            "commendation": "Đỡ đầu học sinh khó khăn và chuyên đề chất lượng",
            "commendation_activities": [year_data.lesson.pk],
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.rating, review.commended) == ("rated", "excellent", True)
    assert list(review.commendation_activities.all()) == [year_data.lesson]
    assert review.history.first().history_user == cast.users.staff_hn
    page = page_text(client.get(review_url("review-detail", pair)))
    assert "Xếp loại của Sở: Xuất sắc" in page and "30/03/2023 – Chuyên đề Ngữ văn 6" in page
    # The commendation list shows it, printed and exported.
    params = {"program": cast.program.slug, "year": YEAR}
    page = page_text(client.get(reverse("workspace:commendation-list"), params))
    assert "DANH SÁCH" in page and "Đỡ đầu học sinh khó khăn và chuyên đề chất lượng" in page
    assert "30/03/2023: Chuyên đề Ngữ văn 6" in page
    response = client.get(reverse("workspace:commendation-xlsx"), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet[2]]
    assert "Phòng GD&ĐT Nam Từ Liêm" in values[1] and "30/03/2023 – Chuyên đề Ngữ văn 6" in values
    response = client.get(reverse("workspace:commendation-csv"), params)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["Nội dung khen thưởng"] == "Đỡ đầu học sinh khó khăn và chuyên đề chất lượng"


def test_it_lets_either_principal_write_and_submit_in_one_go(cast, client_for):
    client = client_for(cast.users.principal_md)
    response = client.post(
        review_url("review-edit", cast.taymo_md),
        {"achievements": "Hai trường giao lưu chuyên môn.", "difficulties": "Xa", "proposals": "", "submit": ""},
    )
    assert response.status_code == 302
    review = Review.objects.get(pair=cast.taymo_md)
    assert review.status == "submitted" and review.submitted_by == cast.users.principal_md
    # Once submitted it can no longer be edited, but may be reopened until it is sent on.
    response = client.get(review_url("review-edit", cast.taymo_md), follow=True)
    assert "Bản tổng kết này đã được gửi nên không thể sửa nữa." in page_text(response)
    client.post(review_url("review-reopen", cast.taymo_md))
    assert Review.objects.get(pk=review.pk).status == "draft"


def test_it_keeps_what_was_typed_when_submitting_without_achievements(cast, client_for):
    client = client_for(cast.users.principal_taymo)
    response = client.post(
        review_url("review-edit", cast.taymo_md),
        {"achievements": "", "difficulties": "Đường xa, thiếu kinh phí", "proposals": "", "submit": ""},
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "Hãy viết kết quả đạt được trước khi gửi bản tổng kết." in page
    assert "Đường xa, thiếu kinh phí" in response.text
    assert not Review.objects.exists()


def test_it_asks_what_a_commendation_is_for(cast, year_data, client_for):
    review = year_data.review
    review.status = Review.Status.FORWARDED
    review.save()
    response = client_for(cast.users.staff_hn).post(
        review_url("review-rate", cast.taymo_md), {"rating": "good", "commended": "on", "commendation": ""}
    )
    assert response.status_code == 200
    assert "Hãy ghi nội dung khen thưởng." in page_text(response)
    review.refresh_from_db()
    assert review.status == "forwarded" and not review.commended


def test_it_refuses_to_rate_a_review_not_sent_on_and_to_cite_another_pair_s_activity(cast, year_data):
    with pytest.raises(ValidationError):
        service.review_rate(review=year_data.review, user=cast.users.staff_hn, rating="good")
    year_data.review.status = Review.Status.FORWARDED
    year_data.review.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        service.review_rate(
            review=year_data.review,
            user=cast.users.staff_hn,
            rating="good",
            commended=True,
            commendation="Tốt",
            activities=[year_data.lesson],  # the office partnership's, not this pair's
        )
    assert "commendation_activities" in error.value.error_dict


def test_it_writes_reviews_only_for_active_pairs_and_years_that_have_begun(cast):
    cast.lb_ml.status = Pair.Status.ENDED
    cast.lb_ml.save()
    with pytest.raises(ValidationError):
        service.review_save(
            pair=cast.lb_ml,
            school_year=YEAR,
            user=cast.users.officer_lb,
            achievements="",
            difficulties="",
            proposals="",
        )
    with pytest.raises(ValidationError):
        service.review_save(
            pair=cast.ntl_md,
            school_year="2090-2091",
            user=cast.users.officer_ntl,
            achievements="",
            difficulties="",
            proposals="",
        )


@pytest.mark.parametrize(
    "user, name, status",
    [
        ("teacher_taymo", "review-edit", 403),
        ("union_na", "review-edit", 404),
        ("staff_hn", "review-edit", 403),  # the department rates, it does not write
        ("officer_lb", "review-edit", 404),
        ("officer_lb", "review-detail", 404),
        ("outsider", "review-detail", 403),
        ("principal_taymo", "review-rate", 403),
        ("officer_ntl", "review-rate", 403),
        ("staff_na", "review-rate", 404),
    ],
)
def test_it_refuses_those_outside_the_review_s_scope_or_role(cast, year_data, client_for, user, name, status):
    year_data.review.status = Review.Status.FORWARDED
    year_data.review.save()
    response = client_for(getattr(cast.users, user)).get(review_url(name, cast.taymo_md))
    assert response.status_code == status


def test_it_lets_only_the_officer_send_a_review_on(cast, year_data, client_for):
    for user, status in (("principal_taymo", 403), ("staff_hn", 403), ("officer_lb", 404), ("officer_md", 302)):
        response = client_for(getattr(cast.users, user)).post(review_url("review-forward", cast.taymo_md))
        assert response.status_code == status, user
    assert Review.objects.get(pk=year_data.review.pk).status == "forwarded"


def test_it_accepts_only_posts_for_changes_of_state(cast, year_data, client_for):
    client = client_for(cast.users.officer_ntl)
    for name in ("review-submit", "review-reopen", "review-forward"):
        assert client.get(review_url(name, cast.taymo_md)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login_page(cast, client):
    for url in (reverse("workspace:review-list"), review_url("review-detail", cast.taymo_md)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(review_url("review-submit", cast.taymo_md)).status_code == 302


def test_it_lists_the_reviews_of_the_year_by_state(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    params = {"program": cast.program.slug, "year": YEAR}
    page = page_text(client.get(reverse("workspace:review-list"), params))
    assert "Tất cả 3" in page and "Chưa gửi 2" in page and "Đã gửi 1" in page
    page = page_text(client.get(reverse("workspace:review-list"), {**params, "tab": "submitted"}))
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page and "Long Biên" not in page
    page = page_text(client_for(cast.users.principal_taymo).get(reverse("workspace:review-list"), params))
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page and "Long Biên" not in page
    assert client.get(reverse("workspace:review-list"), {**params, "tab": "x"}).status_code == 404


def test_it_keeps_the_commendation_list_to_report_roles(cast, client_for):
    assert client_for(cast.users.principal_taymo).get(reverse("workspace:commendation-list")).status_code == 403
    assert client_for(cast.users.union_na).get(reverse("workspace:commendation-list")).status_code == 200


def test_it_lists_reviews_with_a_fixed_number_of_queries(cast, year_data, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reports.test_figures import _grow

    client = client_for(cast.users.staff_hn)
    params = {"program": cast.program.slug, "year": YEAR}
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("workspace:review-list"), params)
    _grow(cast, pairs=4, activities=1)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("workspace:review-list"), params)
    assert "Tất cả 7" in page_text(response)
    # session, user, scope, programs, year span, reviews per state, count, the
    # calendar, the page's ids, its pairs (narrow_page), its reviews, unread
    # notifications (a Department's pairs are found by index, not read first as ids:
    # PairQuerySet.pinned)
    assert len(small) == len(large) == 12


def test_the_office_returns_a_submitted_review_saying_what_to_correct_and_the_writers_are_told(
    cast, year_data, client_for
):
    from notifications.models import Notification

    pair = cast.taymo_md
    review = year_data.review  # submitted by Tây Mỗ → Mỹ Đức A
    # A principal may not return it; the office of either side may.
    assert (
        client_for(cast.users.principal_taymo).post(review_url("review-return", pair), {"comment": "x"}).status_code
        == 403
    )
    office = client_for(cast.users.officer_ntl)
    page = page_text(office.post(review_url("review-return", pair), {"comment": ""}, follow=True))
    assert "Cần ghi rõ nội dung cần sửa trong bản tổng kết." in page
    response = office.post(
        review_url("review-return", pair), {"comment": "Bổ sung số liệu học sinh tham gia."}, follow=True
    )
    assert "Đã trả lại bản tổng kết để sửa" in page_text(response)
    review.refresh_from_db()
    assert (review.status, review.return_comment, review.returned_by) == (
        "draft",
        "Bổ sung số liệu học sinh tham gia.",
        cast.users.officer_ntl,
    )
    told = set(Notification.objects.filter(kind="review_returned").values_list("user__username", flat=True))
    assert cast.users.principal_md.username in told and cast.users.officer_ntl.username not in told
    page = page_text(client_for(cast.users.principal_md).get(review_url("review-detail", pair)))
    assert "Bổ sung số liệu học sinh tham gia." in page
