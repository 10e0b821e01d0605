"""Annual plans: a principal or officer drafts and submits, an officer accepts or returns."""

import datetime

import pytest

from programs.models import Plan, PlanItem
from tests import factories as f
from tests.helpers import empty_choices, page_text
from tests.workspace_principal.conftest import DAY

BASE = "/workspace/pairs/{code}/plans/2026-2027/"


def _url(cast, suffix=""):
    return BASE.format(code=cast.taymo_md.code) + suffix


def _items(*rows, existing=(), prefix="items"):
    """Formset data: ``existing`` (item, delete?) pairs then new ``rows``."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "40",
        "note": "",
    }
    forms = [
        {
            "id": item.pk,
            "kind": item.kind,
            "title": item.title,
            "planned_month": f"{item.planned_month:%m/%Y}",
            "responsible": item.responsible,
            **({"DELETE": "on"} if delete else {}),
        }
        for item, delete in existing
    ]
    forms += [dict(zip(("kind", "title", "planned_month", "responsible"), row, strict=True)) for row in rows]
    for i, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.fixture
def plan(cast):
    return Plan.objects.create(pair=cast.taymo_md, school_year="2026-2027", created_by=cast.users.principal_taymo)


def test_it_starts_a_plan_for_a_school_year(client_for, cast):
    client = client_for(cast.users.principal_md)
    page = page_text(client.get(f"/workspace/plans/new/?pair={cast.taymo_md.code}"))
    assert "Năm học" in page and "2026–2027" in page
    response = client.post(f"/workspace/plans/new/?pair={cast.taymo_md.code}", {"school_year": "2026-2027"})
    plan = Plan.objects.get()
    assert response["Location"] == _url(cast, "edit/")
    assert (plan.status, plan.created_by, plan.school_year) == ("draft", cast.users.principal_md, "2026-2027")


def test_it_saves_items_with_months_as_people_write_them(client_for, cast, plan):
    client = client_for(cast.users.principal_taymo)
    data = _items(
        ("demonstration", "Chuyên đề Ngữ văn 7", "12/2026", "Tổ Ngữ văn"),
        ("study_visit", "Thăm quan học tập", "2027-03", "Ban giám hiệu"),
        ("", "", "", ""),  # an empty row is ignored
    )
    response = client.post(_url(cast, "edit/"), {**data, "action": "save"})
    assert response.status_code == 302
    months = list(plan.items.values_list("planned_month", flat=True))
    assert months == [datetime.date(2026, 12, 1), datetime.date(2027, 3, 1)]


def test_it_refuses_a_month_outside_the_school_year_and_keeps_the_rows(client_for, cast, plan):
    client = client_for(cast.users.principal_taymo)
    data = _items(("demonstration", "Chuyên đề", "10/2027", "Tổ Toán"), ("exchange", "Giao lưu", "13/2026", ""))
    response = client.post(_url(cast, "edit/"), {**data, "action": "save"})
    page = page_text(response)
    assert response.status_code == 200 and not plan.items.exists()
    assert "Nhập tháng theo dạng MM/YYYY, ví dụ 12/2026." in page
    assert 'value="Chuyên đề"' in response.text and 'value="Tổ Toán"' in response.text


def test_it_adds_a_row_without_javascript_keeping_what_was_typed(client_for, cast, plan):
    data = _items(("demonstration", "Chuyên đề", "12/2026", ""))
    response = client_for(cast.users.principal_taymo).post(_url(cast, "edit/"), {**data, "add_row": "1"})
    assert response.status_code == 200 and len(response.context["formset"].forms) == 2
    assert 'value="Chuyên đề"' in response.text and not plan.items.exists()


def test_it_removes_an_item(client_for, cast, plan):
    item = PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=DAY)
    client_for(cast.users.principal_taymo).post(_url(cast, "edit/"), _items(existing=[(item, True)]))
    assert not plan.items.exists()


def test_it_submits_then_the_office_accepts(client_for, cast, plan):
    PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=DAY)
    client_for(cast.users.principal_taymo).post(_url(cast, "submit/"))
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.submitted_by == cast.users.principal_taymo
    officer = client_for(cast.users.officer_md)
    assert "Duyệt kế hoạch" in page_text(officer.get(_url(cast)))
    officer.post(_url(cast, "accept/"))
    plan.refresh_from_db()
    assert plan.status == "accepted" and plan.reviewed_by == cast.users.officer_md


def test_it_refuses_to_submit_an_empty_plan(client_for, cast, plan):
    response = client_for(cast.users.principal_taymo).post(_url(cast, "submit/"), follow=True)
    assert "Thêm ít nhất một hoạt động vào kế hoạch trước khi gửi." in page_text(response)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_it_returns_a_plan_with_a_comment_and_reopens_it_for_changes(client_for, cast, plan):
    plan.status = "submitted"
    plan.save()
    officer = client_for(cast.users.officer_ntl)
    response = officer.post(_url(cast, "return/"), {"comment": ""})
    assert response.status_code == 400 and "Hãy ghi rõ cần sửa gì để bên kia chỉnh lại." in page_text(response)
    officer.post(_url(cast, "return/"), {"comment": "Bổ sung hoạt động phụ đạo."})
    plan.refresh_from_db()
    assert plan.status == "returned" and plan.review_comment == "Bổ sung hoạt động phụ đạo."
    page = page_text(client_for(cast.users.principal_taymo).get(_url(cast, "edit/")))
    assert "Đơn vị quản lý trả lại: Bổ sung hoạt động phụ đạo." in page


def test_it_locks_a_submitted_plan(client_for, cast, plan):
    plan.status = "submitted"
    plan.save()
    response = client_for(cast.users.principal_taymo).get(_url(cast, "edit/"), follow=True)
    assert "Kế hoạch đã gửi; chỉ sửa được khi đơn vị quản lý trả lại." in page_text(response)


def test_it_does_not_let_a_principal_accept_or_return(client_for, cast, plan):
    plan.status = "submitted"
    plan.save()
    client = client_for(cast.users.principal_md)
    assert client.post(_url(cast, "accept/")).status_code == 403
    assert client.post(_url(cast, "return/"), {"comment": "x"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_it_hides_another_schools_plan(client_for, cast, plan):
    for user in (cast.users.principal_lb, cast.users.officer_lb):
        client = client_for(user)
        assert client.get(_url(cast)).status_code == 404
        assert client.get(_url(cast, "edit/")).status_code == 404
        assert client.post(_url(cast, "submit/")).status_code == 404
        assert client.post(_url(cast, "accept/")).status_code == 404
    assert (
        client_for(cast.users.principal_lb).get(f"/workspace/plans/new/?pair={cast.taymo_md.code}").status_code == 404
    )


def test_it_gives_read_only_roles_a_403(client_for, cast, plan):
    client = client_for(cast.users.teacher_taymo)
    assert client.get(_url(cast)).status_code == 200
    assert client.get(_url(cast, "edit/")).status_code == 403
    assert client.post(_url(cast, "submit/")).status_code == 403


@pytest.mark.parametrize("suffix", ["submit/", "accept/", "return/"])
def test_it_accepts_only_post_on_state_changes(client_for, cast, plan, suffix):
    assert client_for(cast.users.officer_md).get(_url(cast, suffix)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login_page(client, cast, plan):
    for url in ("/workspace/plans/", _url(cast), _url(cast, "edit/")):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_it_shows_which_items_are_done(client_for, cast, plan):
    done = PlanItem.objects.create(plan=plan, kind="demonstration", title="Chuyên đề Toán", planned_month=DAY)
    PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu văn nghệ", planned_month=DAY)
    lesson = f.activity(cast.taymo_md, title="Tiết Toán 7", happened_on=DAY, status="reported", plan_item=done)
    page = page_text(client_for(cast.users.principal_taymo).get(_url(cast)))
    # Sent but not yet confirmed by the partner: not done yet.
    assert "Đã thực hiện 0/2" in page and "Đã ghi, chờ trường kết nghĩa xác nhận: 15/10/2026 Tiết Toán 7" in page
    lesson.status = "confirmed"
    lesson.save()
    page = page_text(client_for(cast.users.principal_taymo).get(_url(cast)))
    assert "Đã thực hiện 1/2" in page and "Đã thực hiện: 15/10/2026 Tiết Toán 7" in page


def test_it_lists_plans_with_their_progress_in_a_fixed_number_of_queries(
    client_for, cast, plan, django_assert_max_num_queries
):
    PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=DAY)
    client = client_for(cast.users.officer_ntl)
    # session, user, scope, count, plans with their counts, the reporting calendars of
    # their programs and years, plans waiting for review, the unread notifications of
    # the header
    with django_assert_max_num_queries(8):
        response = client.get("/workspace/plans/?year=2026-2027")
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page_text(response) and "Đã thực hiện 0/1" in page_text(response)
    for year in range(2019, 2026):
        Plan.objects.create(pair=cast.taymo_md, school_year=f"{year}-{year + 1}", status="submitted")
    with django_assert_max_num_queries(8):
        client.get("/workspace/plans/")


def test_it_lists_plans_of_every_year_with_the_submitted_ones_first(client_for, cast, plan):
    Plan.objects.create(pair=cast.taymo_md, school_year="2024-2025", status="accepted")
    Plan.objects.create(pair=cast.ntl_md, school_year="2027-2028", status="submitted")
    client = client_for(cast.users.officer_ntl)
    response = client.get("/workspace/plans/")
    listed = [(p.pair, p.school_year) for p in response.context["page"]]
    assert listed == [(cast.ntl_md, "2027-2028"), (cast.taymo_md, "2026-2027"), (cast.taymo_md, "2024-2025")]
    page = page_text(response)
    assert "Năm học 2027–2028 Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page and "chờ duyệt" in page
    filtered = client.get("/workspace/plans/?year=2024-2025")
    assert [p.school_year for p in filtered.context["page"]] == ["2024-2025"]
    assert "Kế hoạch năm học 2024–2025" in page_text(filtered)


def test_it_offers_the_same_empty_choice_in_every_select(client_for, cast, plan):
    choices = empty_choices(client_for(cast.users.principal_taymo).get(_url(cast, "edit/")))
    assert choices and set(choices.values()) == {"— Chọn —"}
