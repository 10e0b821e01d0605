"""generate_synthetic_data: a large, clearly fake, non-public movement, and its removal."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from programs.models import Activity, Donation, Pair, Program, Review
from schools.models import Area, Organization


def test_it_generates_a_marked_non_public_movement_and_removes_it(cast, capsys):
    before = (Pair.objects.count(), Organization.objects.count(), Area.objects.count())
    call_command("generate_synthetic_data", pairs=12, activities=60)
    assert "Synthetic data generated" in capsys.readouterr().out
    program = Program.objects.get(slug="synthetic-du-lieu-gia-lap")
    assert not program.is_public and "giả lập" in program.name and "synthetic" in program.description
    assert Pair.objects.filter(program=program, parent__isnull=False).count() == 12
    assert Activity.objects.filter(pair__program=program).count() == 60
    assert Donation.objects.filter(program=program).exists() and Review.objects.filter(pair__program=program).exists()
    assert all(
        o.name.endswith("(giả lập)") or "giả lập" in o.name
        for o in Organization.objects.filter(code__startswith="SYN-")
    )
    account = get_user_model().objects.get(username="synthetic.sogd")
    assert not account.has_usable_password()
    assert not Pair.objects.visible_to(cast.users.staff_hn).filter(program=program).exists()
    assert (
        Pair.objects.visible_to(account).filter(program=program).count() == Pair.objects.filter(program=program).count()
    )
    with pytest.raises(CommandError):
        call_command("generate_synthetic_data", pairs=2, activities=2)

    call_command("generate_synthetic_data", remove=True)
    assert "Synthetic data removed" in capsys.readouterr().out
    assert (Pair.objects.count(), Organization.objects.count(), Area.objects.count()) == before
    assert not get_user_model().objects.filter(username="synthetic.sogd").exists()
    assert Pair.objects.filter(pk=cast.taymo_md.pk).exists()


def test_it_writes_nothing_in_a_dry_run(db, capsys):
    call_command("generate_synthetic_data", pairs=3, activities=5, dry_run=True)
    assert "Dry run" in capsys.readouterr().out
    assert not Program.objects.exists() and not Organization.objects.exists()
