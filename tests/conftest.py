"""The cast shared by the tests, and the browser-test harness.

The cast is one small province (Hà Nội) with two office partnerships and the demo
roles: department staff, an officer of each office, a principal on each side of a
school pair, a union officer, an outsider and a superuser. Values are readable and
deterministic so failures are easy to read.
"""

import datetime
import email
import email.policy
import os
import shutil
import socket
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test.utils import override_settings
from playwright.sync_api import expect

from schools.models import Area, Membership, Organization
from tests import factories as f
from tests.helpers import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told it is safe (the test owns the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# seed_demo loads only the official areas of Hà Nội and Nghệ An (what the demo refers
# to) instead of the whole country: seconds less per seeded test.
django_settings.DEMO_AREAS = "demo"

# Browser assertions wait up to 15 s (Playwright's default is 5 s): CI machines are
# small and run the live server, Chromium and the test in one box.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Tests run with DEBUG off but without collectstatic: serve static files
    unhashed instead of through the manifest."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session", autouse=True)
def _jobs_run_at_once():
    """Background jobs run inside the request that starts them (tests/test_jobs.py
    also runs them through a real worker on the database queue)."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's default language: a request to an /en/ page
    leaves English active in the thread, and reverse() would then prefix /en/."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploaded files of a test go to a temporary folder; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Public figures are counted on each request in tests (test_pages checks the cache).
    settings.PUBLIC_FIGURES_SECONDS = 0
    # Reports are kept as in production (programs.reports.cache), from an empty cache.
    cache.clear()
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def cast(db):
    """The standard cast. Attribute names say who is who."""
    hanoi = f.area("Hà Nội", kind=Area.Kind.PROVINCE, designation="thành phố")
    nghean = f.area("Nghệ An", kind=Area.Kind.PROVINCE, designation="tỉnh")
    d = {
        name: f.area(name, parent=hanoi, designation=des)
        for name, des in [("Nam Từ Liêm", "quận"), ("Mỹ Đức", "huyện"), ("Long Biên", "quận"), ("Mê Linh", "huyện")]
    }
    vinh = f.area("Vinh", parent=nghean, designation="thành phố")
    dept = f.org("Sở GD&ĐT Hà Nội", Organization.Kind.DEPARTMENT, area=hanoi)
    dept_na = f.org("Sở GD&ĐT Nghệ An", Organization.Kind.DEPARTMENT, area=nghean)
    union_na = f.org("Công đoàn Giáo dục Nghệ An", Organization.Kind.UNION, area=nghean)
    office = {
        key: f.org(f"Phòng GD&ĐT {name}", Organization.Kind.OFFICE, area=d[name], parent=dept)
        for key, name in [("ntl", "Nam Từ Liêm"), ("md", "Mỹ Đức"), ("lb", "Long Biên"), ("ml", "Mê Linh")]
    }
    office_vinh = f.org("Phòng GD&ĐT Vinh", Organization.Kind.OFFICE, area=vinh, parent=dept_na)
    taymo = f.org(
        "Trường THCS Tây Mỗ", area=d["Nam Từ Liêm"], parent=office["ntl"], short_name="THCS Tây Mỗ", code="HN-TM"
    )
    school_md = f.org("Trường THCS Mỹ Đức A", area=d["Mỹ Đức"], parent=office["md"], code="HN-MDA")
    school_lb = f.org(
        "Trường Tiểu học Long Biên A", area=d["Long Biên"], parent=office["lb"], level=Organization.Level.PRIMARY
    )
    school_ml = f.org(
        "Trường Tiểu học Mê Linh A", area=d["Mê Linh"], parent=office["ml"], level=Organization.Level.PRIMARY
    )
    school_vinh = f.org("Trường THCS Đặng Thai Mai", area=vinh, parent=office_vinh)

    program = f.program("Nhà trường cùng chung tay phát triển", organizers=[dept])
    program_na = f.program("Phòng giúp phòng, trường giúp trường", 2019, 2022, organizers=[dept_na, union_na])
    # Signed at the start of the 2022–2023 school year: long enough ago that a pair
    # with no activity since counts as quiet.
    signed = datetime.date(2022, 9, 5)
    ntl_md = f.pair(program, office["ntl"], office["md"], started_on=signed)
    lb_ml = f.pair(program, office["lb"], office["ml"], started_on=signed)
    taymo_md = f.pair(program, taymo, school_md, parent=ntl_md, started_on=signed)

    R = Membership.Role
    users = SimpleNamespace(
        superuser=f.user("root", is_superuser=True, is_staff=True),
        staff_hn=f.user("sogd.hn", role=R.DEPARTMENT_STAFF, organization=dept),
        staff_na=f.user("sogd.na", role=R.DEPARTMENT_STAFF, organization=dept_na),
        union_na=f.user("congdoan.na", role=R.UNION_OFFICER, organization=union_na),
        officer_ntl=f.user("phong.ntl", role=R.OFFICE_OFFICER, organization=office["ntl"]),
        officer_md=f.user("phong.md", role=R.OFFICE_OFFICER, organization=office["md"]),
        officer_lb=f.user("phong.lb", role=R.OFFICE_OFFICER, organization=office["lb"]),
        officer_ml=f.user("phong.ml", role=R.OFFICE_OFFICER, organization=office["ml"]),
        principal_taymo=f.user("ht.tm", role=R.PRINCIPAL, organization=taymo),
        principal_md=f.user("ht.md", role=R.PRINCIPAL, organization=school_md),
        principal_lb=f.user("ht.lb", role=R.PRINCIPAL, organization=school_lb),
        teacher_taymo=f.user("gv.tm", role=R.TEACHER, organization=taymo),
        outsider=f.user("outsider"),
    )
    return SimpleNamespace(
        hanoi=hanoi,
        nghean=nghean,
        districts=d,
        dept=dept,
        dept_na=dept_na,
        union_na=union_na,
        office=office,
        office_vinh=office_vinh,
        taymo=taymo,
        school_md=school_md,
        school_lb=school_lb,
        school_ml=school_ml,
        school_vinh=school_vinh,
        program=program,
        program_na=program_na,
        ntl_md=ntl_md,
        lb_ml=lb_ml,
        taymo_md=taymo_md,
        users=users,
        password=PASSWORD,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- browser tests --------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches this Chromium (Debian's) instead of downloading one.
    Without it the browser tests skip with a message, except in CI
    (REQUIRE_BROWSER_TESTS=1), where a missing browser fails the run."""
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests skipped. "
            "Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH)."
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def phone_page(browser, live_server):
    """A page on a 360×740 phone viewport, Vietnamese, against the live server."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def laptop_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.nodeid.split("::")[0]:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def today(cast):
    """Today's world next to the cast's 2022–2025 one (issue 10): since 1 July 2025
    schools are managed by commune People's Committees, a Nghệ An professional
    cluster led by a cluster head, and a 2025–2030 phase organized by Hà Nội's
    Department whose pair crosses provinces (a Hà Nội school helps a Nghệ An border
    boarding school)."""
    R = Membership.Role
    K = Organization.Kind
    ward_hn = f.area("Đại Mỗ", kind=Area.Kind.COMMUNE, parent=cast.hanoi, designation="phường")
    commune_na = f.area("Nhôn Mai", kind=Area.Kind.COMMUNE, parent=cast.nghean, designation="xã")
    committee_hn = f.org("UBND phường Đại Mỗ", K.COMMUNE_COMMITTEE, area=ward_hn)
    committee_na = f.org("UBND xã Nhôn Mai", K.COMMUNE_COMMITTEE, area=commune_na)
    cluster_na = f.org("Cụm chuyên môn số 1 Nghệ An", K.CLUSTER, area=cast.nghean, parent=cast.dept_na)
    school_hn = f.org("Trường THCS Đại Mỗ", area=ward_hn, parent=committee_hn, code="HN-DM")
    boarding = f.org(
        "Trường PTDTNT liên cấp TH&THCS Nhôn Mai",
        area=commune_na,
        parent=committee_na,
        cluster=cluster_na,
        level=Organization.Level.MULTI,
        code="NA-NM",
    )
    school_na = f.org("Trường THCS Nhôn Mai", area=commune_na, parent=committee_na)
    program = f.program("Kết nghĩa vì học sinh vùng biên", 2025, 2030, organizers=[cast.dept])
    pair = f.pair(program, school_hn, boarding, started_on=datetime.date(2025, 10, 1))
    users = SimpleNamespace(
        commune_hn=f.user("ubnd.daimo", role=R.COMMUNE_OFFICER, organization=committee_hn),
        commune_na=f.user("ubnd.nhonmai", role=R.COMMUNE_OFFICER, organization=committee_na),
        cluster_na=f.user("cum1.nghean", role=R.CLUSTER_HEAD, organization=cluster_na),
        principal_hn=f.user("ht.daimo", role=R.PRINCIPAL, organization=school_hn),
        principal_na=f.user("ht.nhonmai", role=R.PRINCIPAL, organization=boarding),
        teacher_na=f.user("gv.nhonmai", role=R.TEACHER, organization=boarding),
    )
    return SimpleNamespace(
        ward_hn=ward_hn,
        commune_na=commune_na,
        committee_hn=committee_hn,
        committee_na=committee_na,
        cluster_na=cluster_na,
        school_hn=school_hn,
        boarding=boarding,
        school_na=school_na,
        program=program,
        pair=pair,
        users=users,
    )


# --- a real SMTP server (issue 13: the tests read what arrived) ---------------------


class _Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()
