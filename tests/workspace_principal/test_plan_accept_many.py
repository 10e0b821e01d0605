"""Issue 13 §4: an officer approves the submitted plans ticked on the plan list; a plan
they may not approve, or no longer submitted, is skipped and named with the reason."""

from programs.models import Plan
from tests.helpers import page_text

LIST = "/workspace/plans/?state=submitted"


def _submitted(cast, year):
    return Plan.objects.create(pair=cast.taymo_md, school_year=year, status=Plan.Status.SUBMITTED)


def test_the_office_approves_the_ticked_plans_and_skips_the_others(client_for, cast):
    first, second, already = (_submitted(cast, y) for y in ("2024-2025", "2025-2026", "2026-2027"))
    Plan.objects.filter(pk=already.pk).update(status=Plan.Status.ACCEPTED)  # approved meanwhile
    client = client_for(cast.users.officer_md)
    page = client.get(LIST)
    assert page.text.count('name="plans"') == 2 and "Duyệt các kế hoạch đã chọn" in page_text(page)
    response = client.post(
        "/workspace/plans/accept-many/", {"plans": [first.pk, second.pk, already.pk, 99999], "next": LIST}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert set(Plan.objects.values_list("status", flat=True)) == {"accepted"}
    assert Plan.objects.get(pk=first.pk).reviewed_by == cast.users.officer_md
    text = page_text(client.get(LIST))
    assert "Đã duyệt 2 kế hoạch." in text and "Bỏ qua 2 mục:" in text
    assert "99999: không có trong các kế hoạch thuộc phạm vi được xem" in text


def test_a_principal_cannot_approve_plans_in_bulk(client_for, cast):
    plan = _submitted(cast, "2025-2026")
    client = client_for(cast.users.principal_md)
    assert 'name="plans"' not in client.get(LIST).text
    client.post("/workspace/plans/accept-many/", {"plans": [plan.pk]})
    assert Plan.objects.get(pk=plan.pk).status == "submitted"
    assert "không được duyệt kế hoạch này" in page_text(client.get(LIST))
