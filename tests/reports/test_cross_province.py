"""A pair across provinces (issue 10): a Hà Nội school helping a Nghệ An border boarding
school counts in both Departments' reports, dashboard, lists and workbook."""

import pytest

from programs.reports import figures
from tests.helpers import annual_workbook, page_text

pytestmark = pytest.mark.django_db

YEAR = "2025-2026"


def test_both_departments_count_a_pair_across_provinces(client_for, cast, today):
    query = f"program={today.program.slug}&year={YEAR}"
    for user in (cast.users.staff_hn, cast.users.staff_na):
        report = figures.build_report(user, today.program, YEAR)
        assert report.total.pairs == 1 and report.total.active == 1, user
        client = client_for(user)
        assert "Trường PTDTNT liên cấp TH&THCS Nhôn Mai" in page_text(client.get(f"/reports/?{query}"))
        rows = page_text(client.get(f"/reports/pairs/?{query}"))
        assert "THCS Đại Mỗ" in rows and "Nhôn Mai" in rows, user
        book = annual_workbook(client, program=today.program.slug, year=YEAR)
        cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
        assert any("Nhôn Mai" in value for value in cells), user


def test_a_department_of_a_third_province_does_not_see_it(client_for, cast, today):
    from schools.models import Area, Membership, Organization
    from tests import factories as f

    hue = f.area("Huế", kind=Area.Kind.PROVINCE, designation="thành phố")
    dept = f.org("Sở GD&ĐT Huế", Organization.Kind.DEPARTMENT, area=hue)
    staff = f.user("sogd.hue", role=Membership.Role.DEPARTMENT_STAFF, organization=dept)
    response = client_for(staff).get(f"/reports/pairs/?program={today.program.slug}&year={YEAR}")
    assert response.status_code in (200, 404)
    assert "Nhôn Mai" not in page_text(response)
