"""Each record's workspace page shows who changed what and when, in plain words; the
private note about children is never shown there, only that it changed."""

from tests.helpers import page_text


def test_the_donation_page_shows_its_changes_old_to_new(client_for, cast, donation):
    donation.amount = 25_000_000
    donation.private_note = "Em Lò Thị B, lớp 6C"
    donation._history_user = cast.users.principal_taymo
    donation.save()
    page = page_text(client_for(cast.users.principal_taymo).get(f"/workspace/donations/{donation.code}/"))
    assert "Lịch sử thay đổi" in page
    assert "Sửa · ht.tm Số tiền (đồng): 20.000.000 → 25.000.000" in page
    assert "(không hiển thị) → (không hiển thị)" in page and "Lò Thị B" not in page.split("Lịch sử thay đổi")[1]


def test_a_working_group_keeps_who_renamed_it(client_for, cast):
    from programs.models import WorkingGroup

    group = WorkingGroup.objects.create(program=cast.program, office=cast.office["ntl"], name="Tổ công tác A")
    group.name = "Tổ công tác kết nghĩa"
    group._history_user = cast.users.officer_ntl
    group.save()
    page = page_text(client_for(cast.users.officer_ntl).get(f"/workspace/groups/{group.pk}/"))
    assert "Tên: Tổ công tác A → Tổ công tác kết nghĩa" in page
