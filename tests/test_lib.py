"""Helpers every page relies on: school years, Vietnamese text, money, uploads, settings."""

import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation

from twinning.lib.env import envbool, parse_database_url
from twinning.lib.money import format_vnd, parse_vnd
from twinning.lib.schoolyear import parse_school_year, school_year_bounds, school_year_of
from twinning.lib.text import fold, nfc, slugify_vi
from twinning.lib.uploads import FileContentValidator


@pytest.mark.parametrize(
    "day, year",
    [
        (datetime.date(2023, 8, 31), "2022-2023"),
        (datetime.date(2023, 9, 1), "2023-2024"),
        (datetime.date(2024, 3, 30), "2023-2024"),
        (datetime.date(2024, 1, 1), "2023-2024"),
        (datetime.date(2024, 8, 31), "2023-2024"),
        (datetime.date(2024, 9, 1), "2024-2025"),
    ],
)
def test_it_maps_a_date_to_its_school_year_at_the_boundaries(day, year):
    assert school_year_of(day) == year


def test_it_follows_the_configured_start_day(settings):
    settings.SCHOOL_YEAR_START_MONTH = 8
    settings.SCHOOL_YEAR_START_DAY = 15
    assert school_year_of(datetime.date(2023, 8, 14)) == "2022-2023"
    assert school_year_of(datetime.date(2023, 8, 15)) == "2023-2024"
    assert school_year_bounds("2023-2024") == (datetime.date(2023, 8, 15), datetime.date(2024, 8, 14))


def test_it_reads_school_years_as_people_write_them():
    assert parse_school_year("2023–2024") == "2023-2024"
    assert parse_school_year(" 2023 - 2024 ") == "2023-2024"
    for bad in ("2023-2025", "2023", "abc", ""):
        with pytest.raises(ValidationError):
            parse_school_year(bad)


def test_it_keeps_vietnamese_readable_in_slugs():
    assert slugify_vi("Đống Đa") == "dong-da"
    assert slugify_vi("Trường THCS Đặng Thai Mai") == "truong-thcs-dang-thai-mai"
    assert slugify_vi("Mỹ Đức") == "my-duc"


def test_it_folds_text_for_accent_free_search():
    decomposed = "Ta\u0302y Mo\u0302\u0303"  # "Tây Mỗ" typed with combining marks
    assert nfc(decomposed) == "Tây Mỗ"
    assert fold("THCS Tây Mỗ") == fold("thcs tay mo") == "thcs tay mo"
    assert fold(decomposed.upper()) == fold("Tây Mỗ") == "tay mo"
    assert fold("Đặng Thai Mai") == "dang thai mai"


@pytest.mark.parametrize(
    "typed", ["240.000.000", "240000000", "240 000 000", "240,000,000", "240.000.000 ₫", 240000000]
)
def test_it_reads_amounts_as_people_type_them(typed):
    assert parse_vnd(typed) == 240_000_000


@pytest.mark.parametrize("typed", ["0", "-5", "240.5", "abc", "24.00.000", ""])
def test_it_refuses_amounts_that_are_not_whole_positive_dong(typed):
    with pytest.raises(ValidationError):
        parse_vnd(typed)


def test_it_shows_money_in_the_language_of_the_page():
    assert format_vnd(240_000_000, "vi") == "240.000.000\u00a0₫"
    assert format_vnd(240_000_000, "en") == "240,000,000\u00a0VND"
    with translation.override("vi"):
        rendered = Template("{% load humanize twinning_tags %}{{ n|intcomma }} {{ n|vnd }}").render(
            Context({"n": 240_000_000})
        )
    assert rendered == "240.000.000 240.000.000\u00a0₫"


def test_it_recognises_files_by_content_not_by_name():
    validator = FileContentValidator(("pdf", "jpeg", "png"))
    validator(SimpleUploadedFile("scan.jpg", b"%PDF-1.4 real pdf\n%%EOF\n", content_type="image/jpeg"))
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile("scan.pdf", b"just some text", content_type="application/pdf"))
    assert error.value.code == "file_type"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",  # cut short: no end-of-file marker
        b"\xff\xd8\xff\xe0 not really a photo",
    ],
)
def test_it_checks_a_scan_by_its_whole_structure_not_its_first_bytes(content):
    validator = FileContentValidator(("pdf", "jpeg", "png"))
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile("scan.pdf", content, content_type="application/pdf"))
    assert error.value.code == "file_type"


def test_it_refuses_files_over_the_size_limit():
    validator = FileContentValidator(("pdf",), max_bytes=10)
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 20))
    assert error.value.code == "file_too_large"


def test_it_names_the_stored_file_after_its_content():
    from PIL import Image

    image, stream = Image.new("RGB", (2, 2)), io.BytesIO()
    image.save(stream, "PNG")
    upload = SimpleUploadedFile("photo.pdf", stream.getvalue())
    FileContentValidator(("png",))(upload)
    assert upload.name == "photo.png"


def test_it_reads_database_urls():
    config = parse_database_url("postgres://postgres@127.0.0.1:5432/twinning")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "twinning",
        "postgres",
        "127.0.0.1",
        "5432",
    )
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("mysql://root@localhost/x")


def test_it_fails_loudly_on_a_bad_boolean(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        envbool("DEBUG", True)


def test_it_warns_about_development_defaults_with_debug_off(settings):
    from twinning.checks import development_defaults_with_debug_off

    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = settings.DEV_ALLOWED_HOSTS
    settings.MEDIA_ROOT = settings.DEV_MEDIA_ROOT
    ids = {w.id for w in development_defaults_with_debug_off(None)}
    assert {"twinning.W001", "twinning.W002", "twinning.W003"} <= ids
    settings.SECRET_KEY = "x" * 60
    settings.ALLOWED_HOSTS = ["ketnghia.example.vn"]
    settings.MEDIA_ROOT = "/srv/ketnghia/media"
    ids = {w.id for w in development_defaults_with_debug_off(None)}
    assert not ids & {"twinning.W001", "twinning.W002", "twinning.W003"}
    settings.DEBUG = True
    assert development_defaults_with_debug_off(None) == []


def test_it_is_configured_for_vietnam(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert (settings.SCHOOL_YEAR_START_DAY, settings.SCHOOL_YEAR_START_MONTH) == (1, 9)


@pytest.mark.django_db
def test_any_of_finds_the_same_rows_as_in_with_one_array_parameter_on_postgresql():
    from django.db import connection

    from programs.models import Pair
    from schools.models import Organization
    from tests import factories

    schools = [factories.org(f"Trường {i}") for i in range(4)]
    wanted = [schools[0].pk, schools[2].pk]
    found = Organization.objects.filter(pk__any_of=wanted)
    assert sorted(found.values_list("name", flat=True)) == ["Trường 0", "Trường 2"]
    assert list(Organization.objects.filter(pk__any_of=[])) == []
    # A foreign key's id, and a query set instead of a list (Django's IN).
    program = factories.program()
    pair = factories.pair(program, schools[0], schools[1])
    factories.pair(program, schools[2], schools[3])
    assert list(Pair.objects.filter(mentor_id__any_of=[schools[0].pk])) == [pair]
    assert list(Pair.objects.filter(mentor__any_of=Organization.objects.filter(name="Trường 0"))) == [pair]
    sql, params = found.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql and params == (wanted,)
    else:
        assert " IN (%s, %s)" in sql and params == tuple(wanted)


@pytest.mark.django_db
def test_shared_related_rows_are_read_once_a_chunk_and_shared(django_assert_num_queries):
    from programs.models import Activity
    from tests import factories
    from twinning.lib.shared_rows import with_shared_related

    program = factories.program()
    mentor, mentee = (factories.org(f"Trường {name}") for name in ("Giúp", "Được giúp"))
    pair = factories.pair(program, mentor, mentee)
    for day in range(1, 6):
        factories.activity(pair, title=f"Hoạt động {day}", happened_on=datetime.date(2023, 3, day), host=mentee)
    relations = {"pair": ("code", "mentor", "mentee"), "pair__mentor": ("name",), "pair__mentee": ("name",)}
    relations["host"] = ("name",)
    activities = Activity.objects.order_by("happened_on").only("title", "pair", "host")
    # Chunks of two rows, the activities read by one query; their pair once, in the
    # first chunk; its two sides once each; the host, one of the sides, not again.
    with django_assert_num_queries(1 + 1 + 2):
        rows = list(with_shared_related(activities, relations, chunk_size=2))
        names = [(a.title, a.pair.code, a.pair.mentor.name, a.pair.mentee.name, a.host.name) for a in rows]
    assert names[0] == ("Hoạt động 1", pair.code, "Trường Giúp", "Trường Được giúp", "Trường Được giúp")
    assert len(names) == 5 and {n[4] for n in names} == {"Trường Được giúp"}
    assert len({id(a.pair) for a in rows}) == 1 and rows[4].host is rows[0].pair.mentee  # shared


def test_a_warm_worker_freezes_what_it_loaded_after_its_first_requests(client, db, monkeypatch):
    """The receiver twinning/wsgi.py connects: after the chosen requests (and only
    then), garbage is collected and what is left is frozen, once the response is done."""
    import gc

    from django.core.signals import request_finished

    from twinning.lib import warm

    calls = []
    monkeypatch.setattr(warm.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(warm.gc, "freeze", lambda: calls.append("freeze"))
    receiver = warm.FreezeWhenWarm(after=(2, 4))
    request_finished.connect(receiver, weak=False, dispatch_uid="test-freeze-when-warm")
    try:
        seen = []
        for _ in range(5):
            assert client.get("/healthz/").status_code == 200
            seen.append(len(calls))
    finally:
        request_finished.disconnect(dispatch_uid="test-freeze-when-warm")
    assert seen == [0, 2, 2, 4, 4]
    assert calls == ["collect", "freeze", "collect", "freeze"]
    assert gc.isenabled()


def test_the_wsgi_application_freezes_at_start_and_when_warm():
    import gc
    import importlib

    from django.core.signals import request_finished

    gc.unfreeze()
    try:
        importlib.reload(importlib.import_module("twinning.wsgi"))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        connected = request_finished.disconnect(dispatch_uid="twinning.freeze_when_warm")
    assert connected
