"""A family asks what the portal holds about their child: the department finds every
note naming the child in its province, corrects or erases it, and each step is logged."""

from programs.models import Donation, PrivateNoteAccess
from tests.helpers import page_text

URL = "/workspace/pupil-data/"


def test_only_department_staff_answer_requests_about_a_child(client_for, cast, donation):
    assert client_for(cast.users.principal_taymo).get(URL).status_code == 403
    assert client_for(cast.users.officer_ntl).get(URL).status_code == 403
    # The department of another province finds nothing of Hà Nội's.
    page = page_text(client_for(cast.users.staff_na).get(URL, {"name": "Nguyễn Văn A"}))
    assert "Không có ghi chú nào" in page


def test_the_department_finds_corrects_and_erases_a_childs_note(client_for, cast, donation):
    client = client_for(cast.users.staff_hn)
    page = page_text(client.get(URL, {"name": "nguyễn văn a"}))
    assert "1 ghi chú có tên em này" in page and "Em Nguyễn Văn A, lớp 7A, mồ côi cha." in page
    assert PrivateNoteAccess.objects.filter(action="view").count() == 1
    response = client.post(
        f"{URL}{donation.code}/correct/", {"private_note": "Em Nguyễn Văn A, lớp 7B", "back": URL + "?name=x"}
    )
    assert response.status_code == 302 and response["Location"] == URL + "?name=x"
    donation.refresh_from_db()
    assert donation.private_note == "Em Nguyễn Văn A, lớp 7B"
    response = client.post(f"{URL}{donation.code}/erase/", {"back": "https://evil.example/"})
    assert response["Location"] == URL  # never sent elsewhere
    donation.refresh_from_db()
    assert donation.private_note == "" and donation.note_consent == ""
    assert not Donation.history.filter(id=donation.pk).exclude(private_note="").exists()
    assert list(PrivateNoteAccess.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "view",
        "correct",
        "erase",
    ]
    assert "Không có ghi chú nào" in page_text(client.get(URL, {"name": "Nguyễn Văn A"}))
