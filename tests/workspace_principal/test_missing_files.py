"""A stored file that has gone missing (a restored backup, a disk moved) never turns
a page into a server error: the page shows a placeholder and says so."""

import os

from django.core.files.base import ContentFile

from programs.models import Activity
from tests.workspace_principal.conftest import DAY, upload
from tests.workspace_principal.test_activities import _form, _new_url


def test_an_activity_whose_photo_file_is_gone_still_opens_and_saves(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    client.post(_new_url(cast), _form(photos=[upload("a.jpg"), upload("b.jpg")], action="draft"))
    activity = Activity.objects.get()
    gone = activity.photos.first()
    os.remove(gone.image.path)
    if gone.thumbnail:
        os.remove(gone.thumbnail.path)
    for url in (f"/workspace/activities/{activity.code}/", f"/workspace/activities/{activity.code}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post(f"/workspace/activities/{activity.code}/edit/", _form(action="draft", title="Đã sửa"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Đã sửa"


def test_a_donation_whose_receipt_file_is_gone_still_opens(client_for, cast, donation):
    client = client_for(cast.users.principal_taymo)
    donation.receipt.save("bien-nhan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    os.remove(donation.receipt.path)
    for url in (f"/workspace/donations/{donation.code}/", f"/workspace/donations/{donation.code}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(f"/workspace/donations/{donation.code}/receipt/").status_code == 404
    response = client.post(
        f"/workspace/donations/{donation.code}/edit/",
        {
            "given_on": DAY.isoformat(),
            "kind": donation.kind,
            "amount": "20000000",
            "donor_org": donation.donor_org_id,
            "recipient": donation.recipient_id,
            "description": "Đã sửa",
        },
    )
    assert response.status_code in (200, 302)
