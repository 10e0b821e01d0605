"""The public home page: programs with phases, organizers and totals."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Pair
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_shows_the_programs_with_their_phases_and_totals(client):
    call_command("seed_demo", verbosity=0)
    page = client.get("/").text
    assert "Nhà trường cùng chung tay phát triển – Thầy cô cùng sẻ chia trách nhiệm" in page
    assert "Giai đoạn 2022–2025" in page
    assert "Phòng giúp phòng, trường giúp trường" in page and "Giai đoạn 2019–2022" in page
    # 240.000.000 + 2 × 10.000.000 + 129.000.000 of the Hà Nội program
    assert "389.000.000\u00a0₫" in page
    assert "Công đoàn Giáo dục Nghệ An, Sở Giáo dục và Đào tạo Nghệ An" in page
    assert "Chuyên đề Ngữ văn 6" in page


def test_it_shows_english_at_en(client):
    call_command("seed_demo", verbosity=0)
    page = client.get("/en/").text
    assert "Phase 2022–2025" in page and "389,000,000\u00a0VND" in page
    assert '<html lang="en">' in page


def test_it_counts_only_what_is_public(client, cast):
    f.pair(cast.program, cast.school_lb, cast.school_ml, status=Pair.Status.PROPOSED)
    f.activity(cast.taymo_md, title="Bản nháp riêng", status="draft")
    f.activity(cast.taymo_md, title="Không công khai", is_public=False)
    f.activity(cast.taymo_md, title="Chờ xác nhận", status="reported")
    hidden = f.program("Chương trình nội bộ", is_public=False)
    page = client.get("/").text
    assert "Chương trình nội bộ" not in hidden.name or "Chương trình nội bộ" not in page
    for title in ("Bản nháp riêng", "Không công khai", "Chờ xác nhận"):
        assert title not in page


def test_it_uses_a_fixed_number_of_queries(client, cast):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    f.activity(cast.taymo_md, title="Hoạt động đầu tiên")
    small = count()
    for i in range(5):
        school = f.org(f"Trường THCS thêm {i}", parent=cast.office["md"])
        pair = f.pair(cast.program, cast.taymo, school)
        f.activity(pair, title=f"Hoạt động {i}")
        f.donation(cast.program, school, donor_org=cast.taymo, pair=pair)
    # programs + organizers, school ids, four totals, latest activities + photos
    assert count() == small
