"""Gifts in kind (issue 14 §6): recorded with a quantity and what was given, the money
value optional; a gift of money still needs its amount; totals keep money and items
apart."""

import re

import pytest

from programs.models import Donation
from programs.support import support_of
from tests import factories as f
from tests.helpers import page_text
from tests.workspace_principal.conftest import DAY

NEW = "/workspace/donations/new/"


def _form(cast, **changes):
    data = {
        "kind": "equipment",
        "nature": "in_kind",
        "given_on": DAY.isoformat(),
        "amount": "",
        "quantity": "35",
        "unit_label": "bộ máy tính",
        "donor_org": cast.taymo.pk,
        "recipient": cast.school_md.pk,
    }
    data.update(changes)
    return data


def _url(cast):
    return f"{NEW}?pair={cast.taymo_md.code}"


def test_it_records_a_gift_in_kind_without_a_money_value(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post(_url(cast), _form(cast))
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert (donation.nature, donation.quantity, donation.unit_label, donation.amount) == (
        "in_kind",
        35,
        "bộ máy tính",
        None,
    )
    page = page_text(client.get(f"/workspace/donations/{donation.code}/"))
    assert "35 bộ máy tính" in page and "Không ghi giá trị bằng tiền." in page and "0 ₫" not in page


def test_it_keeps_the_value_of_a_gift_in_kind_when_given(client_for, cast):
    client_for(cast.users.principal_taymo).post(_url(cast), _form(cast, amount="96.000.000"))
    assert Donation.objects.get().amount == 96_000_000


def test_a_gift_in_kind_may_wrap_on_a_phone_where_a_sum_of_money_does_not(client_for, cast):
    """A gift in kind reads "35 bộ máy tính (…)": kept on one line like a sum of money,
    it ran 9–28 px past a 360 px screen in the donation list and the pair's timeline."""
    client = client_for(cast.users.principal_taymo)
    client.post(_url(cast), _form(cast, amount="96.000.000"))
    client.post(_url(cast), _form(cast, nature="money", quantity="", unit_label="", amount="5.000.000"))
    for url in ("/workspace/donations/", f"/workspace/pairs/{cast.taymo_md.code}/timeline/"):
        amounts = re.findall(r'class="([^"]*\bamount\b[^"]*)"[^>]*>([^<]*)<', client.get(url).content.decode())
        gift = [classes for classes, text in amounts if "bộ máy tính" in text]
        money = [classes for classes, text in amounts if text.startswith("5.000.000")]
        assert gift and all("amount-wrap" in classes for classes in gift), url
        assert money and not any("amount-wrap" in classes for classes in money), url


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"quantity": ""}, "quantity", "Nhập số lượng hiện vật đã trao (số nguyên lớn hơn 0)."),
        ({"unit_label": "  "}, "unit_label", "Ghi tên hiện vật đã trao, ví dụ “bộ máy tính” hoặc “cuốn sách”."),
        ({"nature": "money"}, "amount", "Nhập số tiền (đồng) của khoản hỗ trợ bằng tiền."),
    ],
)
def test_it_names_the_missing_field(client_for, cast, changes, field, message):
    response = client_for(cast.users.principal_taymo).post(_url(cast), _form(cast, **changes))
    assert response.status_code == 200 and not Donation.objects.exists()
    assert message in response.context["form"].errors[field]
    assert message in page_text(response)


def test_a_gift_of_money_without_an_amount_is_refused_by_the_server(client_for, cast):
    data = _form(cast, nature="money", quantity="", unit_label="", amount="")
    response = client_for(cast.users.principal_taymo).post(_url(cast), data)
    assert response.context["form"].errors["amount"] == ["Nhập số tiền (đồng) của khoản hỗ trợ bằng tiền."]
    # The browser does not stop the form first with its own tooltip.
    form = client_for(cast.users.principal_taymo).get(_url(cast)).text
    assert 'name="amount"' in form and not __import__("re").search(r'<input[^>]*name="amount"[^>]*required', form)


def test_the_database_refuses_money_without_an_amount_and_items_without_a_quantity(cast):
    from django.db import IntegrityError, transaction

    base = {"program": cast.program, "recipient": cast.school_md, "given_on": DAY, "donor_name": "X", "kind": "gift"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(nature="money", amount=None, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(nature="in_kind", quantity=None, unit_label="cuốn sách", **base)


def test_totals_keep_money_and_items_apart(client_for, cast):
    f.donation(cast.program, cast.school_md, amount=240_000_000, donor_org=cast.taymo, pair=cast.taymo_md, given_on=DAY)
    for quantity, label, amount in (
        (35, "bộ máy tính", 50_000_000),
        (1200, "cuốn sách", None),
        (5, "bộ máy tính", None),
    ):
        f.donation(
            cast.program,
            cast.school_md,
            nature="in_kind",
            amount=amount,
            quantity=quantity,
            unit_label=label,
            kind="books",
            donor_org=cast.taymo,
            pair=cast.taymo_md,
            given_on=DAY,
        )
    total = support_of(Donation.objects.all())
    assert (total.money, total.records, total.in_kind_value) == (240_000_000, 4, 50_000_000)
    assert str(total) == "240.000.000\u00a0₫ và hiện vật: 1.200 cuốn sách, 40 bộ máy tính"
    client = client_for(cast.users.principal_taymo)
    listing = page_text(client.get("/workspace/donations/"))
    assert "4 khoản, tổng cộng 240.000.000 ₫ và hiện vật: 1.200 cuốn sách, 40 bộ máy tính." in listing
    assert "35 bộ máy tính (trị giá 50.000.000 ₫)" in listing
    timeline = page_text(client.get(f"/workspace/pairs/{cast.taymo_md.code}/timeline/"))
    assert "240.000.000 ₫ và hiện vật: 1.200 cuốn sách, 40 bộ máy tính" in timeline
    client.logout()
    public = page_text(client.get(cast.taymo_md.get_absolute_url()))
    assert "240.000.000 ₫" in public and "1.200 cuốn sách, 40 bộ máy tính" in public
    assert "290.000.000" not in public  # the value of a gift in kind is never added to the money


def test_the_import_reads_gifts_in_kind_and_names_what_is_missing_per_row(cast):
    from programs.resources import DonationResource
    from tests.test_resources import dataset

    header = ["Chương trình", "Hình thức hỗ trợ", "Tiền hay hiện vật", "Số tiền (đồng)", "Số lượng (hiện vật)"]
    header += ["Tên hiện vật", "Ngày", "Tên bên tặng", "Bên nhận"]
    good = [cast.program.slug, "Thiết bị", "Hiện vật", "", "35", "bộ máy tính", "30/03/2023", "Nhà sách", "HN-MDA"]
    # "Tiền hay hiện vật" left empty: in kind, since the row names items.
    guessed = [cast.program.slug, "Sách", "", "", "1200", "cuốn sách", "30/03/2023", "Nhà sách", "HN-MDA"]
    result = DonationResource().import_data(dataset([header, good, guessed]), dry_run=False)
    assert not result.has_validation_errors(), result.invalid_rows
    assert sorted(Donation.objects.values_list("nature", "quantity", "amount")) == [
        ("in_kind", 35, None),
        ("in_kind", 1200, None),
    ]
    Donation.objects.all().delete()
    bad_money = [cast.program.slug, "Suất quà", "Tiền", "", "", "", "30/03/2023", "Nhà sách", "HN-MDA"]
    bad_items = [cast.program.slug, "Sách", "Hiện vật", "", "", "cuốn sách", "30/03/2023", "Nhà sách", "HN-MDA"]
    result = DonationResource().import_data(dataset([header, bad_money, bad_items]), dry_run=False)
    errors = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert errors[1]["amount"] == ["Nhập số tiền (đồng) của khoản hỗ trợ bằng tiền."]
    assert errors[2]["quantity"] == ["Nhập số lượng hiện vật đã trao (số nguyên lớn hơn 0)."]
    assert not Donation.objects.exists()  # all or nothing
