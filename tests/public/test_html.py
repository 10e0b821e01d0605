"""Every public page is well-formed HTML a screen reader can use: the checker in
htmlcheck.py over every page reachable by links, in both languages, plus the 404
page and the directory showing form errors."""

import pytest

from tests.public.crawl import crawl
from tests.public.htmlcheck import problems

pytestmark = pytest.mark.django_db


def test_it_serves_well_formed_labelled_pages(client, world):
    pages = crawl(client)
    pages["404"] = client.get("/khong-co/").content.decode()
    pages["/pairs/ with errors"] = client.get("/pairs/?level=x&program=y&q=tay").content.decode()
    pages["/pairs/ empty"] = client.get("/pairs/?q=khong+co+gi").content.decode()
    assert len(pages) > 20
    found = {url: problems(page) for url, page in pages.items()}
    assert {url: issues for url, issues in found.items() if issues} == {}


def test_it_catches_what_it_is_meant_to_catch():
    page = (
        '<!doctype html><html><head><title> </title></head><body><div id="a"><p id="a">x</div>'
        '<label for="nowhere">Tên</label><input name="q"><img src="x.png"><a href="/"><a href="/">y</a></a>'
        "{# a comment on\ntwo lines #}"
    )
    found = "\n".join(problems(page))
    for expected in (
        "duplicate id 'a'",
        "</div> closes <p>",
        "label for missing id 'nowhere'",
        "<input name='q'> has no label",
        "img without alt",
        "<a> inside <a>",
        "<body> never closed",
        "<html> without lang",
        "empty <title>",
        "0 <h1> elements",
        "template syntax '{#' in the text",
    ):
        assert expected in found, expected
