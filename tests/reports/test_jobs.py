"""Background jobs: the annual summary workbook made by a job, the user's files, a
failure told in words, expiry, and a real worker taking jobs from the database
queue (in-process on both databases, and as a separate process on PostgreSQL)."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from jobs import runner
from jobs.models import Job
from tests.helpers import annual_workbook, annual_workbook_response, page_text
from tests.reports.conftest import YEAR

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_workbook_is_made_by_a_job_with_a_title_row_and_print_settings(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    job_page, download = annual_workbook_response(client, program=cast.program.slug, year=YEAR)
    text = page_text(job_page)
    assert "Bảng tổng hợp Nhà trường cùng chung tay phát triển, năm học 2022–2023 (Excel)" in text
    assert "Tải tệp xuống bao-cao-tong-ket-" in text and "lưu đến" in text
    assert download["Content-Disposition"].startswith('attachment; filename="bao-cao-tong-ket-')
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    for sheet in book.worksheets:
        title = sheet["A1"].value
        assert title.startswith(sheet.title) and "năm học 2022–2023" in title and "Sở GD&ĐT Hà Nội" in title
        assert "lập lúc" in title
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$2:$2"
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.user == cast.users.staff_hn
    assert job.total == job.done > 0 and job.size > 0
    # It waits in the user's files.
    files = page_text(client.get("/exports/"))
    assert "Tệp của tôi" in files and "Bảng tổng hợp Nhà trường cùng chung tay phát triển" in files


def test_nobody_else_sees_a_users_job(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    annual_workbook(client, program=cast.program.slug, year=YEAR)
    job = Job.objects.get()
    for user in (cast.users.officer_ntl, cast.users.staff_na):
        client.force_login(user)
        for suffix in ("", "status/", "download/"):
            assert client.get(f"/exports/{job.pk}/{suffix}").status_code == 404
        assert "Chưa có tệp nào" in page_text(client.get("/exports/"))
    client.logout()
    response = client.get(f"/exports/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_progress_is_given_as_json_for_the_bar(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    annual_workbook(client, program=cast.program.slug, year=YEAR)
    job = Job.objects.get()
    state = client.get(f"/exports/{job.pk}/status/").json()
    assert state["status"] == "done" and state["finished"] and state["percent"] == 100
    assert state["done"] == state["total"] == job.total


@pytest.fixture
def test_kinds():
    @runner.job_kind("test-refused")
    def refused(job, out, progress):
        raise runner.JobFailed("Tệp có hơn 50.000 dòng.")

    @runner.job_kind("test-broken")
    def broken(job, out, progress):
        progress(5, 10)
        raise RuntimeError("disk on fire")

    yield
    runner.RUNNERS.pop("test-refused")
    runner.RUNNERS.pop("test-broken")


def test_a_failed_job_says_why(cast, client, test_kinds):
    client.force_login(cast.users.staff_hn)
    refused = runner.start(cast.users.staff_hn, "test-refused", "Nhập danh sách trường")
    broken = runner.start(cast.users.staff_hn, "test-broken", "Xuất dữ liệu")
    page = page_text(client.get(f"/exports/{refused.pk}/"))
    assert "Không hoàn thành: Tệp có hơn 50.000 dòng." in page
    page = page_text(client.get(f"/exports/{broken.pk}/"))
    assert "Có lỗi ngoài dự kiến" in page and str(broken.pk) in page and "disk on fire" not in page
    assert client.get(f"/exports/{broken.pk}/download/").status_code == 404


def test_an_expired_job_and_its_file_are_deleted(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    annual_workbook(client, program=cast.program.slug, year=YEAR)
    job = Job.objects.get()
    path = Path(job.file.path)
    assert path.exists()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    call_command("purge_jobs", verbosity=0)
    assert not Job.objects.exists() and not path.exists()


def test_a_worker_takes_the_job_from_the_database_queue(cast, year_data, client, settings):
    if connection.vendor != "sqlite":
        # The worker closes the database connection between jobs, which would end the
        # test's transaction: PostgreSQL runs the worker as a process (next test).
        pytest.skip("in-process worker on SQLite; a worker process on PostgreSQL")
    settings.TASKS = DATABASE_QUEUE
    client.force_login(cast.users.staff_hn)
    response = client.post("/reports/annual-summary.xlsx", {"program": cast.program.slug, "year": YEAR})
    job = Job.objects.get()
    page = page_text(client.get(response["Location"]))
    assert job.status == Job.Status.QUEUED and "Đang chờ bắt đầu" in page and "Có thể rời trang này" in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.file
    assert "Tải tệp xuống" in page_text(client.get(response["Location"]))


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_the_job_on_postgresql(cast, year_data, client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database server it can share (PostgreSQL)")
    settings.TASKS = DATABASE_QUEUE
    client.force_login(cast.users.staff_hn)
    client.post("/reports/annual-summary.xlsx", {"program": cast.program.slug, "year": YEAR})
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TASKS_BACKEND": "database",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    book = load_workbook(job.file.path)
    assert book.sheetnames[0] == "Tổng hợp theo đơn vị"
