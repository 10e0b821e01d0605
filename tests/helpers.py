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
