"""A person whose roles have ended (a district office's officer since the offices ceased
on 30/06/2025) is told so on the 403 page, with the unit and the last day, instead of
being told that their role does not allow the action (issue 15, from the walk as
phong.vinh)."""

import datetime

import pytest
from django.utils import translation

from schools.models import Area, Membership, Organization
from tests import factories as f
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2025, 6, 30)


def test_a_former_office_officer_is_told_their_role_ended_with_the_office(client):
    province = f.area("Tỉnh Thử", Area.Kind.PROVINCE)
    department = f.org("Sở GD&ĐT Tỉnh Thử", Organization.Kind.DEPARTMENT, area=province, level="")
    office = f.org("Phòng GD&ĐT Huyện Cũ", Organization.Kind.OFFICE, area=province, parent=department, level="")
    Organization.objects.filter(pk=office.pk).update(valid_until=LAST_DAY)
    user = f.user("phong.cu")
    Membership.objects.create(
        user=user, organization=office, role="office_officer", is_active=False, valid_until=LAST_DAY
    )
    client.force_login(user)
    with translation.override("vi"):
        response = client.get("/workspace/")
    assert response.status_code == 403
    text = page_text(response)
    assert "Tài khoản hiện không còn vai trò nào trên cổng thông tin" in text
    assert "vai trò tại Phòng GD&ĐT Huyện Cũ đã kết thúc ngày 30/06/2025" in text
    assert "đơn vị đã chấm dứt hoạt động từ ngày 30/06/2025" in text
    assert "Vai trò hiện tại không được thực hiện" not in text


def test_someone_who_never_had_a_role_gets_the_plain_refusal(client):
    client.force_login(f.user("khach"))
    with translation.override("vi"):
        response = client.get("/workspace/")
    assert response.status_code == 403
    text = page_text(response)
    assert "Vai trò hiện tại không được thực hiện thao tác này" in text
    assert "không còn vai trò" not in text


def test_a_role_ending_later_is_not_called_ended(client):
    school = f.org("Trường THCS Mới")
    user = f.user("ht.moi")
    Membership.objects.create(
        user=user,
        organization=school,
        role="principal",
        valid_from=datetime.date(2099, 9, 1),
        valid_until=datetime.date(2100, 8, 31),
    )
    client.force_login(user)
    with translation.override("vi"):
        response = client.get("/workspace/")
    assert response.status_code == 403
    text = page_text(response)
    assert "đã kết thúc" not in text and "Vai trò hiện tại không được thực hiện" in text
