"""Vietnamese by default, English under /en/: the switch lands on the same page in
the other language, links inside English pages stay English, data stays as entered,
dates are dd/mm/yyyy and money 240.000.000 ₫ / 240,000,000 VND."""

import re

import pytest

from tests.helpers import page_text
from tests.public.crawl import crawl

pytestmark = pytest.mark.django_db


def switch_form(html: str):
    """(next, language) of the language switch's form."""
    form = re.search(r'<form action="/i18n/setlang/" method="post">(.*?)</form>', html, re.S).group(1)
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1)
    language = re.search(r'name="language" value="([^"]*)"', form).group(1)
    return next_url.replace("&amp;", "&"), language


def test_it_shows_the_interface_in_english_and_the_data_as_entered(client, world):
    response = client.get(f"/en/pairs/{world.cast.ntl_md.code}/")
    html, page = response.content.decode(), page_text(response)
    assert '<html lang="en">' in html
    assert "Helping side Phòng GD&ĐT Nam Từ Liêm" in page and "Helped side" in page
    assert "Reference number 01/BBGN Signed on 15/11/2022" in page
    assert "Student sponsorship 240,000,000 VND" in page and "Total 240,000,000 VND" in page
    assert "Chuyên đề Ngữ văn 6 công khai" in page  # data stays in Vietnamese
    for vietnamese in ("Bên giúp đỡ", "Hoạt động", "Hỗ trợ", "Tổng cộng", "Biên bản ghi nhớ Ngày ký"):
        assert vietnamese not in page
    directory = page_text(client.get("/en/pairs/", {"q": "tay mo"}))
    assert "School pair · Lower secondary" in directory and "1 public activity" in directory


def test_it_keeps_dates_day_first_and_groups_money_in_both_languages(client, world):
    vi = page_text(client.get(f"/activities/{world.lesson.code}/"))
    en = page_text(client.get(f"/en/activities/{world.lesson.code}/"))
    assert "30/03/2023" in vi and "30/03/2023" in en
    assert "240.000.000 ₫" in page_text(client.get("/"))
    assert "240,000,000 VND" in page_text(client.get("/en/"))


@pytest.mark.parametrize(
    "vi_url",
    ["/", "/pairs/?q=tay+mo&show=units&page=1", "/units/{taymo}/", "/activities/{lesson}/", "/khong-co-trang-nay/"],
)
def test_it_switches_to_the_same_page_in_the_other_language_and_back(client, world, vi_url):
    vi_url = vi_url.format(taymo=world.cast.taymo.slug, lesson=world.lesson.code)
    en_url = f"/en{vi_url}"
    next_url, language = switch_form(client.get(vi_url).content.decode())
    assert (next_url, language) == (en_url, "en")
    response = client.post("/i18n/setlang/", {"next": next_url, "language": language})
    assert response.status_code == 302 and response["Location"] == en_url

    english = client.get(en_url)
    next_url, language = switch_form(english.content.decode())
    assert (next_url, language) == (vi_url, "vi")
    response = client.post("/i18n/setlang/", {"next": next_url, "language": language})
    assert response.status_code == 302 and response["Location"] == vi_url
    assert '<html lang="vi">' in client.get(vi_url).content.decode()


def test_it_keeps_every_link_of_an_english_page_in_english(client, world):
    pages = crawl(client, starts=("/en/", "/en/pairs/", "/en/pairs/?show=units"))
    assert len(pages) > 10 and all(url.startswith("/en/") for url in pages)
    for url, html in pages.items():
        for href in re.findall(r'(?:href|src|action)="(/[^"]*)"', html):
            assert href.startswith(("/en/", "/static/", "/i18n/")), f"{href} on {url}"
        assert '<html lang="en">' in html, url


def test_it_announces_the_page_in_both_languages(client, world):
    html = client.get("/pairs/?q=tay+mo").content.decode()
    assert '<link rel="alternate" hreflang="vi" href="http://testserver/pairs/?q=tay+mo">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/pairs/?q=tay+mo">' in html
