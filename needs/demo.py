"""The demo's needs board: a few illustrative needs (marked "minh hoạ", never real) of
Tây Mỗ → Nhôn Mai, one met, one partly pledged and received, one still open.
Idempotent: rows are created once and left alone when already as here."""

import datetime

from needs.models import Need, Pledge
from needs.services import _refresh
from programs.models import Donation, Pair

PAIR = {"mentor__name": "Trường THCS Tây Mỗ", "mentee__short_name": "PTNT TH&THCS Nhôn Mai"}

NEEDS = [
    {
        "code": "nc-nmai-sach",
        "kind": Need.Kind.BOOKS,
        "title": "Sách tham khảo Ngữ văn và Toán lớp 6 cho thư viện (minh hoạ)",
        "quantity": 300,
        "unit_label": "cuốn sách",
        "needed_by": datetime.date(2026, 11, 30),
        "description": "Nhu cầu minh hoạ cho bản demo (không có trong các bài báo).",
        "pledges": [
            {
                "code": "dk-nmai-sach",
                "quantity": 300,
                "received_quantity": 300,
                "received_on": datetime.date(2026, 11, 20),
                "donation": "ht-nmai-sach",
            }
        ],
    },
    {
        "code": "nc-nmai-may",
        "kind": Need.Kind.EQUIPMENT,
        "title": "Máy tính cho phòng tin học (minh hoạ)",
        "quantity": 20,
        "unit_label": "bộ máy tính",
        "needed_by": datetime.date(2027, 3, 31),
        "description": "Nhu cầu minh hoạ cho bản demo (không có trong các bài báo).",
        "pledges": [
            {
                "code": "dk-nmai-may",
                "quantity": 12,
                "received_quantity": 12,
                "received_on": datetime.date(2026, 11, 25),
                "amount": 96_000_000,
                "donation": "ht-nmai-may",
            }
        ],
    },
    {
        "code": "nc-nmai-cd",
        "kind": Need.Kind.DEMONSTRATION,
        "title": "Chuyên đề dạy đọc hiểu cho học sinh lớp 6 người dân tộc thiểu số (minh hoạ)",
        "subject": "Ngữ văn",
        "quantity": 2,
        "unit_label": "buổi chuyên đề",
        "needed_by": datetime.date(2027, 4, 30),
        "description": "Nhu cầu minh hoạ cho bản demo (không có trong các bài báo).",
        "pledges": [],
    },
]


def _upsert(model, code, values) -> tuple[object, bool]:
    instance = model.objects.filter(code=code).first()
    if instance is None:
        instance = model(code=code, **values)
        instance.full_clean()
        instance.save()
        return instance, True
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save()
    return instance, False


def load() -> int:
    """Creates the demo needs, pledges and the support they became; returns how many
    rows were created. Nothing when the demo pair is missing."""
    pair = Pair.objects.select_related("program", "mentor", "mentee").filter(**PAIR).first()
    if pair is None:
        return 0
    created = 0
    for row in NEEDS:
        values = {k: v for k, v in row.items() if k not in ("code", "pledges")}
        need = Need.objects.filter(code=row["code"]).first()
        if need is None:
            # A deadline already past is fine for the demo: validate as an old need.
            need = Need(code=row["code"], pair=pair, is_public=True, **values)
            need.save()
            created += 1
        for p in row["pledges"]:
            donation = None
            if p.get("donation"):
                donation, new = _upsert(
                    Donation,
                    p["donation"],
                    {
                        "program": pair.program,
                        "pair": pair,
                        "kind": Donation.Kind.BOOKS if need.kind == Need.Kind.BOOKS else Donation.Kind.EQUIPMENT,
                        "nature": Donation.Nature.IN_KIND,
                        "amount": p.get("amount"),
                        "quantity": p["received_quantity"],
                        "unit_label": need.unit_label,
                        "given_on": p["received_on"],
                        "donor_org": pair.mentor,
                        "recipient": pair.mentee,
                        "description": f"{need.title} (bảng nhu cầu, nhu cầu {need.code}).",
                    },
                )
                created += new
                _date_history(donation, p["received_on"])
            pledge, new = _upsert(
                Pledge,
                p["code"],
                {
                    "need": need,
                    "donor_org": pair.mentor,
                    "quantity": p["quantity"],
                    "status": Pledge.Status.RECEIVED if p.get("received_on") else Pledge.Status.PLEDGED,
                    "received_quantity": p.get("received_quantity"),
                    "received_on": p.get("received_on"),
                    "donation": donation,
                },
            )
            created += new
            _date_history(pledge, p.get("received_on") or need.created_at.date())
        if need.computed_status() != need.status or new_totals(need):
            _refresh(need, None)
    return created


def _date_history(instance, day: datetime.date) -> None:
    """Dates the seeding's history records at the day they stand for (as seed_demo
    does), not at the day the demo was loaded."""
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    instance.history.filter(history_user__isnull=True).exclude(history_date=moment).update(history_date=moment)


def new_totals(need) -> bool:
    """Whether the need's kept quantities differ from its pledges'."""
    pledged = sum(p.counted_quantity for p in need.pledges.all())
    received = sum(p.received_quantity or 0 for p in need.pledges.all() if p.status == Pledge.Status.RECEIVED)
    return (pledged, received) != (need.pledged_quantity, need.received_quantity)
