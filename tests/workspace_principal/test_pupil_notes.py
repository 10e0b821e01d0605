"""Children's personal data (Law on Personal Data Protection, 2026): names only with a
recorded consent, every department opening logged, erased after PUPIL_NOTE_DAYS —
history included."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from programs.models import Donation, PrivateNoteAccess
from tests.helpers import page_text
from tests.workspace_principal.test_donations import _form, _new_url


def test_names_are_refused_without_the_consent_of_parents(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(_new_url(cast), _form(cast, note_consent=""))
    assert response.status_code == 200 and not Donation.objects.exists()
    assert "chỉ được lưu khi cha mẹ hoặc người giám hộ đồng ý" in page_text(response)
    # Without names no consent is asked for.
    response = client.post(_new_url(cast), _form(cast, private_note="", note_consent=""))
    assert response.status_code == 302


def test_the_form_says_what_happens_to_what_is_typed(client_for, cast):
    page = page_text(client_for(cast.users.principal_taymo).get(_new_url(cast)))
    assert "không bao giờ công khai" in page and "tự động xoá sau 730 ngày" in page


def test_each_department_opening_of_a_note_is_logged(client_for, cast, donation):
    client_for(cast.users.principal_taymo).get(f"/workspace/donations/{donation.code}/")
    assert not PrivateNoteAccess.objects.exists()  # the recording school itself is not logged
    page = page_text(client_for(cast.users.staff_hn).get(f"/workspace/donations/{donation.code}/"))
    assert "Em Nguyễn Văn A" in page
    access = PrivateNoteAccess.objects.get()
    assert (access.user, access.donation, access.action) == (cast.users.staff_hn, donation, "view")


def test_notes_are_erased_after_their_time_from_the_donation_and_its_history(cast, donation, settings):
    settings.PUPIL_NOTE_DAYS = 30
    donation.given_on = timezone.localdate() - datetime.timedelta(days=3)
    donation.amount = 21_000_000
    donation.save()  # a second version in the history, still holding the note
    call_command("erase_pupil_notes", verbosity=0)
    donation.refresh_from_db()
    assert donation.private_note == "Em Nguyễn Văn A, lớp 7A, mồ côi cha."  # given recently: kept
    Donation.objects.filter(pk=donation.pk).update(given_on=timezone.localdate() - datetime.timedelta(days=31))
    Donation.history.filter(id=donation.pk).update(given_on=timezone.localdate() - datetime.timedelta(days=31))
    call_command("erase_pupil_notes", verbosity=0)
    donation.refresh_from_db()
    assert donation.private_note == "" and donation.amount == 21_000_000
    assert not Donation.history.filter(id=donation.pk).exclude(private_note="").exists()
