"""/workspace/programs/: department staff register a movement's new phase."""

from programs.models import Program
from tests.helpers import page_text


def phase_data(cast, **extra):
    data = {
        "name": "Nhà trường cùng chung tay phát triển – giai đoạn 2025–2030",
        "short_name": "Cùng chung tay 2025–2030",
        "start_year": "2025",
        "end_year": "2030",
        "previous_phase": cast.program.pk,
        "organizers": [cast.dept.pk, cast.dept_na.pk],
        "launched_on": "",
        "launch_place": "",
        "description": "",
        "legal_basis": "Thông báo 81-TB/TW ngày 18/7/2025 của Bộ Chính trị",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_it_lets_department_staff_register_a_phase_across_provinces(client_for, cast):
    client = client_for(cast.users.staff_hn)
    response = client.post("/workspace/programs/new/", phase_data(cast))
    assert response.status_code == 302
    program = Program.objects.get(start_year=2025)
    assert set(program.organizers.all()) == {cast.dept, cast.dept_na} and program.previous_phase == cast.program
    page = page_text(client.get("/workspace/programs/"))
    assert "Nhà trường cùng chung tay phát triển – giai đoạn 2025–2030" in page
    assert "tiếp nối giai đoạn 2022–2025" in page
    # Nghệ An's Department co-organizes it: it sees it and may register pairs in it.
    assert Program.objects.open_for_registration_by(cast.users.staff_na).filter(pk=program.pk).exists()


def test_it_requires_the_users_own_department_among_the_organizers(client_for, cast):
    response = client_for(cast.users.staff_hn).post(
        "/workspace/programs/new/", phase_data(cast, organizers=[cast.dept_na.pk])
    )
    assert "Sở GD&ĐT lập chương trình phải là một trong các đơn vị tổ chức." in page_text(response)
    assert not Program.objects.filter(start_year=2025).exists()


def test_it_keeps_registering_programs_to_department_staff(client_for, cast):
    assert client_for(cast.users.officer_ntl).get("/workspace/programs/new/").status_code == 403
    assert client_for(cast.users.staff_na).get(f"/workspace/programs/{cast.program.slug}/edit/").status_code in (
        403,
        404,
    )
    assert client_for(cast.users.staff_hn).get(f"/workspace/programs/{cast.program.slug}/edit/").status_code == 200
