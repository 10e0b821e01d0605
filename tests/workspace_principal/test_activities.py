"""Logging, changing, confirming and returning activities in the workspace."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from programs.models import Activity, ActivityPhoto
from tests import factories as f
from tests.helpers import page_text
from tests.workspace_principal.conftest import DAY, photo_bytes, upload

NEW = "/workspace/activities/new/"


def _form(**changes):
    data = {
        "pair": "",
        "kind": "demonstration",
        "happened_on": DAY.isoformat(),
        "title": "Chuyên đề Ngữ văn 7: đọc hiểu văn bản nghị luận",
        "subject": "Ngữ văn",
        "grade": "7",
        "leading_teacher": "Đào Thị Yến",
        "teachers_count": "12",
        "students_count": "38",
        "managers_count": "",
        "description": "Tiết dạy minh hoạ, sau đó hai trường rút kinh nghiệm.",
        "lessons_learned": "Dùng vật liệu sẵn có.",
        "action": "report",
    }
    data.update(changes)
    return data


def _new_url(cast):
    return f"{NEW}?pair={cast.taymo_md.code}"


# --- logging -------------------------------------------------------------------------


def test_it_logs_an_activity_with_photos_and_sends_it_to_the_other_school(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    data = _form(photos=[upload("IMG_1.jpg"), upload("IMG_2.jpg")], host=cast.taymo.pk)
    response = client.post(_new_url(cast), data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/activities/{activity.code}/"
    assert activity.status == "reported" and activity.reported_at is not None
    assert activity.reported_by_org == cast.taymo and activity.created_by == cast.users.principal_taymo
    assert (activity.teachers_count, activity.students_count, activity.managers_count) == (12, 38, 0)
    photos = list(activity.photos.all())
    assert len(photos) == 2 and [p.order for p in photos] == [0, 1]
    stored = Image.open(photos[0].image.open("rb"))
    assert not stored.getexif() and max(stored.size) <= 1600
    assert photos[0].thumbnail and photos[0].uploaded_by == cast.users.principal_taymo
    page = page_text(client.get(response["Location"]))
    assert "Đã gửi hoạt động để Trường THCS Mỹ Đức A xác nhận." in page
    assert "Đang chờ Trường THCS Mỹ Đức A xác nhận." in page


def test_it_saves_a_draft_only_the_logging_side_sees(client_for, cast):
    response = client_for(cast.users.principal_taymo).post(_new_url(cast), _form(action="draft"))
    activity = Activity.objects.get()
    assert activity.status == "draft" and activity.reported_at is None
    assert "Đã lưu nháp. Chỉ bên bạn xem được." in page_text(client_for(cast.users.principal_taymo).get(response.url))
    assert client_for(cast.users.principal_md).get(response.url).status_code == 404


def test_it_asks_for_the_pair_when_the_user_has_several(client_for, cast):
    response = client_for(cast.users.officer_ntl).get(NEW)
    page = page_text(response)
    assert response.status_code == 200 and "Cho cặp kết nghĩa nào?" in page
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page and "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page


def test_it_goes_straight_to_the_form_for_a_principal_with_one_pair(client_for, cast):
    response = client_for(cast.users.principal_taymo).get(NEW)
    assert response.status_code == 302 and response["Location"] == _new_url(cast)


def test_it_asks_department_staff_which_side_they_log_for(client_for, cast):
    client = client_for(cast.users.staff_hn)
    assert "Ghi thay cho" in page_text(client.get(_new_url(cast)))
    client.post(_new_url(cast), _form(side=cast.school_md.pk))
    assert Activity.objects.get().reported_by_org == cast.school_md


def test_it_keeps_what_was_typed_and_the_photos_sent_when_the_form_has_an_error(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(_new_url(cast), _form(title="", photos=[upload("lop-7a.jpg")]))
    assert response.status_code == 200 and not Activity.objects.exists()
    page = page_text(response)
    assert "Vui lòng sửa các mục được đánh dấu bên dưới. Mọi nội dung đã nhập vẫn được giữ." in page
    assert "Đã tải lên 1 ảnh, ảnh sẽ được lưu cùng hoạt động. Không cần chọn lại." in page
    assert 'value="Đào Thị Yến"' in response.text
    token = response.context["pending"][0].token
    assert client.get(f"/workspace/activities/pending-photos/{token}/").status_code == 200
    # Sent again with the title and the kept photo only: the photo is attached.
    client.post(_new_url(cast), _form(pending_photo=[token]))
    assert Activity.objects.get().photos.count() == 1


def test_it_refuses_a_text_file_renamed_to_jpg_with_a_clear_message(client_for, cast):
    fake = upload("IMG_0003.jpg", b"not a photo at all\n")
    response = client_for(cast.users.principal_taymo).post(_new_url(cast), _form(photos=[fake]))
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "Tệp “IMG_0003.jpg” không phải là ảnh (JPEG, PNG hoặc WebP). Vui lòng chọn tệp ảnh." in page_text(response)


def test_it_refuses_an_oversized_photo_and_keeps_the_good_one(client_for, cast):
    big = upload("IMG_BIG.jpg", photo_bytes(size=(300, 200)) + b"\0" * (10 * 1024 * 1024 + 1))
    response = client_for(cast.users.principal_taymo).post(_new_url(cast), _form(photos=[upload("ok.jpg"), big]))
    page = page_text(response)
    assert "Ảnh “IMG_BIG.jpg” có dung lượng 10,0 MB; mỗi ảnh tối đa 10,0 MB. Vui lòng chọn ảnh nhỏ hơn." in page
    assert "Đã tải lên 1 ảnh" in page and not Activity.objects.exists()


def test_it_refuses_to_send_an_activity_that_has_not_happened_yet(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(_new_url(cast), _form(happened_on="2027-05-20"))
    assert "Ngày này chưa đến: chỉ gửi xác nhận hoạt động đã diễn ra. Bạn có thể lưu nháp." in page_text(response)
    assert not Activity.objects.exists()
    client.post(_new_url(cast), _form(happened_on="2027-05-20", action="draft"))
    assert Activity.objects.get().status == "draft"


def test_it_refuses_a_plan_item_of_another_school_year(client_for, cast):
    from programs.models import Plan, PlanItem

    plan = Plan.objects.create(pair=cast.taymo_md, school_year="2025-2026")
    item = PlanItem.objects.create(plan=plan, kind="demonstration", title="Chuyên đề", planned_month="2026-03-01")
    response = client_for(cast.users.principal_taymo).post(_new_url(cast), _form(plan_item=item.pk))
    assert "Nội dung này thuộc kế hoạch năm học 2025–2026, nhưng hoạt động diễn ra trong năm học 2026–2027." in (
        page_text(response)
    )


def test_it_refuses_a_host_outside_the_pair(client_for, cast):
    response = client_for(cast.users.principal_taymo).post(_new_url(cast), _form(host=cast.school_lb.pk))
    assert response.status_code == 200 and not Activity.objects.exists()


# --- scope -------------------------------------------------------------------------


def test_it_does_not_let_a_principal_log_for_a_pair_their_school_is_not_in(client_for, cast):
    client = client_for(cast.users.principal_lb)
    assert client.get(_new_url(cast)).status_code == 404
    assert client.post(_new_url(cast), _form()).status_code == 404
    assert not Activity.objects.exists()


def test_it_does_not_let_a_principal_see_or_change_another_schools_activity(client_for, cast, reported):
    client = client_for(cast.users.principal_lb)
    for suffix in ("", "edit/"):
        assert client.get(f"/workspace/activities/{reported.code}/{suffix}").status_code == 404
    for suffix in ("confirm/", "return/", "report/", "delete/"):
        assert client.post(f"/workspace/activities/{reported.code}/{suffix}").status_code == 404
    assert client_for(cast.users.officer_lb).get(f"/workspace/activities/{reported.code}/").status_code == 404
    reported.refresh_from_db()
    assert reported.status == "reported"


def test_it_gives_read_only_roles_a_403_on_changes(client_for, cast, reported):
    client = client_for(cast.users.teacher_taymo)
    assert client.get(f"/workspace/activities/{reported.code}/").status_code == 200
    assert client.get(_new_url(cast)).status_code == 403
    assert client.get(f"/workspace/activities/{reported.code}/edit/").status_code == 403
    assert client.post(f"/workspace/activities/{reported.code}/confirm/").status_code == 403


def test_it_gives_the_other_side_a_403_on_changing_the_activity(client_for, cast, reported):
    assert client_for(cast.users.principal_md).get(f"/workspace/activities/{reported.code}/edit/").status_code == 403


@pytest.mark.parametrize("suffix", ["confirm/", "return/", "report/", "delete/"])
def test_it_accepts_only_post_on_state_changes(client_for, cast, reported, suffix):
    assert client_for(cast.users.principal_md).get(f"/workspace/activities/{reported.code}/{suffix}").status_code == 405


@pytest.mark.parametrize(
    "path", [NEW, "/workspace/activities/", "/workspace/activities/abc/", "/workspace/activities/abc/edit/"]
)
def test_it_sends_anonymous_visitors_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_refuses_users_without_a_role(client_for, cast, reported):
    assert client_for(cast.users.outsider).get(f"/workspace/activities/{reported.code}/").status_code == 403


# --- confirmation ------------------------------------------------------------------------


def test_it_lets_the_other_school_confirm(client_for, cast, reported):
    client = client_for(cast.users.principal_md)
    page = page_text(client.get(f"/workspace/activities/{reported.code}/"))
    assert "THCS Tây Mỗ đã ghi hoạt động này. Vui lòng kiểm tra và xác nhận, hoặc trả lại kèm ý kiến." in page
    response = client.post(f"/workspace/activities/{reported.code}/confirm/")
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.status == "confirmed" and reported.confirmed_by == cast.users.principal_md
    assert reported.history.first().history_user == cast.users.principal_md
    assert "Đã xác nhận hoạt động." in page_text(client.get(response.url))


def test_it_does_not_let_a_principal_confirm_their_own_schools_activity(client_for, cast, reported):
    client = client_for(cast.users.principal_taymo)
    assert "Xác nhận hoạt động" not in page_text(client.get(f"/workspace/activities/{reported.code}/"))
    assert client.post(f"/workspace/activities/{reported.code}/confirm/").status_code == 403
    assert client.post(f"/workspace/activities/{reported.code}/return/", {"comment": "x"}).status_code == 403
    reported.refresh_from_db()
    assert reported.status == "reported" and reported.confirmed_by is None


def test_it_says_so_when_an_activity_was_already_answered(client_for, cast, reported):
    client = client_for(cast.users.principal_md)
    client.post(f"/workspace/activities/{reported.code}/confirm/")
    response = client.post(f"/workspace/activities/{reported.code}/confirm/", follow=True)
    assert "Hoạt động này không còn chờ xác nhận." in page_text(response)


def test_it_returns_an_activity_with_a_comment_and_lets_the_logging_side_send_it_again(client_for, cast, reported):
    md = client_for(cast.users.principal_md)
    response = md.post(f"/workspace/activities/{reported.code}/return/", {"comment": ""})
    assert response.status_code == 400 and "Hãy ghi rõ cần sửa gì để bên kia chỉnh lại." in page_text(response)
    md.post(f"/workspace/activities/{reported.code}/return/", {"comment": "Thiếu số học sinh tham gia."})
    reported.refresh_from_db()
    assert reported.status == "returned" and reported.return_comment == "Thiếu số học sinh tham gia."

    taymo = client_for(cast.users.principal_taymo)
    edit = taymo.get(f"/workspace/activities/{reported.code}/edit/")
    assert "Trường bạn trả lại: Thiếu số học sinh tham gia." in page_text(edit)
    taymo.post(f"/workspace/activities/{reported.code}/edit/", _form(students_count="40", action="report"))
    reported.refresh_from_db()
    assert reported.status == "reported" and reported.students_count == 40 and reported.return_comment == ""


def test_it_sends_a_draft_from_its_page(client_for, cast):
    draft = f.activity(cast.taymo_md, happened_on=DAY, status="draft", reported_by_org=cast.taymo)
    client_for(cast.users.principal_taymo).post(f"/workspace/activities/{draft.code}/report/")
    draft.refresh_from_db()
    assert draft.status == "reported"


def test_it_does_not_change_a_confirmed_activity(client_for, cast, reported):
    reported.status = "confirmed"
    reported.save()
    assert client_for(cast.users.principal_taymo).get(f"/workspace/activities/{reported.code}/edit/").status_code == 403


# --- photos on an existing activity, deleting a draft -------------------------------------


def test_it_adds_and_removes_photos_when_changing_an_activity(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for(cast.users.principal_taymo)
    client.post(_new_url(cast), _form(photos=[upload("a.jpg"), upload("b.jpg")], action="draft"))
    activity = Activity.objects.get()
    first, second = activity.photos.all()
    image_name = first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/workspace/activities/{activity.code}/edit/",
            _form(action="draft", remove_photo=[first.code], photos=[upload("c.jpg")]),
        )
    assert list(activity.photos.values_list("order", flat=True)) == [1, 2]
    assert second in activity.photos.all() and not first.image.storage.exists(image_name)


def test_it_deletes_a_draft_but_not_a_reported_activity(client_for, cast, reported):
    client = client_for(cast.users.principal_taymo)
    draft = f.activity(cast.taymo_md, happened_on=DAY, status="draft", reported_by_org=cast.taymo)
    assert client.post(f"/workspace/activities/{draft.code}/delete/").status_code == 302
    assert not Activity.objects.filter(pk=draft.pk).exists()
    response = client.post(f"/workspace/activities/{reported.code}/delete/", follow=True)
    assert "Chỉ xoá được bản nháp." in page_text(response)
    assert Activity.objects.filter(pk=reported.pk).exists()


def test_it_keeps_pending_photos_private_to_the_user_who_sent_them(client_for, cast):
    taymo = client_for(cast.users.principal_taymo)
    response = taymo.post(_new_url(cast), _form(title="", photos=[upload()]))
    token = response.context["pending"][0].token
    other = client_for(cast.users.officer_ntl)
    assert other.get(f"/workspace/activities/pending-photos/{token}/").status_code == 404
    assert other.get(f"/workspace/activities/pending-photos/{token[:-2]}xx/").status_code == 404
    response = other.post(_new_url(cast), _form(pending_photo=[token]))
    assert "Một ảnh gửi trước đó đã hết hạn và không được giữ lại. Vui lòng chọn lại ảnh." in page_text(response)
    assert not ActivityPhoto.objects.exists()


# --- list ----------------------------------------------------------------------------------


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_lists_activities_in_a_fixed_number_of_queries(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    activity = f.activity(cast.taymo_md, happened_on=DAY, reported_by_org=cast.taymo)
    ActivityPhoto.objects.create(activity=activity, image="photos/x.jpg", width=3, height=2)
    few = _list_queries(client, "/workspace/activities/")
    for n in range(12):
        more = f.activity(cast.taymo_md, title=f"Hoạt động {n}", happened_on=DAY, reported_by_org=cast.taymo)
        ActivityPhoto.objects.create(activity=more, image="photos/y.jpg", width=3, height=2)
    assert _list_queries(client, "/workspace/activities/") == few


def test_it_filters_the_list_to_what_waits_for_me(client_for, cast, reported):
    mine = f.activity(cast.taymo_md, title="Giao lưu do Mỹ Đức ghi", happened_on=DAY, status="reported")
    mine.reported_by_org = cast.school_md
    mine.save()
    page = page_text(client_for(cast.users.principal_taymo).get("/workspace/activities/?state=waiting"))
    assert "Giao lưu do Mỹ Đức ghi" in page and "Chuyên đề Ngữ văn 7" not in page


def test_it_stores_the_photo_bytes_it_was_given_through_the_admin(admin_client, cast, reported):
    data = io.BytesIO(photo_bytes())
    data.name = "admin.jpg"
    url = "/admin/programs/activityphoto/add/"
    response = admin_client.post(url, {"activity": reported.pk, "image": data, "caption": "", "order": 0})
    assert response.status_code == 302, response.content[:2000]
    photo = ActivityPhoto.objects.get()
    assert photo.thumbnail and not Image.open(photo.image.open("rb")).getexif()
