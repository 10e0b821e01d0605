"""The workspace pair page shows the pair's latest activities and support (the
timeline of the principals' pages) and the actions to record more."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Pair
from tests import factories as f
from tests.helpers import page_text


def test_it_shows_recent_activities_and_support_with_links(client_for, cast):
    lesson = f.activity(cast.taymo_md, title="Chuyên đề Toán 7", status="reported", reported_by_org=cast.taymo)
    gift = f.donation(
        cast.program,
        cast.school_md,
        donor_org=cast.taymo,
        pair=cast.taymo_md,
        amount=20_000_000,
        private_note="Em Nguyễn Văn A, lớp 7A",
    )
    response = client_for(cast.users.officer_md).get(f"/workspace/pairs/{cast.taymo_md.code}/")
    text = page_text(response)
    assert "Chuyên đề Toán 7" in text and "20.000.000 ₫" in text
    assert f'href="/workspace/activities/{lesson.code}/"' in response.text
    assert f'href="/workspace/donations/{gift.code}/"' in response.text
    assert f'href="/workspace/pairs/{cast.taymo_md.code}/timeline/"' in response.text
    assert "Nguyễn Văn A" not in text


def test_it_hides_the_other_sides_drafts(client_for, cast):
    f.activity(cast.taymo_md, title="Bản nháp của Tây Mỗ", status="draft", reported_by_org=cast.taymo)
    text = page_text(client_for(cast.users.principal_md).get(f"/workspace/pairs/{cast.taymo_md.code}/"))
    assert "Bản nháp của Tây Mỗ" not in text
    text = page_text(client_for(cast.users.principal_taymo).get(f"/workspace/pairs/{cast.taymo_md.code}/"))
    assert "Bản nháp của Tây Mỗ" in text


def test_it_offers_recording_only_to_those_who_may_and_on_active_pairs(client_for, cast):
    url = f"/workspace/pairs/{cast.taymo_md.code}/"
    assert "Ghi hoạt động" in page_text(client_for(cast.users.principal_taymo).get(url))
    assert "Ghi hoạt động" not in page_text(client_for(cast.users.teacher_taymo).get(url))
    cast.taymo_md.status = Pair.Status.ENDED
    cast.taymo_md.save()
    assert "Ghi hoạt động" not in page_text(client_for(cast.users.principal_taymo).get(url))


def test_it_shows_the_pair_page_in_a_fixed_number_of_queries(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    url = f"/workspace/pairs/{cast.taymo_md.code}/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    f.activity(cast.taymo_md, title="Hoạt động 0")
    f.donation(cast.program, cast.school_md, donor_org=cast.taymo, pair=cast.taymo_md)
    small = count()
    for i in range(1, 15):
        f.activity(cast.taymo_md, title=f"Hoạt động {i}")
        f.donation(cast.program, cast.school_md, donor_org=cast.taymo, pair=cast.taymo_md)
    # 30 whatever the number of activities and donations: session, user, scope; the
    # pair with its sides as they stood (placements) and its history; the timeline
    # (activities, donations, photos); the pair's family (parent, children, other
    # pairs of its schools); the sides' contacts; the header's notifications; the
    # year's figures (PairYear, plan items, activities waiting), reviews, calendar,
    # outcomes (goals, values, gaps) and health.
    assert count() == small == 30


def test_it_names_the_office_partnership_without_a_link_the_principal_cannot_open(client_for, cast):
    own_page = f"/workspace/pairs/{cast.ntl_md.code}/"
    url = f"/workspace/pairs/{cast.taymo_md.code}/"
    response = client_for(cast.users.principal_taymo).get(url)
    assert "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page_text(response)
    assert f'href="{own_page}"' not in response.text
    assert client_for(cast.users.principal_taymo).get(own_page).status_code == 404
    # The partnership is public: the principal gets its public page instead.
    assert f'href="/pairs/{cast.ntl_md.code}/"' in response.text
    # The office's officer opens it in the workspace.
    assert f'href="{own_page}"' in client_for(cast.users.officer_ntl).get(url).text


def test_it_names_a_private_partnership_as_plain_text(client_for, cast):
    cast.program.is_public = False
    cast.program.save()
    response = client_for(cast.users.principal_taymo).get(f"/workspace/pairs/{cast.taymo_md.code}/")
    assert "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page_text(response)
    assert cast.ntl_md.code not in response.text


def test_it_opens_an_activity_hosted_at_the_principals_school_without_dead_links(client_for, cast):
    from programs.models import Plan, PlanItem

    plan = Plan.objects.create(pair=cast.ntl_md, school_year="2022-2023")
    item = PlanItem.objects.create(plan=plan, kind="demonstration", title="Ngữ văn 6", planned_month="2023-03-01")
    lesson = f.activity(
        cast.ntl_md,
        title="Chuyên đề Ngữ văn 6",
        host=cast.taymo,
        status="reported",
        reported_by_org=cast.office["ntl"],
        plan_item=item,
    )
    client = client_for(cast.users.principal_taymo)
    response = client.get(f"/workspace/activities/{lesson.code}/")
    text = page_text(response)
    assert response.status_code == 200 and "Chuyên đề Ngữ văn 6" in text
    assert f'href="/workspace/pairs/{cast.ntl_md.code}/' not in response.text  # neither the pair nor its plan
    assert "Xác nhận hoạt động này" not in text and "Sửa" not in text
    assert client.get(f"/workspace/activities/{lesson.code}/edit/").status_code == 403
    assert client.post(f"/workspace/activities/{lesson.code}/confirm/").status_code == 403
    assert "Chuyên đề Ngữ văn 6" in page_text(client.get("/workspace/activities/"))
    assert "Chuyên đề Ngữ văn 6" in page_text(client.get("/workspace/"))


def test_it_names_a_donations_pair_without_a_link_the_principal_cannot_open(client_for, cast):
    gift = f.donation(cast.program, cast.taymo, donor_org=cast.office["md"], pair=cast.ntl_md)
    response = client_for(cast.users.principal_taymo).get(f"/workspace/donations/{gift.code}/")
    assert response.status_code == 200
    assert "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page_text(response)
    assert f'href="/workspace/pairs/{cast.ntl_md.code}/' not in response.text
