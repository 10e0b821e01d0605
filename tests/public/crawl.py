"""Reading the public site as a visitor does: every page reachable by links."""

import html
import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import translation

# Not public pages (or not pages): the staff side, files, the language form's target.
_NOT_PAGES = ("/accounts/", "/admin/", "/workspace/", "/reports/", "/photos/")
SKIP = ("/static/", "/i18n/", *_NOT_PAGES, *(f"/en{prefix}" for prefix in _NOT_PAGES))
STARTS = ("/", "/pairs/", "/pairs/?show=units", "/en/", "/en/pairs/?show=units")


def links(page: str, base: str):
    """The same-site links of an HTML page, as absolute paths with their query."""
    for href in re.findall(r'href="([^"]*)"', page):
        href = html.unescape(href).split("#")[0]
        if not href or href.startswith(("http:", "https:", "mailto:", "tel:", "//")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts=STARTS, limit=400) -> dict[str, str]:
    """{url: HTML} of every public page reachable from ``starts`` (both languages).
    Fails on a broken link: every page linked from a public page must answer 200."""
    pages: dict[str, str] = {}
    queue = list(starts)
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages or url.startswith(SKIP):
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        pages[url] = response.content.decode()
        queue.extend(link for link in links(pages[url], url) if link not in pages)
    assert len(pages) < limit, "the crawl did not finish"
    # The last request left its language active in this thread: reverse() in the
    # test would give English URLs.
    translation.activate(settings.LANGUAGE_CODE)
    return pages


def text_of(page: str) -> str:
    """What a person reads on the page, and what tags carry (attributes stay in)."""
    return html.unescape(page)


def assert_nowhere(client, *secrets, searches=()):
    """None of ``secrets`` appears on any public page (HTML source, attributes
    included), nor in the directory's results for ``searches``."""
    pages = crawl(client)
    for text in searches:
        for show in ("pairs", "units"):
            url = f"/pairs/?q={text}&show={show}"
            pages[url] = client.get(url).content.decode()
    translation.activate(settings.LANGUAGE_CODE)
    for url, page in pages.items():
        readable = text_of(page)
        for secret in secrets:
            assert secret not in readable, f"{secret!r} is shown on {url}"
    return pages
