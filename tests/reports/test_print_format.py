"""The printed documents (the year-end report, the list of commendations) in the form of
Decree 30/2020/NĐ-CP, and a trade union's in the union's own (Decision 933/QĐ-TLĐ):
the total once at the end of a table, the number line with the issuer's abbreviation,
place names kept on one line, a signature block without instructions and with the
head's typed name, page numbers from the second page."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from programs.reports import letterhead
from schools.models import Membership
from tests import factories as f
from tests.helpers import page_text
from tests.reports.conftest import YEAR

NBSP = "\u00a0"


def report_url(program, year=YEAR):
    return reverse("reports:annual-report", args=[program.slug, year])


def commendations_url(program, year=YEAR):
    return reverse("workspace:commendation-list") + f"?program={program.slug}&year={year}"


def signature_block(html):
    return re.search(r'<td class="signer">(.*?)</td>', html, re.S).group(1)


def test_it_prints_the_total_once_as_the_last_row_of_the_table(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    html = client.get(report_url(cast.program)).content.decode()
    # A tfoot is printed again at the foot of every page a long table runs over.
    assert "<tfoot" not in html
    table = re.search(r'<table class="report-table report-table-units">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr.*?</tr>", table.split("<tbody>")[1], re.S)
    assert "Toàn bộ (mỗi cặp tính một lần)" in rows[-1] and 'class="total-row"' in rows[-1]
    assert sum("Toàn bộ" in row for row in rows) == 1
    # The dashboard's table and the list of support records close the same way.
    params = {"program": cast.program.slug, "year": YEAR}
    dashboard = client.get(reverse("reports:dashboard"), params).content.decode()
    units = re.search(r'<table class="[^"]*report-units.*?</table>', dashboard, re.S).group(0)
    assert "<tfoot" not in units and "Toàn bộ (mỗi cặp tính một lần)" in units.split("</tbody>")[0]
    support = client.get("/reports/support/", params).content.decode()
    assert "<tfoot" not in support and "Tổng cộng (mọi trang)" in support


def test_it_numbers_the_document_with_the_issuer_s_abbreviation(cast, year_data, client_for):
    assert "Số: ……/BC-SGDĐT" in page_text(client_for(cast.users.staff_hn).get(report_url(cast.program)))
    assert "Số: ……/DS-SGDĐT" in page_text(client_for(cast.users.staff_hn).get(commendations_url(cast.program)))
    assert "Số: ……/BC-PGDĐT" in page_text(client_for(cast.users.officer_ntl).get(report_url(cast.program)))


@pytest.mark.parametrize(
    ("name", "places", "expected"),
    [
        ("Sở Giáo dục và Đào tạo Hà Nội", ["Thành phố Hà Nội", "Hà Nội"], "SGDĐT"),
        ("Sở GD&ĐT Nghệ An", ["Tỉnh Nghệ An", "Nghệ An"], "SGDĐT"),
        ("Phòng Giáo dục và Đào tạo quận Nam Từ Liêm", ["Quận Nam Từ Liêm", "Nam Từ Liêm"], "PGDĐT"),
        ("Phòng GD&ĐT TP Vinh", ["Vinh"], "PGDĐT"),
        ("Công đoàn Giáo dục Nghệ An", ["Nghệ An"], "CĐGD"),
        ("Ủy ban nhân dân xã Nhôn Mai", ["Xã Nhôn Mai", "Nhôn Mai"], "UBND"),
        ("Cụm chuyên môn THCS số 1 Hà Nội (minh hoạ)", ["Hà Nội"], "CCMTHCS1"),
        ("Sở Giáo dục và Đào tạo", [], "SGDĐT"),
    ],
)
def test_it_abbreviates_the_issuer_s_name(name, places, expected):
    assert letterhead.abbreviation(name, places) == expected


def test_it_keeps_place_names_on_one_line(cast, year_data, client_for):
    cast.dept.name = "Sở Giáo dục và Đào tạo Hà Nội"
    cast.dept.save()
    html = client_for(cast.users.staff_hn).get(report_url(cast.program)).content.decode()
    # "…ĐÀO TẠO HÀ / NỘI" cannot happen: the words of the place are joined by no-break spaces.
    assert f"SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ{NBSP}NỘI" in html
    assert f"UBND THÀNH{NBSP}PHỐ{NBSP}HÀ{NBSP}NỘI" in html
    assert f"Hà{NBSP}Nội, ngày" in html
    assert letterhead.keep_together("Phòng GD&ĐT quận Nam Từ Liêm", ["Quận Nam Từ Liêm", "Nam Từ Liêm"]) == (
        f"Phòng GD&ĐT quận{NBSP}Nam{NBSP}Từ{NBSP}Liêm"
    )


def test_it_dates_the_document_as_decree_30_writes_dates(cast, year_data, client_for, monkeypatch):
    client = client_for(cast.users.staff_hn)
    monkeypatch.setattr(letterhead.timezone, "localdate", lambda: datetime.date(2026, 2, 5))
    assert "Hà Nội, ngày 05 tháng 02 năm 2026" in page_text(client.get(report_url(cast.program)))
    monkeypatch.setattr(letterhead.timezone, "localdate", lambda: datetime.date(2026, 11, 20))
    assert "Hà Nội, ngày 20 tháng 11 năm 2026" in page_text(client.get(report_url(cast.program)))


def test_it_leaves_the_signature_to_the_signer_without_instructions(cast, year_data, client_for):
    for response in (
        client_for(cast.users.staff_hn).get(report_url(cast.program)),
        client_for(cast.users.staff_hn).get(commendations_url(cast.program)),
    ):
        block = signature_block(response.content.decode())
        assert "GIÁM ĐỐC" in block and 'class="signer-space"' in block
        assert "Ký" not in block and "ghi rõ" not in block and "(" not in block
        assert "Ký, ghi rõ" not in page_text(response)


def test_it_types_the_name_of_the_unit_s_head_under_the_signature(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    cast.users.staff_hn.first_name = "Lê Thị Soạn"
    cast.users.staff_hn.save()
    # Nobody known as the head: the space stays for a handwritten name, and the
    # person who prints the report is not taken for the signer.
    block = signature_block(client.get(report_url(cast.program)).content.decode())
    assert re.search(r'<div class="signer-name">\s*</div>', block) and "Lê Thị Soạn" not in block
    # A current role titled as the head (a deputy is not the head).
    deputy = f.user("pgd.hn", first_name="Phạm Văn Phó")
    Membership.objects.create(user=deputy, organization=cast.dept, role="department_staff", title="Phó Giám đốc")
    director = f.user("gd.hn", first_name="Nguyễn Văn Giám")
    Membership.objects.create(user=director, organization=cast.dept, role="department_staff", title="Giám đốc Sở")
    block = signature_block(client.get(report_url(cast.program)).content.decode())
    assert "Nguyễn Văn Giám" in block and "Phạm Văn Phó" not in block
    # The head's name recorded on the unit comes first.
    cast.dept.head_name = "Trần Thế Cương"
    cast.dept.save()
    block = signature_block(client.get(commendations_url(cast.program)).content.decode())
    assert "Trần Thế Cương" in block and "Nguyễn Văn Giám" not in block


def test_it_prints_a_union_document_in_the_union_s_format(cast, client_for):
    chair = f.user("ct.cdgd", first_name="Hoàng Thị Chủ")
    Membership.objects.create(user=chair, organization=cast.union_na, role="union_officer", title="Chủ tịch")
    response = client_for(cast.users.union_na).get(report_url(cast.program_na, "2019-2020"))
    assert response.status_code == 200
    page = page_text(response)
    # The superior union above the issuing one; the national motto stays (933/QĐ-TLĐ).
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH NGHỆ AN CÔNG ĐOÀN GIÁO DỤC NGHỆ AN" in page
    assert "UBND" not in page.split("BÁO CÁO")[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in page
    assert f"LIÊN ĐOÀN LAO ĐỘNG TỈNH{NBSP}NGHỆ{NBSP}AN" in response.content.decode()
    assert "Số: ……/BC-CĐGD" in page and "Nghệ An, ngày" in page
    # Signed on behalf of the union's standing committee by its chair.
    block = page_text_of(signature_block(response.content.decode()))
    assert block == "TM. BAN THƯỜNG VỤ CHỦ TỊCH Hoàng Thị Chủ"
    assert "CĐGD" in page_text(client_for(cast.users.union_na).get(commendations_url(cast.program_na, "2019-2020")))


def test_a_union_with_no_province_answers_to_the_general_confederation(cast):
    union = f.org("Công đoàn Giáo dục Việt Nam", "union")
    assert letterhead.superior_body(union) == "Tổng Liên đoàn Lao động Việt Nam"
    assert letterhead.issuer_abbreviation(union) == "CĐGDVN"


def test_a_commune_committee_signs_collectively_and_a_cluster_by_its_head(today):
    head = today.users.cluster_na
    head.first_name = "Vi Văn Cụm"
    head.save()
    commune = letterhead.letterhead(today.users.commune_na, today.program)
    assert commune["superior"] == "" and commune["issuer_code"] == "UBND"
    assert commune["issuer"] == f"UBND xã{NBSP}Nhôn{NBSP}Mai"
    assert (str(commune["signer_on_behalf"]), str(commune["signer_title"])) == ("TM. Ủy ban nhân dân", "Chủ tịch")
    cluster = letterhead.letterhead(head, today.program)
    assert cluster["issuer_code"] == "CCM1" and cluster["superior"] == f"Sở GD&ĐT Nghệ{NBSP}An"
    assert (str(cluster["signer_title"]), cluster["signer_name"]) == ("Cụm trưởng", "Vi Văn Cụm")


def test_it_numbers_printed_pages_from_the_second_in_the_top_margin():
    css = Path(settings.BASE_DIR, "static", "css", "report-print.css").read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    page = re.search(r"@page\s*\{(.*?)\n\}", rules, re.S).group(1)
    assert re.search(r"@top-center\s*\{[^}]*content:\s*counter\(page\)", page)
    assert re.search(r"@page\s*:first\s*\{\s*@top-center\s*\{\s*content:\s*none", rules)


def page_text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
