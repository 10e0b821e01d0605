"""Logging, changing, confirming and returning activities in the workspace."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from programs.models import Activity, ActivityPhoto
from tests import factories as f
from tests.helpers import empty_choices, page_text
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
    assert "Đã lưu nháp. Chỉ bên ghi nhận xem được." in page_text(
        client_for(cast.users.principal_taymo).get(response.url)
    )
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


FUTURE_MESSAGE = (
    "Ngày này chưa đến. Hoạt động chưa diễn ra thì ghi vào kế hoạch của cặp kết nghĩa; "
    "hãy ghi nhận ở đây sau khi hoạt động đã diễn ra."
)


@pytest.mark.parametrize("action", ["report", "draft"])
def test_it_refuses_an_activity_that_has_not_happened_yet_pointing_to_the_plan(client_for, cast, action):
    client = client_for(cast.users.principal_taymo)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_new_url(cast), _form(happened_on=tomorrow.isoformat(), action=action))
    assert response.status_code == 200 and not Activity.objects.exists()
    assert response.context["form"].errors["happened_on"] == [FUTURE_MESSAGE]
    assert FUTURE_MESSAGE in page_text(response)
    # Today is fine: it has taken place (or is taking place).
    client.post(_new_url(cast), _form(happened_on=timezone.localdate().isoformat(), action=action))
    assert Activity.objects.count() == 1


def test_it_refuses_an_activity_dated_before_2000(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(_new_url(cast), _form(happened_on="1999-12-31"))
    message = "Ngày 31/12/1999 quá xa: chỉ nhận ngày từ 01/01/2000 trở đi. Vui lòng kiểm tra lại năm."
    assert response.context["form"].errors["happened_on"] == [message]
    assert not Activity.objects.exists()
    client.post(_new_url(cast), _form(happened_on="2000-01-01"))
    assert Activity.objects.get().happened_on == datetime.date(2000, 1, 1)


def test_it_refuses_changing_a_draft_to_a_future_date(client_for, cast):
    draft = f.activity(cast.taymo_md, happened_on=DAY, status="draft", reported_by_org=cast.taymo)
    later = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(cast.users.principal_taymo).post(
        f"/workspace/activities/{draft.code}/edit/", _form(happened_on=later.isoformat(), action="draft")
    )
    assert FUTURE_MESSAGE in page_text(response)
    draft.refresh_from_db()
    assert draft.happened_on == DAY


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
    assert "Trường kết nghĩa trả lại: Thiếu số học sinh tham gia." in page_text(edit)
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
    # session, user, scope, the pairs in sight, count, unread notifications, the page,
    # its photos
    assert _list_queries(client, "/workspace/activities/") == few == 8


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


# --- withdrawing, the public badge, the history ---------------------------------------------


def test_it_lets_the_logging_side_withdraw_an_activity_back_to_draft(client_for, cast, reported):
    from programs.reports import figures

    year = "2026-2027"
    # The year's figures count the pairs running in it: let the cast's phase reach it.
    cast.program.end_year = 2030
    cast.program.save()
    assert figures.build_report(cast.users.staff_hn, cast.program, year).total.reported == 1
    # (client_for logs the one test client in as the user named.)
    assert (
        client_for(cast.users.principal_md).post(f"/workspace/activities/{reported.code}/withdraw/").status_code == 403
    )
    taymo = client_for(cast.users.principal_taymo)
    assert "Rút lại…" in page_text(taymo.get(f"/workspace/activities/{reported.code}/"))
    response = taymo.post(f"/workspace/activities/{reported.code}/withdraw/", follow=True)
    assert "Đã rút lại hoạt động; hoạt động trở về bản nháp. Chỉ bên ghi nhận xem được." in page_text(response)
    reported.refresh_from_db()
    assert reported.status == "draft" and reported.reported_at is None
    # Nothing called "declined": a draft the partner no longer sees and no total counts.
    assert client_for(cast.users.principal_md).get(f"/workspace/activities/{reported.code}/").status_code == 404
    report = figures.build_report(cast.users.staff_hn, cast.program, year)
    assert (report.total.reported, report.total.confirmed) == (0, 0)
    assert not figures.year_activities(cast.users.staff_hn, cast.program, year).exists()
    assert not Activity.objects.public().exists()
    taymo = client_for(cast.users.principal_taymo)
    timeline = taymo.get(f"/workspace/pairs/{cast.taymo_md.code}/timeline/").context["counts"]
    assert (timeline["reported"], timeline["confirmed"], timeline["draft"]) == (0, 0, 1)
    # It can be changed and sent again (or deleted): a way forward, not a dead end.
    page = page_text(taymo.get(f"/workspace/activities/{reported.code}/"))
    assert "Gửi xác nhận" in page and "Xoá bản nháp" in page
    taymo.post(f"/workspace/activities/{reported.code}/report/")
    reported.refresh_from_db()
    assert reported.status == "reported"


def test_it_withdraws_only_what_waits_for_confirmation(client_for, cast, reported):
    reported.status = "confirmed"
    reported.save()
    client = client_for(cast.users.principal_taymo)
    assert "Rút lại…" not in page_text(client.get(f"/workspace/activities/{reported.code}/"))
    assert client.post(f"/workspace/activities/{reported.code}/withdraw/").status_code == 403
    assert client.get(f"/workspace/activities/{reported.code}/withdraw/").status_code == 405
    reported.refresh_from_db()
    assert reported.status == "confirmed"


def test_it_says_an_activity_is_public_only_once_the_public_site_shows_it(client_for, cast, reported):
    reported.is_public = True
    reported.save()
    client = client_for(cast.users.principal_taymo)
    url = f"/workspace/activities/{reported.code}/"
    page = page_text(client.get(url))
    assert "Sẽ hiển thị công khai khi bên kia xác nhận" in page
    assert "Đang hiển thị trên trang công khai" not in page
    client_for(cast.users.principal_md).post(f"{url}confirm/")
    response = client_for(cast.users.principal_taymo).get(url)
    assert "Đang hiển thị trên trang công khai" in page_text(response)
    assert f'href="/activities/{reported.code}/"' in response.text
    assert client.get(f"/activities/{reported.code}/").status_code == 200
    cast.program.is_public = False
    cast.program.save()
    page = page_text(client.get(url))
    assert "Chưa hiển thị công khai: cặp kết nghĩa hoặc chương trình chưa công khai" in page
    assert "Đang hiển thị trên trang công khai" not in page


def test_it_shows_every_step_of_an_activity_in_its_history(client_for, cast):
    taymo = client_for(cast.users.principal_taymo)
    taymo.post(_new_url(cast), _form())
    activity = Activity.objects.get()
    url = f"/workspace/activities/{activity.code}/"
    client_for(cast.users.principal_md).post(f"{url}return/", {"comment": "Thiếu số học sinh tham gia."})
    taymo = client_for(cast.users.principal_taymo)
    taymo.post(f"{url}edit/", _form(students_count="40", action="report"))
    client_for(cast.users.principal_md).post(f"{url}confirm/")
    response = client_for(cast.users.officer_md).get(url)
    steps = [(str(s["label"]), s["who"], s["comment"]) for s in response.context["history"]]
    assert steps == [
        ("Ghi nhận và gửi xác nhận", "ht.tm", ""),
        ("Trả lại để sửa", "ht.md", "Thiếu số học sinh tham gia."),
        ("Sửa và gửi xác nhận lại", "ht.tm", ""),
        ("Đã xác nhận", "ht.md", ""),
    ]
    history = page_text(response).split("Lịch sử", 1)[1]
    assert "Trả lại để sửa" in history and "Thiếu số học sinh tham gia." in history
    assert "Sửa và gửi xác nhận lại" in history and history.index("Trả lại để sửa") < history.index("Đã xác nhận")


def test_it_offers_the_same_empty_choice_in_every_select(client_for, cast):
    from programs.models import Plan

    Plan.objects.create(pair=cast.taymo_md, school_year="2026-2027")
    response = client_for(cast.users.principal_taymo).get(_new_url(cast))
    choices = empty_choices(response)
    assert set(choices) == {"kind", "host", "plan_item"}
    assert set(choices.values()) == {"— Chọn —"}


def test_it_shows_an_activity_entered_already_confirmed_as_one_step(client_for, cast):
    entered = f.activity(cast.ntl_md, title="Chuyên đề nhập sẵn", status="confirmed")
    response = client_for(cast.users.officer_ntl).get(f"/workspace/activities/{entered.code}/")
    assert [str(s["label"]) for s in response.context["history"]] == ["Nhập vào hệ thống với trạng thái “Đã xác nhận”"]


def test_the_activity_page_neither_repeats_the_place_nor_invents_zero_participants(client_for, cast):
    activity = f.activity(cast.taymo_md, host=cast.taymo, place="Trường THCS Tây Mỗ, quận Nam Từ Liêm, Hà Nội")
    text = page_text(client_for(cast.users.principal_taymo).get(f"/workspace/activities/{activity.code}/"))
    assert "Địa điểm Trường THCS Tây Mỗ, quận Nam Từ Liêm, Hà Nội" in text
    assert "Trường THCS Tây Mỗ, Trường THCS Tây Mỗ" not in text
    assert "0 giáo viên" not in text and "Chưa ghi số người tham gia" in text
    Activity.objects.filter(pk=activity.pk).update(teachers_count=12, students_count=40)
    text = page_text(client_for(cast.users.principal_taymo).get(f"/workspace/activities/{activity.code}/"))
    assert "12 giáo viên, 40 học sinh, 0 cán bộ quản lý" in text
