"""Issue 13 §4: the pairs waiting for an officer's answer are accepted together from
the list; a pair that no longer waits for them is skipped and named with the reason."""

from programs.models import Pair
from programs.services.pairs import pair_register
from tests import factories as f
from tests.helpers import page_text

WAITING = "/workspace/pairs/?waiting=on"


def _proposals(cast, n, start=0):
    """Long Biên proposes ``n`` school pairs to Mê Linh's schools."""
    pairs = []
    for i in range(start, start + n):
        mentee = f.org(
            f"Trường Tiểu học Mê Linh Số {i}", parent=cast.office["ml"], area=cast.districts["Mê Linh"], level="primary"
        )
        pairs.append(
            pair_register(user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=mentee)
        )
    return pairs


def test_the_waiting_list_offers_to_accept_the_ticked_pairs_together(client_for, cast):
    _proposals(cast, 2)
    client = client_for(cast.users.officer_ml)
    page = client.get(WAITING)
    text = page_text(page)
    assert "Chọn tất cả trên trang này" in text and "Đồng ý các cặp đã chọn" in text
    assert page.text.count('name="pairs"') == 2
    assert "Đồng ý các cặp đã chọn" not in page_text(client.get("/workspace/pairs/"))  # only the waiting list
    # The side that proposed them has nothing to accept.
    assert "Đồng ý các cặp đã chọn" not in page_text(client_for(cast.users.officer_lb).get(WAITING))


def test_it_accepts_the_ticked_pairs_and_skips_the_others_with_the_reason(client_for, cast):
    first, second, withdrawn = _proposals(cast, 3)
    # Meanwhile the Department declined one of them.
    Pair.objects.filter(pk=withdrawn.pk).update(status=Pair.Status.DECLINED)
    unticked = _proposals(cast, 1, start=3)[0]
    # A proposal between two other offices' schools: not Mê Linh's to answer.
    ntl = f.org("Trường Tiểu học Nam Từ Liêm X", parent=cast.office["ntl"], level="primary")
    md = f.org("Trường Tiểu học Mỹ Đức X", parent=cast.office["md"], level="primary")
    elsewhere = pair_register(user=cast.users.officer_ntl, program=cast.program, mentor=ntl, mentee=md)
    client = client_for(cast.users.officer_ml)
    codes = [first.code, second.code, withdrawn.code, elsewhere.code, "KHONG-CO"]
    response = client.post("/workspace/pairs/accept-many/", {"pairs": codes, "next": WAITING})
    assert response.status_code == 302 and response["Location"] == WAITING
    statuses = dict(
        Pair.objects.filter(pk__in=[p.pk for p in (first, second, withdrawn, unticked, elsewhere)]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        first.pk: "active",
        second.pk: "active",
        withdrawn.pk: "declined",
        unticked.pk: "proposed",
        elsewhere.pk: "proposed",
    }
    assert Pair.objects.get(pk=first.pk).decided_by == cast.users.officer_ml
    text = page_text(client.get(response["Location"]))
    assert "Đã đồng ý 2 cặp kết nghĩa; các cặp này chuyển sang trạng thái “Đang kết nghĩa”." in text
    assert "Bỏ qua 3 mục:" in text
    assert (
        "Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh Số 2: Cặp kết nghĩa này không còn chờ trả lời." in text
    )
    assert "KHONG-CO: không có trong các cặp thuộc phạm vi được xem" in text


def test_nothing_ticked_says_what_to_do_and_an_outside_next_is_ignored(client_for, cast):
    client = client_for(cast.users.officer_ml)
    response = client.post("/workspace/pairs/accept-many/", {"next": "https://evil.example/"})
    assert response["Location"] == WAITING
    assert "Hãy đánh dấu các cặp cần đồng ý trước." in page_text(client.get(WAITING))
    assert client.get("/workspace/pairs/accept-many/").status_code == 405
