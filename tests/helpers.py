"""Helpers shared by test modules (fixtures live in conftest.py)."""

PASSWORD = "test-pass-123"


def browser_login(page, username, password=PASSWORD):
    """Logs in through the real login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def xlsx_bytes(rows) -> bytes:
    """An .xlsx workbook (one sheet) holding ``rows`` (the first row is the header)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def page_text(response) -> str:
    """The HTML of a response with entities decoded ("GD&amp;ĐT" → "GD&ĐT") and tags
    removed, whitespace collapsed: what a person reads."""
    import html
    import re

    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def empty_choices(response) -> dict[str, str]:
    """{select name: text of its empty option} for the selects of a page that offer one."""
    import html
    import re

    found = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', response.content.decode(), re.S):
        empty = re.search(r'<option value=""[^>]*>([^<]*)</option>', body)
        if empty:
            found[name] = html.unescape(empty.group(1)).strip()
    return found


def annual_workbook_response(client, **params):
    """Asks for the annual summary workbook as a user does (the dashboard's button
    starts a job; tests run jobs at once) and returns the job page's response and
    the download's."""
    response = client.post("/reports/annual-summary.xlsx", params)
    assert response.status_code == 302, response.status_code
    job_page = client.get(response["Location"])
    assert job_page.status_code == 200
    download = client.get(response["Location"] + "download/")
    return job_page, download


def annual_workbook(client, **params):
    """The annual summary workbook, opened as Excel would (row 1: its title, row 2:
    the headers)."""
    import io

    from openpyxl import load_workbook

    job_page, download = annual_workbook_response(client, **params)
    assert download.status_code == 200, page_text(job_page)
    assert "attachment" in download["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(download.streaming_content)))
