"""The pair page and the answers: accept, decline (with a reason), withdraw, end, edit."""

import datetime

from programs.models import Pair
from programs.services.pairs import pair_register
from tests import factories as f
from tests.helpers import page_text


def proposed(cast):
    """Long Biên registers Tiểu học Long Biên A → Tiểu học Mê Linh A; Mê Linh answers."""
    return pair_register(user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml)


def test_it_shows_the_pair_page_with_both_sides_and_history(client_for, cast):
    pair = proposed(cast)
    page = page_text(client_for(cast.users.officer_ml).get(f"/workspace/pairs/{pair.code}/"))
    assert "Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A" in page
    assert "Bên giúp đỡ" in page and "Bên được giúp đỡ" in page
    assert "Lịch sử trạng thái" in page and "Đề xuất" in page
    assert "Đồng ý kết nghĩa" in page and "Từ chối…" in page
    assert "Phòng GD&ĐT Long Biên" in page  # registered for


def test_it_does_not_offer_the_answer_to_the_registering_side(client_for, cast):
    pair = proposed(cast)
    page = page_text(client_for(cast.users.officer_lb).get(f"/workspace/pairs/{pair.code}/"))
    assert "Đồng ý kết nghĩa" not in page
    assert "Rút lại đề xuất…" in page
    response = client_for(cast.users.officer_lb).post(f"/workspace/pairs/{pair.code}/accept/")
    assert response.status_code == 403
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.PROPOSED


def test_it_lets_the_other_side_accept_and_the_registering_side_see_it(client_for, cast):
    pair = proposed(cast)
    client = client_for(cast.users.officer_ml)
    response = client.post(f"/workspace/pairs/{pair.code}/accept/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE and pair.decided_by == cast.users.officer_ml
    assert pair.started_on is not None
    assert "Đã đồng ý cặp kết nghĩa" in page_text(client.get(response["Location"]))
    statuses = [h.status for h in pair.history.order_by("history_date")]
    assert statuses == ["proposed", "active"]
    assert pair.history.first().history_user == cast.users.officer_ml
    # Long Biên's home shows the answer.
    home = page_text(client_for(cast.users.officer_lb).get("/workspace/"))
    assert "Đã được trả lời trong 30 ngày qua" in home and "Đang kết nghĩa" in home


def test_it_lets_the_other_side_decline_with_a_reason(client_for, cast):
    pair = proposed(cast)
    client = client_for(cast.users.officer_ml)
    url = f"/workspace/pairs/{pair.code}/decline/"
    assert "Lý do" in page_text(client.get(url))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Hãy ghi lý do: bên kia sẽ đọc được." in page_text(response)
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.PROPOSED
    response = client.post(url, {"reason": "Trường Mê Linh A đã kết nghĩa với trường khác."})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DECLINED
    assert pair.decision_reason == "Trường Mê Linh A đã kết nghĩa với trường khác."
    page = page_text(client_for(cast.users.officer_lb).get(f"/workspace/pairs/{pair.code}/"))
    assert "Lý do: Trường Mê Linh A đã kết nghĩa với trường khác." in page
    home = page_text(client_for(cast.users.officer_lb).get("/workspace/"))
    assert "Trường Mê Linh A đã kết nghĩa với trường khác." in home
    # A declined proposal does not block registering the same units again.
    again = proposed(cast)
    assert again.status == Pair.Status.PROPOSED


def test_it_lets_department_staff_approve(client_for, cast):
    pair = proposed(cast)
    client = client_for(cast.users.staff_hn)
    assert "Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A" in page_text(client.get("/workspace/"))
    client.post(f"/workspace/pairs/{pair.code}/accept/")
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.ACTIVE


def test_it_says_when_a_pair_was_already_answered(client_for, cast):
    pair = proposed(cast)
    client_for(cast.users.staff_hn).post(f"/workspace/pairs/{pair.code}/accept/")
    response = client_for(cast.users.officer_ml).post(f"/workspace/pairs/{pair.code}/accept/", follow=True)
    assert "Cặp kết nghĩa này đã được trả lời." in page_text(response)


def test_it_lets_the_registering_side_withdraw(client_for, cast):
    pair = proposed(cast)
    client = client_for(cast.users.officer_lb)
    response = client.post(f"/workspace/pairs/{pair.code}/withdraw/", {"reason": "Nhầm trường"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DECLINED
    assert pair.decision_reason == "Bên đăng ký đã rút lại: Nhầm trường"
    # Answered now: the other side is sent back to the pair page.
    response = client_for(cast.users.officer_ml).post(f"/workspace/pairs/{pair.code}/withdraw/", {"reason": "x"})
    assert response.status_code == 302


def test_it_ends_an_active_pair_with_a_reason_and_date(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    url = f"/workspace/pairs/{cast.taymo_md.code}/end/"
    response = client.post(url, {"reason": "", "ended_on": ""})
    assert response.status_code == 200 and "Hãy ghi lý do" in page_text(response)
    response = client.post(url, {"reason": "Hết giai đoạn 2022–2025", "ended_on": "2025-08-31"})
    assert response.status_code == 302
    pair = Pair.objects.get(pk=cast.taymo_md.pk)
    assert pair.status == Pair.Status.ENDED and pair.ended_on == datetime.date(2025, 8, 31)
    assert "Đã kết thúc ngày 31/08/2025." in page_text(client.get(f"/workspace/pairs/{pair.code}/"))


def test_it_edits_the_start_date_note_and_partnership(client_for, cast):
    loose = f.pair(cast.program, cast.school_lb, cast.school_ml)
    client = client_for(cast.users.officer_lb)
    url = f"/workspace/pairs/{loose.code}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"parent": cast.lb_ml.pk, "started_on": "11/03/2024", "note": "Hội nghị 11/3"})
    assert response.status_code == 302
    loose.refresh_from_db()
    assert loose.parent == cast.lb_ml and loose.started_on == datetime.date(2024, 3, 11)
    # A partnership of another program is not offered.
    response = client.post(url, {"parent": cast.ntl_md.pk, "started_on": "", "note": ""})
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_it_lists_pairs_with_filters(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    page = page_text(client.get("/workspace/pairs/"))
    assert "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page and "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page
    assert "Long Biên" not in page
    response = client.get("/workspace/pairs/", {"q": "tay mo"})
    assert [p.code for p in response.context["page"]] == [cast.taymo_md.code]
    assert "1 cặp kết nghĩa" in page_text(response)
    response = client.get("/workspace/pairs/", {"kind": "office"})
    assert [p.code for p in response.context["page"]] == [cast.ntl_md.code]
    thcs_ml = f.org("Trường THCS Mê Linh B", area=cast.districts["Mê Linh"], parent=cast.office["ml"])
    mine = pair_register(user=cast.users.officer_ntl, program=cast.program, mentor=cast.taymo, mentee=thcs_ml)
    theirs = pair_register(
        user=cast.users.officer_md, program=cast.program, mentor=cast.office["lb"], mentee=cast.office["md"]
    )
    response = client_for(cast.users.officer_lb).get("/workspace/pairs/", {"waiting": "on"})
    assert [p.code for p in response.context["page"]] == [theirs.code]
    response = client_for(cast.users.officer_ml).get("/workspace/pairs/", {"waiting": "on"})
    assert [p.code for p in response.context["page"]] == [mine.code]


def test_it_lists_pairs_in_a_fixed_number_of_queries(client_for, cast, django_assert_max_num_queries):
    client = client_for(cast.users.staff_hn)
    client.get("/workspace/pairs/")
    for n in range(15):
        school = f.org(f"Trường THCS Thử {n}", parent=cast.office["lb"], area=cast.districts["Long Biên"])
        f.pair(cast.program, school, cast.school_md)
    # session, user, scope, count, page of pairs, programs of the filter form, + savepoints
    with django_assert_max_num_queries(9):
        response = client.get("/workspace/pairs/")
    assert response.status_code == 200 and "Trường THCS Thử 14" in page_text(response)
