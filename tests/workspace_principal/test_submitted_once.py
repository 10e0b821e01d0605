"""A create form counts once: a double tap, a resend or a second tab with the same
form saves one record (twinning.once)."""

import re
import threading
import uuid

import pytest
from django.db import connection

from programs.models import Donation
from tests.helpers import page_text
from tests.workspace_principal.test_donations import _form, _new_url
from twinning.models import Submission


def _key_from(client, cast):
    page = client.get(_new_url(cast)).content.decode()
    return re.search(r'name="_once" value="([0-9a-f-]{36})"', page).group(1)


def test_a_donation_sent_twice_is_saved_once(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    key = _key_from(client, cast)
    first = client.post(_new_url(cast), _form(cast, _once=key))
    second = client.post(_new_url(cast), _form(cast, _once=key), follow=True)
    donation = Donation.objects.get()
    assert first["Location"] == f"/workspace/donations/{donation.code}/"
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "đã được gửi trước đó" in page_text(second)
    # A new form gets a new key and records a second gift.
    client.post(_new_url(cast), _form(cast, _once=_key_from(client, cast)))
    assert Donation.objects.count() == 2


def test_a_form_with_an_error_keeps_nothing_so_the_corrected_one_goes_through(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    key = str(uuid.uuid4())
    response = client.post(_new_url(cast), _form(cast, amount="", packages="", _once=key))
    assert response.status_code == 200 and not Donation.objects.exists() and not Submission.objects.exists()
    response = client.post(_new_url(cast), _form(cast, _once=key))
    assert response.status_code == 302 and Donation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_save_one_donation(client_for, cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    key = str(uuid.uuid4())
    responses = []

    def send():
        client = client_for(cast.users.principal_taymo)
        responses.append(client.post(_new_url(cast), _form(cast, _once=key)))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Donation.objects.count() == 1
    donation = Donation.objects.get()
    assert [r.status_code for r in responses] == [302] * 4
    assert {r["Location"] for r in responses} == {f"/workspace/donations/{donation.code}/"}
