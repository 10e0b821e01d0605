"""/workspace/groups/: working groups per program, office and school level, with members."""

from programs.models import WorkingGroup
from tests.helpers import page_text


def group_data(cast, **extra):
    data = {
        "program": cast.program.pk,
        "office": cast.office["ntl"].pk,
        "level": "lower_secondary",
        "name": "",
        "tasks": "Xây dựng kế hoạch, giao việc cho các thành viên.",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "Nguyễn Thị Hương",
        "members-0-title": "Trưởng phòng",
        "members-0-organization": cast.office["ntl"].pk,
        "members-0-role": "leader",
        "members-1-name": "Trần Văn Bình",
        "members-1-title": "Hiệu trưởng",
        "members-1-organization": cast.taymo.pk,
        "members-1-role": "member",
        "members-2-name": "",
        "members-2-title": "",
        "members-2-organization": "",
        "members-2-role": "member",
    }
    data.update(extra)
    return data


def test_it_creates_a_group_with_its_members_and_a_default_name(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    assert client.get("/workspace/groups/new/").status_code == 200
    response = client.post("/workspace/groups/new/", group_data(cast))
    group = WorkingGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/groups/{group.pk}/"
    assert group.name == "Tổ công tác cấp THCS – Phòng GD&ĐT Nam Từ Liêm"
    assert [(m.name, m.role, m.organization) for m in group.members.all()] == [
        ("Nguyễn Thị Hương", "leader", cast.office["ntl"]),
        ("Trần Văn Bình", "member", cast.taymo),
    ]
    page = page_text(client.get(response["Location"]))
    assert "Nguyễn Thị Hương Tổ trưởng" in page and "Trường THCS Tây Mỗ" in page
    # The partner office sees it read-only; the pair page lists it.
    partner = client_for(cast.users.officer_md)
    assert "Sửa" not in page_text(partner.get(f"/workspace/groups/{group.pk}/")).split("Nhiệm vụ")[0]
    assert group.name in page_text(partner.get(f"/workspace/pairs/{cast.taymo_md.code}/"))


def test_it_refuses_a_second_group_for_the_same_level(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    client.post("/workspace/groups/new/", group_data(cast))
    response = client.post("/workspace/groups/new/", group_data(cast, name="Tổ thứ hai"))
    assert response.status_code == 200
    assert (
        "Phòng GD&ĐT Nam Từ Liêm đã có tổ công tác cấp học THCS trong chương trình này "
        "(“Tổ công tác cấp THCS – Phòng GD&ĐT Nam Từ Liêm”)."
    ) in page_text(response)
    assert WorkingGroup.objects.count() == 1


def test_it_needs_a_title_or_name_for_a_member_row_typed_in(client_for, cast):
    response = client_for(cast.users.officer_ntl).post(
        "/workspace/groups/new/", group_data(cast, **{"members-1-name": ""})
    )
    assert response.status_code == 200
    assert "Vui lòng sửa các mục được đánh dấu bên dưới." in page_text(response)
    assert not WorkingGroup.objects.exists()


def test_it_edits_and_deletes_a_group(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    client.post("/workspace/groups/new/", group_data(cast))
    group = WorkingGroup.objects.get()
    member = group.members.get(role="member")
    data = group_data(
        cast,
        name="Tổ công tác THCS Nam Từ Liêm",
        **{
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "2",
            "members-0-id": group.members.get(role="leader").pk,
            "members-1-id": member.pk,
            "members-1-DELETE": "on",
        },
    )
    response = client.post(f"/workspace/groups/{group.pk}/edit/", data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Tổ công tác THCS Nam Từ Liêm"
    assert [m.name for m in group.members.all()] == ["Nguyễn Thị Hương"]
    response = client.post(f"/workspace/groups/{group.pk}/delete/")
    assert response.status_code == 302 and not WorkingGroup.objects.exists()


def test_it_lists_own_groups_first(client_for, cast):
    WorkingGroup.objects.create(program=cast.program, office=cast.office["md"], name="Tổ công tác Mỹ Đức")
    WorkingGroup.objects.create(program=cast.program, office=cast.office["ntl"], name="Tổ công tác Nam Từ Liêm")
    WorkingGroup.objects.create(program=cast.program, office=cast.office["lb"], name="Tổ công tác Long Biên")
    page = page_text(client_for(cast.users.officer_md).get("/workspace/groups/"))
    assert page.index("Tổ công tác Mỹ Đức") < page.index("Tổ công tác Nam Từ Liêm")
    assert "Tổ công tác Long Biên" not in page


def test_it_offers_a_level_without_a_group_yet_and_names_the_duplicate(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    assert client.get("/workspace/groups/new/").context["form"]["level"].value() == ""  # the office's own group
    client.post("/workspace/groups/new/", group_data(cast, level="", name="Tổ công tác của Phòng"))
    client.post("/workspace/groups/new/", group_data(cast, level="preschool"))
    # The office's own group and the preschool one exist: the form starts on primary.
    form = client.get("/workspace/groups/new/").context["form"]
    assert form["level"].value() == "primary"
    assert '<option value="primary" selected>' in str(form["level"])
    response = client.post("/workspace/groups/new/", group_data(cast, level="", name="Tổ thứ hai"))
    assert response.context["form"].errors["level"] == [
        "Phòng GD&ĐT Nam Từ Liêm đã có tổ công tác chung của Phòng trong chương trình này (“Tổ công tác của Phòng”). "
        "Hãy chọn một cấp học, hoặc mở tổ đó để sửa danh sách thành viên."
    ]
    response = client.post("/workspace/groups/new/", group_data(cast, level="preschool", name="Tổ thứ hai"))
    assert response.context["form"].errors["level"] == [
        "Phòng GD&ĐT Nam Từ Liêm đã có tổ công tác cấp học Mầm non trong chương trình này "
        "(“Tổ công tác cấp Mầm non – Phòng GD&ĐT Nam Từ Liêm”). "
        "Hãy chọn cấp học khác, hoặc mở tổ đó để sửa danh sách thành viên."
    ]
    assert WorkingGroup.objects.count() == 2
