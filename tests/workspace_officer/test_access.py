"""Every view of the officers' workspace refuses by default: another office's officer
gets 404 for an object outside their scope, a read-only role 403 on officer actions,
anonymous visitors the login page, and POST-only actions 405 on GET."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Memorandum, WorkingGroup
from tests.workspace_officer.conftest import PDF


@pytest.fixture
def objects(cast):
    """Nam Từ Liêm's pair, memorandum and working group (principal: Tây Mỗ)."""
    memo = Memorandum.objects.create(program=cast.program, title="BBGN NTL–MĐ", scan=SimpleUploadedFile("a.pdf", PDF))
    memo.pairs.set([cast.taymo_md])
    group = WorkingGroup.objects.create(
        program=cast.program, office=cast.office["ntl"], level="lower_secondary", name="Tổ THCS"
    )
    return {"pair": cast.taymo_md.code, "memo": memo.code, "group": group.pk}


# (url pattern, method) of every view on an object of Nam Từ Liêm.
OBJECT_VIEWS = [
    ("/workspace/pairs/{pair}/", "get"),
    ("/workspace/pairs/{pair}/edit/", "get"),
    ("/workspace/pairs/{pair}/edit/", "post"),
    ("/workspace/pairs/{pair}/accept/", "post"),
    ("/workspace/pairs/{pair}/decline/", "get"),
    ("/workspace/pairs/{pair}/decline/", "post"),
    ("/workspace/pairs/{pair}/withdraw/", "post"),
    ("/workspace/pairs/{pair}/end/", "get"),
    ("/workspace/pairs/{pair}/end/", "post"),
    ("/workspace/memoranda/{memo}/", "get"),
    ("/workspace/memoranda/{memo}/edit/", "get"),
    ("/workspace/memoranda/{memo}/edit/", "post"),
    ("/workspace/memoranda/{memo}/scan/", "get"),
    ("/workspace/groups/{group}/", "get"),
    ("/workspace/groups/{group}/edit/", "get"),
    ("/workspace/groups/{group}/delete/", "post"),
]
# Officer actions a principal of the pair (who sees the object) may not take.
OFFICER_ACTIONS = [
    ("/workspace/pairs/{pair}/edit/", "get"),
    ("/workspace/pairs/{pair}/edit/", "post"),
    ("/workspace/pairs/{pair}/accept/", "post"),
    ("/workspace/pairs/{pair}/decline/", "get"),
    ("/workspace/pairs/{pair}/withdraw/", "get"),
    ("/workspace/pairs/{pair}/end/", "get"),
    ("/workspace/pairs/{pair}/end/", "post"),
    ("/workspace/memoranda/{memo}/edit/", "get"),
    ("/workspace/groups/{group}/edit/", "get"),
    ("/workspace/groups/{group}/delete/", "post"),
    ("/workspace/pairs/new/", "get"),
    ("/workspace/pairs/new/", "post"),
    ("/workspace/memoranda/new/", "get"),
    ("/workspace/groups/new/", "get"),
    ("/workspace/units/", "get"),
    ("/workspace/import/", "get"),
    ("/workspace/import/", "post"),
    ("/workspace/import/template/schools/", "get"),
]
POST_ONLY = [
    "/workspace/pairs/{pair}/accept/",
    "/workspace/groups/{group}/delete/",
    "/workspace/import/abc/confirm/",
    "/workspace/import/abc/cancel/",
]
STAFF_PAGES = [
    "/workspace/pairs/",
    "/workspace/pairs/new/",
    "/workspace/memoranda/",
    "/workspace/memoranda/new/",
    "/workspace/groups/",
    "/workspace/groups/new/",
    "/workspace/units/",
    "/workspace/units/search/?kind=school&q=tay",
    "/workspace/import/",
    "/workspace/import/template/pairs/",
    "/workspace/import/abc/",
]


@pytest.mark.parametrize("pattern, method", OBJECT_VIEWS)
def test_it_hides_another_offices_objects(client_for, cast, objects, pattern, method):
    client = client_for(cast.users.officer_lb)
    response = getattr(client, method)(pattern.format(**objects))
    assert response.status_code == 404


@pytest.mark.parametrize("pattern", sorted({p for p, method in OBJECT_VIEWS if method == "get"}))
def test_it_lets_the_officer_in_scope_open_them(client_for, cast, objects, pattern):
    response = client_for(cast.users.officer_ntl).get(pattern.format(**objects))
    if pattern.endswith("/decline/"):
        # An active pair has nothing to decline: back to its page, with a message.
        assert response.status_code == 302 and response["Location"] == f"/workspace/pairs/{objects['pair']}/"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("pattern, method", OFFICER_ACTIONS)
def test_it_refuses_officer_actions_to_a_principal(client_for, cast, objects, pattern, method):
    client = client_for(cast.users.principal_taymo)
    assert client.get(f"/workspace/pairs/{objects['pair']}/").status_code == 200  # sees the pair
    response = getattr(client, method)(pattern.format(**objects))
    assert response.status_code == 403


@pytest.mark.parametrize("pattern, method", OFFICER_ACTIONS[:10])
def test_it_refuses_officer_actions_to_a_teacher_and_the_union(client_for, cast, objects, pattern, method):
    response = getattr(client_for(cast.users.teacher_taymo), method)(pattern.format(**objects))
    assert response.status_code == 403
    response = getattr(client_for(cast.users.union_na), method)(pattern.format(**objects))
    assert response.status_code == 404  # Hà Nội's objects do not exist for Nghệ An's union


@pytest.mark.parametrize("pattern", POST_ONLY)
def test_it_answers_get_on_a_post_only_action_with_405(client_for, cast, objects, pattern):
    response = client_for(cast.users.officer_ntl).get(pattern.format(**objects))
    assert response.status_code == 405


@pytest.mark.parametrize("pattern, method", OBJECT_VIEWS)
def test_it_sends_anonymous_visitors_to_log_in(client, objects, pattern, method):
    response = getattr(client, method)(pattern.format(**objects))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_it_refuses_staff_pages_to_anonymous_and_users_without_a_role(client, client_for, cast, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(cast.users.outsider).get(url).status_code == 403


OFFICER_FORMS = [
    "/workspace/pairs/new/",
    "/workspace/pairs/{pair}/edit/",
    "/workspace/memoranda/new/",
    "/workspace/memoranda/{memo}/edit/",
    "/workspace/groups/new/",
    "/workspace/groups/{group}/edit/",
    "/workspace/units/{unit}/edit/",
]


@pytest.mark.parametrize("url", OFFICER_FORMS)
def test_it_labels_the_empty_choice_of_every_select_chon(client_for, cast, objects, url):
    import re

    html = client_for(cast.users.officer_ntl).get(url.format(**objects, unit=cast.taymo.slug)).content.decode()
    assert "---------" not in html  # Django's default, in rows added by script too (<template>)
    empty_options = re.findall(r'<option value=""[^>]*>([^<]*)</option>', html)
    selects = re.findall(r"<select[^>]*>", html)
    assert selects and set(empty_options) <= {"— Chọn —", "Tổ công tác của Phòng (mọi cấp học)"}
