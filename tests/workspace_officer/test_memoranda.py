"""/workspace/memoranda/: record a memorandum with signatories, covered pairs and its
scan; the scan is only downloaded through a view that checks scope."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Memorandum
from tests.helpers import page_text
from tests.workspace_officer.conftest import PDF, png_bytes


def memo_data(cast, pairs, **extra):
    data = {
        "program": cast.program.pk,
        "title": "Bản ghi nhớ về chương trình kết nghĩa cùng chung tay phát triển",
        "reference_number": "12/BBGN-LB-ML",
        "signed_on": "2024-03-11",
        "place": "Trụ sở UBND huyện Mê Linh",
        "valid_from": "2024-03-11",
        "valid_until": "2025-08-31",
        "pairs": [p.pk for p in pairs],
        "note": "",
        "signatories-TOTAL_FORMS": "2",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "1000",
        "signatories-0-name": "",
        "signatories-0-title": "Trưởng phòng GD&ĐT quận Long Biên",
        "signatories-0-organization": cast.office["lb"].pk,
        "signatories-1-name": "Nguyễn Văn A",
        "signatories-1-title": "Trưởng phòng GD&ĐT huyện Mê Linh",
        "signatories-1-organization": cast.office["ml"].pk,
    }
    data.update(extra)
    return data


def test_it_records_a_memorandum_with_its_scan_and_signatories(client_for, cast):
    client = client_for(cast.users.officer_lb)
    assert client.get(f"/workspace/memoranda/new/?pair={cast.lb_ml.code}").status_code == 200
    scan = SimpleUploadedFile("bien ban.PDF", PDF, content_type="application/octet-stream")
    response = client.post("/workspace/memoranda/new/", memo_data(cast, [cast.lb_ml], scan=scan))
    memo = Memorandum.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/memoranda/{memo.code}/"
    assert memo.created_by == cast.users.officer_lb and memo.signed_on == datetime.date(2024, 3, 11)
    assert list(memo.pairs.all()) == [cast.lb_ml]
    assert [(s.name, s.title, s.organization) for s in memo.signatories.all()] == [
        ("", "Trưởng phòng GD&ĐT quận Long Biên", cast.office["lb"]),
        ("Nguyễn Văn A", "Trưởng phòng GD&ĐT huyện Mê Linh", cast.office["ml"]),
    ]
    assert memo.scan.name.startswith("private/memoranda/") and memo.scan.name.endswith(".pdf")
    assert "bien ban" not in memo.scan.name
    page = page_text(client.get(response["Location"]))
    assert "12/BBGN-LB-ML" in page and "Mở bản scan (PDF)" in page and "Nguyễn Văn A" in page
    # The other side's officer sees it and downloads the scan; it is not under MEDIA_URL.
    download = client_for(cast.users.officer_ml).get(f"/workspace/memoranda/{memo.code}/scan/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    assert "/media-not-served/" not in client.get(response["Location"]).text


def test_it_accepts_a_png_scan_and_refuses_a_file_that_only_looks_like_a_pdf(client_for, cast):
    client = client_for(cast.users.officer_lb)
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post("/workspace/memoranda/new/", memo_data(cast, [cast.lb_ml], scan=fake, title="Giữ tên"))
    assert response.status_code == 200
    assert "không phải là tệp PDF, JPEG, PNG" in page_text(response)
    assert "Giữ tên" in response.text  # what was typed is kept
    assert not Memorandum.objects.exists()
    png = SimpleUploadedFile("scan.jpg", png_bytes(), content_type="image/jpeg")
    client.post("/workspace/memoranda/new/", memo_data(cast, [cast.lb_ml], scan=png))
    assert Memorandum.objects.get().scan.name.endswith(".png")  # named by content, not by the user


def test_it_refuses_a_scan_over_the_size_limit(client_for, cast, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client_for(cast.users.officer_lb).post(
        "/workspace/memoranda/new/", memo_data(cast, [cast.lb_ml], scan=big)
    )
    assert response.status_code == 200
    assert "Tệp “bien-ban.pdf” có dung lượng 2,2 KB; dung lượng tối đa là 1,0 KB." in page_text(response)
    assert not Memorandum.objects.exists()


def test_it_explains_missing_and_wrong_fields(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    response = client.post(
        "/workspace/memoranda/new/",
        memo_data(cast, [], title="", valid_from="2025-01-01", valid_until="2024-01-01"),
    )
    errors = response.context["form"].errors
    assert "Hãy đánh dấu ít nhất một cặp kết nghĩa mà biên bản này áp dụng." in errors["pairs"]
    assert "title" in errors
    assert not Memorandum.objects.exists()
    # Another office's pair is not offered.
    response = client.post("/workspace/memoranda/new/", memo_data(cast, [cast.lb_ml]))
    assert "pairs" in response.context["form"].errors


def test_it_keeps_the_pairs_of_other_offices_when_an_officer_edits(client_for, cast):
    memo = Memorandum.objects.create(program=cast.program, title="Ghi nhớ chung", created_by=cast.users.staff_hn)
    memo.pairs.set([cast.ntl_md, cast.lb_ml])
    client = client_for(cast.users.officer_lb)
    data = memo_data(cast, [cast.lb_ml], title="Ghi nhớ chung (sửa)")
    data["signatories-TOTAL_FORMS"] = "0"
    response = client.post(f"/workspace/memoranda/{memo.code}/edit/", data)
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.title == "Ghi nhớ chung (sửa)"
    assert set(memo.pairs.all()) == {cast.ntl_md, cast.lb_ml}
    assert memo.history.first().history_user == cast.users.officer_lb


def test_it_hides_memoranda_and_scans_outside_the_scope(client_for, cast):
    memo = Memorandum.objects.create(
        program=cast.program, title="Ghi nhớ Long Biên – Mê Linh", scan=SimpleUploadedFile("a.pdf", PDF)
    )
    memo.pairs.set([cast.lb_ml])
    client = client_for(cast.users.officer_ntl)
    assert client.get(f"/workspace/memoranda/{memo.code}/").status_code == 404
    assert client.get(f"/workspace/memoranda/{memo.code}/scan/").status_code == 404
    assert "Ghi nhớ Long Biên" not in page_text(client.get("/workspace/memoranda/"))
    assert client_for(cast.users.staff_na).get(f"/workspace/memoranda/{memo.code}/scan/").status_code == 404
    assert client_for(cast.users.staff_hn).get(f"/workspace/memoranda/{memo.code}/scan/").status_code == 200


def test_it_lists_memoranda_expiring_soon(client_for, cast):
    from django.utils import timezone

    soon = Memorandum.objects.create(
        program=cast.program, title="Sắp hết hạn", valid_until=timezone.localdate() + datetime.timedelta(days=20)
    )
    later = Memorandum.objects.create(
        program=cast.program, title="Còn lâu", valid_until=timezone.localdate() + datetime.timedelta(days=400)
    )
    for memo in (soon, later):
        memo.pairs.set([cast.lb_ml])
    page = page_text(client_for(cast.users.officer_ml).get("/workspace/memoranda/", {"expiring": "on"}))
    assert "Sắp hết hạn" in page and "Còn lâu" not in page


def test_it_refuses_a_memorandum_signed_in_the_future_or_before_1990(client_for, cast):
    from django.utils import timezone

    client = client_for(cast.users.officer_lb)
    next_year = timezone.localdate() + datetime.timedelta(days=400)
    response = client.post(
        "/workspace/memoranda/new/",
        memo_data(cast, [cast.lb_ml], signed_on=next_year.isoformat(), valid_from="1900-01-01"),
    )
    assert response.status_code == 200
    page = page_text(response)
    assert f"Ngày ký ({next_year:%d/%m/%Y}) là một ngày trong tương lai. Vui lòng ghi ngày đã ký." in page
    assert "Hiệu lực từ (01/01/1900) trước ngày 01/01/1990. Vui lòng kiểm tra lại năm." in page
    assert response.context["form"].errors.keys() == {"signed_on", "valid_from"}
    assert not Memorandum.objects.exists()


def test_a_search_of_many_words_costs_the_same_queries_as_one_word(client_for, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    memo = Memorandum.objects.create(program=cast.program, title="Ghi nhớ hợp tác", place="Long Biên")
    memo.pairs.set([cast.lb_ml, cast.ntl_md])
    client = client_for(cast.users.staff_hn)
    counts = {}
    for query in ("long", "phong gd dt long bien me linh"):
        with CaptureQueriesContext(connection) as captured:
            page = page_text(client.get("/workspace/memoranda/", {"q": query}))
        counts[query] = len(captured)
        assert "Ghi nhớ hợp tác" in page, query
    assert counts["long"] == counts["phong gd dt long bien me linh"]
    # Every word must match somewhere: a word from no side and no title finds nothing.
    assert "Ghi nhớ hợp tác" not in page_text(client.get("/workspace/memoranda/", {"q": "long bien vinh"}))
