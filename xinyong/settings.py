"""Django settings for xinyong.

Everything that differs between a laptop demo and production comes from the environment:
``DATABASE_URL`` (SQLite under ``var/`` by default, PostgreSQL in production), ``SECRET_KEY``,
``XINYONG_PERSON_HASH_KEY`` and ``XINYONG_PERSON_ENC_KEYS`` (keys for person identifiers).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINYONG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "0") == "1"
# The demo key is only for a laptop; production refuses to start without a real one.
_DEMO_SECRET = "xinyong-demo-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEMO_SECRET)
if not DEBUG and SECRET_KEY == _DEMO_SECRET and os.environ.get("XINYONG_ENV") == "production":
    raise RuntimeError("SECRET_KEY must be set in production")

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "xinyong.core",
    "xinyong.accounts",
    "xinyong.audit",
    "xinyong.subjects",
    "xinyong.catalog",
    "xinyong.records",
    "xinyong.ingest",
    "xinyong.disclosure",
    "xinyong.lists",
    "xinyong.sanctions",
    "xinyong.remedies",
    "xinyong.portal",
    "xinyong.backoffice",
    "xinyong.api",
    "xinyong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xinyong.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xinyong.core.middleware.RequestContextMiddleware",
    "xinyong.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "xinyong.urls"
WSGI_APPLICATION = "xinyong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinyong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "xinyong.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two
                # writers never deadlock on upgrade and the audit chain stays serial.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("XINYONG_SQLITE_TEST_NAME") or None},
        }
    db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.postgresql":
        # template0 lets the test database take an explicit UTF-8 encoding whatever
        # template1 was created with; the name search needs UTF-8 text.
        db["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    return db


def _hot(default: dict) -> dict:
    """The credit check's own connection to the same database (the hot path of every
    counter). On PostgreSQL: server-side binding and prepared statements, so that its few
    fixed statements are planned once per connection (planning ~1 ms, executing ~0.1 ms);
    and asynchronous commit of its log rows (a crash of the database server may lose the
    last fraction of a second of check logs, never a partial row; docs/architecture.md).
    Tests share the default connection."""
    hot = {**default, "CONN_HEALTH_CHECKS": False, "TEST": {"MIRROR": "default"}}
    if default["ENGINE"] == "django.db.backends.postgresql":
        hot["OPTIONS"] = {
            **default.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 2,
            "options": "-c synchronous_commit=off",
        }
    return hot


DATABASES = {"default": _database()}
DATABASES["hot"] = _hot(DATABASES["default"])
DATABASE_ROUTERS = ["xinyong.core.routers.DefaultOnly"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic; whitenoise also serves finders
STATICFILES_DIRS = [BASE_DIR / "xinyong" / "static"]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# An API batch holds up to 10,000 rows of up to a few KB each.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

# Ingestion: payloads are kept as received under var/batches (re-processing, evidence).
XINYONG_BATCH_DIR = VAR_DIR / "batches"
# Materials portal users upload (authorisations, later objection evidence and repair
# materials): kept outside the static root, served to authorised staff only.
XINYONG_REMEDY_DIR = VAR_DIR / "remedies"
XINYONG_REMEDY_MAX_MB = int(os.environ.get("XINYONG_REMEDY_MAX_MB", 10))
XINYONG_API_BATCH_MAX_ROWS = 10_000
XINYONG_UPLOAD_MAX_BYTES = int(os.environ.get("XINYONG_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
# Batches up to this many rows are processed at once in the request; larger ones by the worker.
XINYONG_SYNC_MAX_ROWS = int(os.environ.get("XINYONG_SYNC_MAX_ROWS", 500))
# Batches: the processing worker holds a lease it renews every LEASE/6 seconds; a batch whose
# lease ran out (its worker died) is taken again by the watch that runs every WATCH seconds,
# at most MAX_ATTEMPTS times. Stored payloads (encrypted) are deleted PAYLOAD_DAYS after the
# batch ended (0: kept). CHUNK_ROWS rows are checked and applied at a time.
XINYONG_BATCH_LEASE_SECONDS = float(os.environ.get("XINYONG_BATCH_LEASE_SECONDS", 30))
XINYONG_BATCH_WATCH_SECONDS = float(os.environ.get("XINYONG_BATCH_WATCH_SECONDS", 60))
XINYONG_BATCH_MAX_ATTEMPTS = int(os.environ.get("XINYONG_BATCH_MAX_ATTEMPTS", 3))
XINYONG_BATCH_PAYLOAD_DAYS = int(os.environ.get("XINYONG_BATCH_PAYLOAD_DAYS", 30))
XINYONG_BATCH_CHUNK_ROWS = int(os.environ.get("XINYONG_BATCH_CHUNK_ROWS", 20_000))
# Tests only: seconds the worker waits after each chunk, so that a test can kill it mid-batch.
XINYONG_BATCH_TEST_PAUSE = float(os.environ.get("XINYONG_BATCH_TEST_PAUSE", 0))
# Notifications to portal accounts also go by e-mail: printed to the console unless a city
# configures its mail server (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xinyong@localhost")
# Local time of the daily upkeep the worker runs (retention, publication sweep).
XINYONG_DAILY_AT = os.environ.get("XINYONG_DAILY_AT", "00:05")

# Background jobs (django-tasks): a database queue that works on SQLite and PostgreSQL;
# `xinyong db_worker` runs them. Tests run jobs at once (immediate backend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("XINYONG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Person identifiers: a keyed hash (HMAC-SHA256) for lookups and an encrypted copy (AES-GCM,
# newest key first, older keys still decrypt) for authorised display. Derived from SECRET_KEY
# when unset so the demo runs; production sets both explicitly.
XINYONG_PERSON_HASH_KEY = os.environ.get("XINYONG_PERSON_HASH_KEY", "")
XINYONG_PERSON_ENC_KEYS = [
    k for k in os.environ.get("XINYONG_PERSON_ENC_KEYS", "").split(",") if k.strip()
]

# Key of the audit chain's HMAC: without it an edited event cannot be re-chained unnoticed.
XINYONG_AUDIT_KEY = os.environ.get("XINYONG_AUDIT_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
