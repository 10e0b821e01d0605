"""/reports/annual/<program>/<year>/: the printable year-end report."""

from django.urls import reverse

from programs.models import Review
from tests.helpers import page_text
from tests.reports.conftest import YEAR


def url(program, year=YEAR):
    return reverse("reports:annual-report", args=[program.slug, year])


def test_it_prints_in_the_layout_of_a_vietnamese_official_report(cast, year_data, client_for):
    cast.dept.head_name = "Trần Thế Cương"
    cast.dept.save()
    response = client_for(cast.users.staff_hn).get(url(cast.program))
    assert response.status_code == 200
    page = page_text(response)
    assert "UBND THÀNH PHỐ HÀ NỘI" in page and "SỞ GD&ĐT HÀ NỘI" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "Hà Nội, ngày" in page and "tháng" in page and "năm" in page
    assert "BÁO CÁO Tổng kết năm học 2022–2023 phong trào “Nhà trường cùng chung tay phát triển”" in page
    assert "GIÁM ĐỐC" in page and "Trần Thế Cương" in page and "Nơi nhận:" in page
    assert "css/report-print.css" in response.text
    # The figures: activities, support (own-unit support said apart), the table per office.
    assert "Các cặp kết nghĩa đã tổ chức 3 hoạt động (2 hoạt động đã được đơn vị kết nghĩa xác nhận" in page
    assert "Tổng hỗ trợ giữa các đơn vị: 265.000.000 ₫." in page
    assert "hỗ trợ học sinh của chính đơn vị mình 129.000.000 ₫ (không cộng vào các số liệu trên)" in page
    assert "Phòng GD&ĐT Long Biên" in page and "1/3 cặp đang kết nghĩa đã gửi bản tổng kết" in page


def test_it_is_issued_by_the_officer_s_office(cast, year_data, client_for):
    page = page_text(client_for(cast.users.officer_ntl).get(url(cast.program)))
    assert "UBND QUẬN NAM TỪ LIÊM" in page and "PHÒNG GD&ĐT NAM TỪ LIÊM" in page
    assert "TRƯỞNG PHÒNG" in page and "Long Biên" not in page


def test_it_lists_the_commendations_with_the_activities_behind_them(cast, year_data, client_for):
    review = year_data.review
    review.status, review.rating, review.commended = Review.Status.RATED, Review.Rating.EXCELLENT, True
    review.commendation = "Tổ chức giao lưu chuyên môn đều đặn"
    review.save()
    review.commendation_activities.set([year_data.exchange])
    page = page_text(client_for(cast.users.staff_hn).get(url(cast.program)))
    assert "KHEN THƯỞNG" in page
    assert "Trường THCS Tây Mỗ – Trường THCS Mỹ Đức A Xuất sắc Tổ chức giao lưu chuyên môn đều đặn" in page
    assert "20/11/2022: Giao lưu tháng 11" in page


def test_it_refuses_a_bad_year_and_those_without_a_role_in_reports(cast, client_for):
    assert client_for(cast.users.staff_hn).get(url(cast.program, "2022")).status_code == 404
    assert client_for(cast.users.principal_taymo).get(url(cast.program)).status_code == 403
    assert client_for(cast.users.staff_na).get(url(cast.program)).status_code == 404
