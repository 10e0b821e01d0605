"""A long sheet is imported by a background job after its preview: the job page shows
the outcome, or every bad row when the data changed since the preview."""

import pytest

from jobs.models import Job
from programs.views.workspace import imports as import_views
from schools.models import Organization
from tests import factories as f
from tests.helpers import page_text, xlsx_bytes
from tests.workspace_officer.test_imports import preview, school_rows, upload


@pytest.fixture
def long_sheets(monkeypatch):
    monkeypatch.setattr(import_views, "JOB_ROWS", 2)


def test_a_long_sheet_is_imported_by_a_job_after_its_preview(client_for, cast, long_sheets):
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "schools", xlsx_bytes(school_rows()), "truong.xlsx"))
    assert "được nhập ở chế độ nền" in page_text(page)
    response = client.post(url + "confirm/")
    job = Job.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.kind == "import" and job.status == Job.Status.DONE and job.total == job.done == 3
    text = page_text(client.get(response["Location"]))
    assert "Đã nhập xong: thêm mới 3, cập nhật 0, giữ nguyên 0." in text
    assert Organization.objects.filter(code__startswith="HN-LB-").count() == 3


def test_a_job_whose_rows_went_bad_since_the_preview_saves_nothing_and_lists_them(client_for, cast, long_sheets):
    client = client_for(cast.users.officer_lb)
    _page, url = preview(client, upload(client, "schools", xlsx_bytes(school_rows()), "truong.xlsx"))
    # Meanwhile Mê Linh's office registers a school under one of the sheet's codes.
    f.org("Trường Tiểu học Mê Linh B", parent=cast.office["ml"], code="HN-LB-TH-02")
    response = client.post(url + "confirm/")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    text = page_text(client.get(response["Location"]))
    assert "Không hoàn thành:" in text
    assert "Dòng Cột Cần sửa 3 Mã đơn vị Mã HN-LB-TH-02" in text
    assert "không thuộc phạm vi quản lý của đơn vị nhập" in text
    assert Organization.objects.filter(code__startswith="HN-LB-").count() == 1  # only Mê Linh's


@pytest.fixture
def checked_by_job(monkeypatch):
    monkeypatch.setattr(import_views, "CHECK_JOB_ROWS", 2)


def test_a_province_sheet_is_checked_by_a_job_whose_report_the_preview_shows(client_for, cast, checked_by_job):
    client = client_for(cast.users.officer_lb)
    response = upload(client, "schools", xlsx_bytes(school_rows()), "truong.xlsx")
    job = Job.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.kind == "import-check" and job.status == Job.Status.DONE and job.total == 3
    text = page_text(client.get(response["Location"]))
    assert "Đã kiểm tra: thêm mới 3, cập nhật 0, giữ nguyên 0." in text
    assert not Organization.objects.filter(code__startswith="HN-LB-").exists()  # a check writes nothing
    preview_url = job.result["link"]
    page = client.get(preview_url)
    assert "Sẵn sàng: thêm mới 3, cập nhật 0, giữ nguyên 0." in page_text(page)
    # The preview shows the job's report: it does not check the sheet again.
    job.result["report"]["counts"]["new"] = 99
    job.save()
    assert "thêm mới 99" in page_text(client.get(preview_url))
    client.post(preview_url + "confirm/")
    assert Organization.objects.filter(code__startswith="HN-LB-").count() == 3


def test_a_check_job_lists_the_bad_rows_and_another_user_cannot_see_its_preview(client_for, cast, checked_by_job):
    rows = school_rows()
    rows[2][3] = "Đại học"
    client = client_for(cast.users.officer_lb)
    upload(client, "schools", xlsx_bytes(rows), "truong.xlsx")
    job = Job.objects.get()
    assert "Đã kiểm tra: bảng tính có 1 lỗi" in page_text(client.get(f"/exports/{job.pk}/"))
    page = page_text(client.get(job.result["link"]))
    assert "Dòng Cột Lỗi 3 Cấp học “Đại học” không thuộc" in page and "Tải lên tệp đã sửa" in page
    other = client_for(cast.users.officer_ml)
    assert other.get(job.result["link"]).status_code == 404
