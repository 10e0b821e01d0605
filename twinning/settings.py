"""Settings for the Kết nghĩa portal.

One module, configured from the environment. With nothing set, ``migrate`` and
``runserver`` work on a SQLite file inside the project folder; production is
expressed by environment variables (see README.md), not by a second module.
"""

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

from twinning.lib.env import envbool, envint, envlist, envstr, parse_database_url, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent

# Development defaults. ``twinning.checks`` warns (twinning.W001-W003) when one of
# these is still in use while DEBUG is off.
DEV_SECRET_KEY = "django-insecure-ket-nghia-development-key-do-not-use-in-production"
DEV_ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DEV_MEDIA_ROOT = BASE_DIR / "media"

SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", True)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", DEV_ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "twinning",
    "jobs",
    "schools",
    "programs",
    "notifications",
    "needs",
    "accounts",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "twinning.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "twinning.middleware.MethodNotAllowedPageMiddleware",
    "twinning.middleware.WorkingDaySessionMiddleware",
    # After the session and the user: the unit a user with several roles acts for.
    "twinning.middleware.ActingUnitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twinning.urls"
WSGI_APPLICATION = "twinning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "twinning.context_processors.site",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# No DATABASE_URL: the embedded SQLite file (git-ignored). DATABASE_URL: PostgreSQL.
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL)}
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASE_REPLICA_URL (optional): a read replica of the same PostgreSQL database.
# Report and export reads go there (twinning.routers); everything else, and every
# write, goes to the primary. Off by default.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = parse_database_url(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["twinning.routers.ReplicaRouter"]

# --- Cache -------------------------------------------------------------------------
# REDIS_URL (optional): a Redis cache shared by every worker and machine. Without it,
# each process keeps its own small in-memory cache; nothing requires Redis.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "ketnghia"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ket-nghia",
            "TIMEOUT": 300,
        }
    }

# How long the figures of the public pages that count over the whole country (the
# home page's totals) are kept before being counted again; 0 counts on every visit.
PUBLIC_FIGURES_SECONDS = envint("PUBLIC_FIGURES_SECONDS", 60)

# The longest a report's figures (dashboard, printable report) are kept in the cache;
# they are worked out again as soon as any figure may have changed (programs.reports.cache).
# 0 works them out on every visit.
REPORT_CACHE_SECONDS = envint("REPORT_CACHE_SECONDS", 300)

# The private note about sponsored children is erased this many days after the
# support was given (manage.py erase_pupil_notes, run daily; also from its history).
PUPIL_NOTE_DAYS = envint("PUPIL_NOTE_DAYS", 730)

# --- Background jobs ------------------------------------------------------------------
# Django's tasks API (the django-tasks backport). The database backend runs on SQLite
# for `make run` and on PostgreSQL with any number of `manage.py db_worker` processes
# on any number of machines. TASKS_BACKEND swaps the queue (for example
# "django_tasks_rq.RQBackend" with django-tasks-rq installed); "immediate" runs each
# job inside the request that enqueues it (tests, one-off scripts).
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = envstr("TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
# How long the file a job made (an export) is kept for its user to download.
JOB_FILE_DAYS = envint("JOB_FILE_DAYS", 7)

# --- Authentication -------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a login while its account is locked out from that address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins are throttled per account *and* address together: five wrong passwords
# for one account from one address lock that account out from that address for 15
# minutes. Colleagues behind the same school connection keep logging in with their own
# accounts, and the owner can still log in from elsewhere or reset the password (which
# lifts the lock). Every attempt is logged (admin → Axes).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "twinning.security.client_ip"
AXES_VERBOSE = False

# Sessions end after a working day without activity (each visit moves the end on,
# at most once every few minutes: twinning.middleware.WorkingDaySessionMiddleware).
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True

# E-mail (password resets, and what waits for someone). EMAIL_URL says it in one line
# (smtp://user:password@host:587, smtps://…:465, file:///folder, console://; see
# twinning.lib.env.parse_email_url); otherwise EMAIL_HOST and friends, as Django names
# them. Without either, messages are printed on the console (make run).
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
if envstr("EMAIL_URL", ""):
    globals().update(parse_email_url(envstr("EMAIL_URL", "")))
# The portal's address as people open it: the links in e-mails sent by the background
# worker (which has no request to take it from).
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Kết nghĩa <no-reply@ketnghia.local>")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# The project catalogue first (makemessages writes there), then the translations we
# supply for third-party apps that ship no Vietnamese (import-export, simple-history).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
# Django's own ``vi`` format module leaves NUMBER_GROUPING unset, so numbers would
# print as 240000000; ours groups them as 240.000.000.
FORMAT_MODULE_PATH = ["twinning.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# A school year (năm học) starts on this day and month; 1 September by default.
SCHOOL_YEAR_START_MONTH = envint("SCHOOL_YEAR_START_MONTH", 9)
SCHOOL_YEAR_START_DAY = envint("SCHOOL_YEAR_START_DAY", 1)

# --- Static and media files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DEV_MEDIA_ROOT)))
# Uploaded files are never served from MEDIA_URL: every download goes through a view
# that checks the user's scope (memorandum scans, receipts, activity photos).
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Upload limits: a 10 MB file per field (checked by the forms), a little more for the
# whole request so a form with several photos still reaches validation.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind HTTPS: every plain-HTTP request is redirected and browsers are told to use
# HTTPS only (HSTS) for a year, sub-domains included.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY)
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31_536_000 if BEHIND_HTTPS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts, styles, fonts and images come from the portal itself only: no inline
# script or style anywhere (the few dynamic bits are static files reading data-*
# attributes). Photos previewed before upload are blob: URLs; Bootstrap's icons are
# data: URLs in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The one inline style: the stand-alone 500 page's (templates/500.html), by its hash.
        "style-src": ["'self'", "'sha256-l5Np8ixOWqI7/DzMyLbOIP4G3bFdzqJDOywjQTaYL5c='"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Features the portal never uses are switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# --- Third-party apps ---------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Imports run in one transaction: a sheet with a bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_FORMATS = [XLSX, CSV]
# The admin's uploads wait for confirmation where the portal's do (a private folder of the
# default storage, read by every app server, swept after a day), not in one server's /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "twinning.lib.uploads.UploadStash"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Demo data ----------------------------------------------------------------------
DEMO_PASSWORD = envstr("DEMO_PASSWORD", "ketnghia-demo")
# Which official areas seed_demo loads first: "all" (the whole country, a few seconds),
# "demo" (Hà Nội and Nghệ An, what the demo refers to; the test suite uses it) or "none".
DEMO_AREAS = envstr("DEMO_AREAS", "all")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
