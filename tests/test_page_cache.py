"""The public home page is kept whole in the cache for visitors (twinning.lib.cache)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories as f


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_FIGURES_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_visitors_get_the_kept_page_with_their_own_csrf_token(cast, page_cache, django_assert_num_queries):
    first = Client().get("/")
    assert first.status_code == 200
    f.activity(cast.taymo_md, title="Hoạt động mới sau khi trang được lưu")
    second_visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        second = second_visitor.get("/")
    html = second.content.decode()
    assert second.status_code == 200
    assert "Hoạt động mới sau khi trang được lưu" not in html  # kept a minute
    assert html.count("csrfmiddlewaretoken") == first.content.decode().count("csrfmiddlewaretoken") > 0
    assert "\x00" not in html
    # The token served works for this visitor: the language switch posts.
    switched = second_visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/en/", "csrfmiddlewaretoken": _token(second)}
    )
    assert switched.status_code == 302


@pytest.mark.django_db
def test_logged_in_users_and_other_languages_get_their_own_page(cast, page_cache, client_for):
    assert 'lang="vi"' in Client().get("/").content.decode()
    assert 'lang="en"' in Client().get("/en/").content.decode()
    assert "Đăng xuất" in client_for(cast.users.staff_hn).get("/").content.decode()
    assert "Đăng xuất" not in Client().get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["program", "pair", "directory"])
def test_the_busiest_public_pages_are_kept_for_visitors(cast, page_cache, django_assert_num_queries, page):
    url = {
        "program": cast.program.get_absolute_url(),
        "pair": cast.ntl_md.get_absolute_url(),
        "directory": "/pairs/?q=tay+mo",
    }[page]
    assert Client().get(url).status_code == 200
    with django_assert_num_queries(0):
        assert Client().get(url).status_code == 200
    assert Client().get(url + ("&" if "?" in url else "?") + "page=1").status_code == 200  # another query string
