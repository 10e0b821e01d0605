"""Every staff page a person can reach by links answers and is well-formed HTML: the
public site's checker (tests/public/htmlcheck.py) over the workspace and the reports,
crawled as each role sees them, in Vietnamese. A link a person is shown must open."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.public.crawl import links
from tests.public.htmlcheck import problems

pytestmark = pytest.mark.django_db

STAFF = ("/workspace/", "/reports/")
# Files, not pages: workbooks, CSV, scans, receipts, photos, print-only views.
FILES = re.compile(r"\.(xlsx|csv|pdf)(\?|$)|/(scan|receipt|photos?|template)/|/download/|/export")


def crawl_staff(client, limit):
    pages, queue = {}, ["/workspace/"]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages or not url.startswith(STAFF) or FILES.search(url):
            continue
        response = client.get(url, follow=True)  # "Log an activity" goes straight to the only pair
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[url] = response.content.decode()
        queue.extend(link for link in links(pages[url], url) if link not in pages)
    return pages


@pytest.mark.parametrize(
    "username", ["ubnd.taymo", "ht.taymo", "ht.nhonmai", "sogd.hanoi", "sogd.nghean", "congdoan.nghean"]
)
def test_every_staff_page_a_role_reaches_opens_and_is_well_formed(client, username):
    call_command("seed_demo", accounts=True, verbosity=0)
    client.force_login(get_user_model().objects.get(username=username))
    pages = crawl_staff(client, limit=120)
    assert len(pages) > 10
    found = {url: problems(page) for url, page in pages.items()}
    assert {url: issues for url, issues in found.items() if issues} == {}
