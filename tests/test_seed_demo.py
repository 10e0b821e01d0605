"""seed_demo holds the facts of the source articles and is idempotent."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from programs.models import Activity, Donation, Memorandum, Pair, Program
from schools.models import Membership, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_it_holds_the_240_million_sponsorship_of_nam_tu_liem_teachers(demo):
    donation = Donation.objects.get(amount=240_000_000)
    assert donation.kind == Donation.Kind.SPONSORSHIP
    assert donation.donor_org.slug == "phong-gddt-nam-tu-liem"
    assert donation.recipient.slug == "phong-gddt-my-duc"
    gifts = Donation.objects.get(kind=Donation.Kind.GIFT)
    assert (gifts.packages, gifts.amount) == (2, 20_000_000)
    assert Donation.objects.filter(amount=129_000_000, recipient__slug="phong-gddt-nam-tu-liem").exists()


def test_it_holds_the_seven_nghe_an_upper_secondary_pairs(demo):
    pairs = Pair.objects.filter(
        program__slug="phong-giup-phong-truong-giup-truong-2019-2022", mentor__level=Organization.Level.UPPER_SECONDARY
    )
    names = {(p.mentor.name, p.mentee.name) for p in pairs}
    assert names == {
        ("Trường THPT chuyên Phan Bội Châu", "Trường THPT Hoàng Mai"),
        ("Trường THPT Huỳnh Thúc Kháng", "Trường THPT Kỳ Sơn"),
        ("Trường THPT Hà Huy Tập", "Trường THPT Quỳ Châu"),
        ("Trường THPT Lê Viết Thuật", "Trường THPT Tương Dương 1"),
        ("Trường THPT Quỳnh Lưu 1", "Trường THPT Quế Phong"),
        ("Trường THPT Nguyễn Duy Trinh", "Trường THPT Tương Dương 2"),
        ("Trường THPT Nguyễn Xuân Ôn", "Trường THPT Mường Quạ"),
    }


def test_it_holds_the_units_programs_and_partnerships_named_in_the_articles(demo):
    for name in [
        "Sở Giáo dục và Đào tạo Hà Nội",
        "Sở Giáo dục và Đào tạo Nghệ An",
        "Công đoàn Giáo dục Nghệ An",
        "Trường THCS Tây Mỗ",
        "Trường THCS Đặng Thai Mai",
        "Trường THCS Lý Nhật Quang",
    ]:
        assert Organization.objects.filter(name=name).exists(), name
    offices = set(Organization.objects.filter(kind="office").values_list("short_name", flat=True))
    assert {
        "Phòng GD&ĐT Nam Từ Liêm",
        "Phòng GD&ĐT Mỹ Đức",
        "Phòng GD&ĐT Long Biên",
        "Phòng GD&ĐT Mê Linh",
        "Phòng GD&ĐT Thanh Trì",
        "Phòng GD&ĐT Chương Mỹ",
        "Phòng GD&ĐT TP Vinh",
        "Phòng GD&ĐT Kỳ Sơn",
        "Phòng GD&ĐT Quế Phong",
        "Phòng GD&ĐT Đô Lương",
    } <= offices
    hanoi = Program.objects.get(slug="nha-truong-cung-chung-tay-phat-trien-2022-2025")
    assert (hanoi.start_year, hanoi.end_year) == (2022, 2025)
    nghean = Program.objects.get(slug="phong-giup-phong-truong-giup-truong-2019-2022")
    assert nghean.launched_on == datetime.date(2019, 10, 10)
    assert set(nghean.organizers.values_list("kind", flat=True)) == {"department", "union"}
    partnerships = {
        (p.mentor.short_name, p.mentee.short_name)
        for p in Pair.objects.office_partnerships().filter(program__end_year__lte=2025)
    }
    assert partnerships == {
        ("Phòng GD&ĐT Nam Từ Liêm", "Phòng GD&ĐT Mỹ Đức"),
        ("Phòng GD&ĐT Long Biên", "Phòng GD&ĐT Mê Linh"),
        ("Phòng GD&ĐT Thanh Trì", "Phòng GD&ĐT Chương Mỹ"),
        ("Phòng GD&ĐT TP Vinh", "Phòng GD&ĐT Kỳ Sơn"),
        ("Phòng GD&ĐT TP Vinh", "Phòng GD&ĐT Quế Phong"),
    }
    dtm = Pair.objects.get(mentor__short_name="THCS Đặng Thai Mai")
    assert dtm.mentee.short_name == "THCS Lý Nhật Quang" and dtm.parent is None


def test_it_holds_the_counts_the_articles_give_with_illustrative_names(demo):
    tt_cm = Pair.objects.get(code="hn-tt-cm")
    assert tt_cm.children.count() == 20
    lb_ml = Pair.objects.get(code="hn-lb-ml")
    assert lb_ml.children.count() * 2 == 32
    for child in list(tt_cm.children.all()) + list(lb_ml.children.all()):
        assert "minh hoạ" in child.mentor.name and "minh hoạ" in child.mentee.name
    taymo_pair = Pair.objects.get(mentor__short_name="THCS Tây Mỗ", program__end_year=2025)
    assert "minh hoạ" in taymo_pair.mentee.name and taymo_pair.parent.code == "hn-ntl-md"


def test_it_holds_the_long_bien_me_linh_memorandum(demo):
    memo = Memorandum.objects.get(signed_on=datetime.date(2024, 3, 11))
    assert memo.place == "Trụ sở UBND huyện Mê Linh"
    assert "2023–2025" in memo.title
    assert memo.pairs.filter(code="hn-lb-ml").exists()
    assert memo.pairs.count() == 17


def test_it_holds_the_demonstration_lesson_of_30_march_2023(demo):
    lesson = Activity.objects.get(happened_on=datetime.date(2023, 3, 30))
    assert "Phát triển năng lực, phẩm chất của học sinh qua hoạt động nói và nghe" in lesson.title
    assert (lesson.subject, lesson.grade, lesson.leading_teacher) == ("Ngữ văn", "6", "Đào Thị Yến")
    assert lesson.host.short_name == "THCS Tây Mỗ"
    assert lesson.kind == Activity.Kind.DEMONSTRATION and lesson.status == "confirmed" and lesson.is_public


def test_it_holds_the_people_named_with_their_titles(demo):
    assert Organization.objects.get(short_name="Sở GD&ĐT Hà Nội").head_name == "Trần Thế Cương"
    ntl = Organization.objects.get(short_name="Phòng GD&ĐT Nam Từ Liêm")
    assert (ntl.head_name, ntl.head_title) == ("Nguyễn Thị Hương", "Trưởng Phòng GD&ĐT quận Nam Từ Liêm")
    taymo = Organization.objects.get(short_name="THCS Tây Mỗ")
    assert (taymo.head_name, taymo.head_title) == ("Đoàn Thị Thanh Hương", "Hiệu trưởng")
    assert Memorandum.objects.filter(note__contains="Trần Đăng Dũng – Phó trưởng Phòng Giáo dục Trung học").exists()
    assert Memorandum.objects.filter(note__contains="Bí thư Huyện ủy Mê Linh Nguyễn Thanh Liêm").exists()


def test_it_creates_one_demo_account_per_role(demo, settings):
    User = get_user_model()
    expected = {
        "sogd.hanoi": "department_staff",
        "sogd.nghean": "department_staff",
        "congdoan.nghean": "union_officer",
        "ubnd.taymo": "commune_officer",
        "ubnd.nhonmai": "commune_officer",
        "ht.taymo": "principal",
        "ht.nhonmai": "principal",
        "ht.myduc": "principal",
        "ht.dangthaimai": "principal",
        "ht.lynhatquang": "principal",
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, role=role, is_active=True).exists(), username
    assert Membership.objects.filter(user__username="ht.nhonmai", role="cluster_head", is_active=True).exists()
    # The district offices ceased on 1 July 2025: their officers' accounts remain, without a role.
    for username in ("phong.namtuliem", "phong.myduc", "phong.longbien", "phong.melinh", "phong.vinh", "phong.kyson"):
        user = User.objects.get(username=username)
        assert not user.memberships.filter(is_active=True).exists(), username
        assert user.memberships.filter(role="office_officer").exists(), username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("ketnghia-demo")


def test_it_changes_nothing_when_run_twice(demo):
    def snapshot():
        return {
            "orgs": list(Organization.objects.order_by("pk").values()),
            "pairs": list(Pair.objects.order_by("pk").values()),
            "pair_history": list(Pair.history.order_by("pk").values_list("pk", "history_date")),
            "activity_history": list(Activity.history.order_by("pk").values_list("pk", "history_date")),
            "donation_history": list(Donation.history.order_by("pk").values_list("pk", "history_date")),
            "memo_history": list(Memorandum.history.order_by("pk").values_list("pk", "history_date")),
            "memo_pairs": list(Memorandum.pairs.through.objects.order_by("pk").values()),
            "passwords": list(get_user_model().objects.order_by("pk").values_list("password", flat=True)),
            "memberships": Membership.objects.count(),
        }

    before = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_it_dates_the_seeded_history_at_the_events_it_stands_for(demo):
    from django.utils import timezone

    def day(record):
        return timezone.localtime(record.history_date).date()

    lb_ml = Pair.objects.get(code="hn-lb-ml")
    # Registered on its day, ended with its phase's offices on 30/06/2025.
    assert [day(r) for r in lb_ml.history.all()] == [datetime.date(2025, 6, 30), lb_ml.started_on]
    child = lb_ml.children.filter(started_on__isnull=True).first()
    if child is not None:  # a school pair without its own date: its partnership's
        assert day(child.history.earliest("history_date")) == lb_ml.started_on
    memo = Memorandum.objects.get(signed_on=datetime.date(2024, 3, 11))
    assert day(memo.history.get()) == datetime.date(2024, 3, 11)
    lesson = Activity.objects.get(happened_on=datetime.date(2023, 3, 30))
    assert day(lesson.history.get()) == datetime.date(2023, 3, 30)
    gift = Donation.objects.get(kind=Donation.Kind.GIFT)
    assert day(gift.history.get()) == gift.given_on
    today = timezone.localdate()
    for model in (Pair, Memorandum, Activity, Donation):
        assert not [r for r in model.history.all() if day(r) == today], model
    # A database seeded before the rule (history dated at load time) is re-dated.
    first = lb_ml.history.earliest("history_date")
    Pair.history.filter(pk=first.pk).update(history_date=timezone.now())
    call_command("seed_demo", verbosity=0)
    assert day(lb_ml.history.get(pk=first.pk)) == lb_ml.started_on


def test_it_writes_nothing_on_a_dry_run(db, capsys):
    call_command("seed_demo", "--dry-run")
    assert "nothing written" in capsys.readouterr().out
    assert not Organization.objects.exists()


def test_it_holds_the_2025_reorganisation_without_changing_the_past(demo):
    ntl = Organization.objects.get(slug="phong-gddt-nam-tu-liem")
    assert ntl.valid_until == datetime.date(2025, 6, 30) and ntl.has_ceased and ntl.end_reference
    taymo = Organization.objects.get(short_name="THCS Tây Mỗ")
    before, after, cluster = taymo.placements.order_by(F("valid_from").asc(nulls_first=True))
    # Until 30/06/2025: Phòng GD&ĐT Nam Từ Liêm, in Quận Nam Từ Liêm (district 019).
    assert before.parent == ntl and (before.area.kind, before.area.code) == ("district", "019")
    assert before.area.valid_until == datetime.date(2025, 6, 30)
    # From 01/07/2025: Ủy ban nhân dân phường Tây Mỗ, in the new Phường Tây Mỗ (00634), Hà Nội.
    assert after.valid_from == datetime.date(2025, 7, 1) and before.valid_until == datetime.date(2025, 6, 30)
    assert after.parent.kind == "commune_committee" and after.parent.name == "Ủy ban nhân dân phường Tây Mỗ"
    assert (after.area.code, after.area.name, after.area.valid_from) == ("00634", "Tây Mỗ", datetime.date(2025, 7, 1))
    assert taymo.parent == after.parent and taymo.province.code == "01"
    # From 01/09/2025 it also belongs to a professional cluster (illustrative).
    assert cluster.valid_from == datetime.date(2025, 9, 1) and after.valid_until == datetime.date(2025, 8, 31)
    assert cluster.parent == after.parent and "minh hoạ" in cluster.cluster.name
    # The office partnerships of 2022–2025 ended with their phase, and read as they were.
    assert set(Pair.objects.office_partnerships().filter(program__end_year=2025).values_list("status", flat=True)) == {
        "ended"
    }
    assert Pair.objects.get(code="hn-ntl-md").mentor == ntl


def test_it_holds_the_border_boarding_schools_and_the_2025_2030_phase(demo):
    boarding = Organization.objects.filter(slug__startswith="ptnt-lien-cap-")
    assert boarding.count() == 10
    for school in boarding:
        assert school.province.code == "40" and school.parent.kind == "commune_committee", school
        assert school.area.kind == "commune" and school.area.valid_from == datetime.date(2025, 7, 1)
    phase = Program.objects.get(slug="nha-truong-cung-chung-tay-phat-trien-2025-2030-minh-hoa")
    assert "81-TB/TW" in phase.legal_basis and phase.previous_phase.end_year == 2025
    crossing = [p for p in phase.pairs.select_related("mentor__province", "mentee__province")]
    assert crossing and all("minh hoạ" in (p.note + p.mentor.name + p.mentee.name) for p in crossing)
    kinds = {(p.mentor.kind, p.mentor.province.code, p.mentee.province.code) for p in crossing}
    assert ("school", "01", "40") in kinds and ("cluster", "01", "40") in kinds and ("department", "01", "40") in kinds
    active = phase.pairs.get(code="hn-tm-nmai")
    assert active.status == "active" and active.started_on is not None
