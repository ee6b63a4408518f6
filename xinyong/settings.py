"""Django settings for xinyong.

Everything that differs between a laptop demo and production comes from the environment:
``DATABASE_URL`` (SQLite under ``var/`` by default, PostgreSQL in production), ``SECRET_KEY``,
``XINYONG_PERSON_HASH_KEY`` and ``XINYONG_PERSON_ENC_KEYS`` (keys for person identifiers).
"""

import datetime
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
    "xinyong.core.thirdparty.TasksConfig",  # django_tasks_db, named in Chinese
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
    "xinyong.commitments",
    "xinyong.declarations",
    "xinyong.bodies",
    "xinyong.practitioners",
    "xinyong.evaluation",
    "xinyong.supervision",
    "xinyong.stats",
    "xinyong.exchange",
    "xinyong.reports",
    "xinyong.policies",
    "xinyong.demonstration",
    "xinyong.alerts",
    "xinyong.tips",
    "xinyong.associations",
    "xinyong.agencies",
    "xinyong.engines",
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
    "xinyong.core.middleware.InputGuardMiddleware",
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


def _replicas(urls: str) -> dict:
    """Streaming replicas of the default database (``DATABASE_REPLICA_URLS``, comma-
    separated PostgreSQL URLs): ``replica_1`` … for the portal's reads and, with the
    check's prepared-statement options, ``replica_1_hot`` … for the credit check's. Only
    the reads of a read-only scope go there (xinyong/core/replicas.py); never migrated; in
    tests mirrors of the default database, so the suite runs as without them."""
    out = {}
    for n, url in enumerate((u.strip() for u in urls.split(",") if u.strip()), 1):
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        # A replica that does not answer is skipped after this long, not waited for.
        db["OPTIONS"] = {"connect_timeout": 2, **db.get("OPTIONS", {})}
        db["TEST"] = {"MIRROR": "default"}
        out[f"replica_{n}"] = db
        out[f"replica_{n}_hot"] = _hot(db)
    return out


DATABASES = {"default": _database()}
DATABASES["hot"] = _hot(DATABASES["default"])
DATABASES.update(_replicas(os.environ.get("DATABASE_REPLICA_URLS", "")))
XINYONG_REPLICAS = tuple(a for a in DATABASES if a.startswith("replica_") and "_hot" not in a)
# A replica further behind the primary than this is not read (seconds); each process reads
# a replica's position and lag at most this often (seconds: a few milliseconds).
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 10))
REPLICA_STATUS_SECONDS = float(os.environ.get("REPLICA_STATUS_SECONDS", 0.02))
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
CSRF_FAILURE_VIEW = "xinyong.core.errorpages.csrf_failure"  # the site's page, in Chinese
# An API batch holds up to 10,000 rows of up to a few KB each.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

# Ingestion: payloads are kept as received under var/batches (re-processing, evidence).
XINYONG_BATCH_DIR = VAR_DIR / "batches"
# Batch engines (xinyong/engines): where exports of the data to Parquet are written; on a
# Spark cluster, shared storage mounted at the same path on the driver and every executor.
XINYONG_PARQUET_DIR = Path(os.environ.get("XINYONG_PARQUET_DIR", VAR_DIR / "parquet"))
# The Spark master (spark://host:7077, yarn, k8s://…); unset: spark-submit's, or local[*].
XINYONG_SPARK_MASTER = os.environ.get("XINYONG_SPARK_MASTER", "")
# Materials portal users upload (authorisations, later objection evidence and repair
# materials): kept outside the static root, served to authorised staff only.
XINYONG_REMEDY_DIR = VAR_DIR / "remedies"
XINYONG_REMEDY_MAX_MB = int(os.environ.get("XINYONG_REMEDY_MAX_MB", 10))
# Working days the routed department (or the credit office) has to verify a self-declaration.
XINYONG_DECLARATION_WORKDAYS = int(os.environ.get("XINYONG_DECLARATION_WORKDAYS", 10))
# Public bodies (xinyong/bodies): working days an addressee has to acknowledge a notice
# about a public institution or state-owned enterprise; the audit department's code (its
# notices go to it when the body names none; a department of another code: a named body).
XINYONG_NOTICE_RECEIPT_WORKDAYS = int(os.environ.get("XINYONG_NOTICE_RECEIPT_WORKDAYS", 5))
XINYONG_AUDIT_DEPARTMENT = os.environ.get("XINYONG_AUDIT_DEPARTMENT", "SJ")
XINYONG_DECLARATION_MAX_FILES = 5  # evidence files of one self-declaration
# Rewarded tips (xinyong/tips): evidence files of one tip; filings per client address per
# window (seconds) and receipt-code look-ups per address per window. The periods are data
# (TipPolicy), set by the credit office.
XINYONG_TIP_MAX_FILES = 5
XINYONG_TIP_FILE_LIMIT = int(os.environ.get("XINYONG_TIP_FILE_LIMIT", 10))
XINYONG_TIP_FILE_WINDOW = 3600
XINYONG_TIP_LOOKUP_LIMIT = int(os.environ.get("XINYONG_TIP_LOOKUP_LIMIT", 20))
XINYONG_TIP_LOOKUP_WINDOW = 600
XINYONG_API_BATCH_MAX_ROWS = 10_000
# Tiered supervision (xinyong/supervision): the class of a subject never evaluated (no
# public grade); working days from an inspection to the publication of its result (国发
# 〔2019〕5号: 20); the most tasks one draw may make.
XINYONG_SUPERVISION_DEFAULT_CLASS = os.environ.get("XINYONG_SUPERVISION_DEFAULT_CLASS", "B")
XINYONG_SUPERVISION_PUBLISH_WORKDAYS = 20
XINYONG_SUPERVISION_MAX_TASKS = 50_000
# Credit commitments (xinyong/commitments): the subject's period to answer a proposed
# breach (working days); how long a false commitment bars notify-and-commit in every
# matter (42号文: until repaired; the look-back bounds it); the lists whose entries in
# force bar it; the list a breach opens a case on.
XINYONG_COMMITMENT_STATEMENT_WORKDAYS = 5
XINYONG_COMMITMENT_FALSE_LOOKBACK_YEARS = 3
XINYONG_COMMITMENT_BARRING_LISTS = ("serious_dishonesty",)
XINYONG_COMMITMENT_CASE_LIST = "watch"
XINYONG_UPLOAD_MAX_BYTES = int(os.environ.get("XINYONG_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
# Batches up to this many rows are processed at once in the request; larger ones by the worker.
XINYONG_SYNC_MAX_ROWS = int(os.environ.get("XINYONG_SYNC_MAX_ROWS", 500))
# Bounds on what one batch may hold, checked before its rows are parsed (ingest/limits.py):
# columns of the header, characters of one cell, the XLSX's decompressed size and the
# compression ratio of its parts; rows whose error details are stored (the rest counted).
XINYONG_INGEST_MAX_COLUMNS = int(os.environ.get("XINYONG_INGEST_MAX_COLUMNS", 200))
XINYONG_INGEST_MAX_CELL_CHARS = int(os.environ.get("XINYONG_INGEST_MAX_CELL_CHARS", 32_768))
XINYONG_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("XINYONG_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
)
XINYONG_XLSX_MAX_RATIO = int(os.environ.get("XINYONG_XLSX_MAX_RATIO", 100))
XINYONG_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("XINYONG_XLSX_MAX_SHARED_STRINGS", 500_000))
XINYONG_INGEST_MAX_ERROR_ROWS = int(os.environ.get("XINYONG_INGEST_MAX_ERROR_ROWS", 1_000))
# Batches: the processing worker holds a lease it renews every LEASE/6 seconds; a batch whose
# lease ran out (its worker died) is taken again by the watch that runs every WATCH seconds,
# at most MAX_ATTEMPTS times. Stored payloads (encrypted) are deleted PAYLOAD_DAYS after the
# batch ended (0: kept). CHUNK_ROWS rows are checked and applied at a time.
XINYONG_BATCH_LEASE_SECONDS = float(os.environ.get("XINYONG_BATCH_LEASE_SECONDS", 30))
XINYONG_BATCH_WATCH_SECONDS = float(os.environ.get("XINYONG_BATCH_WATCH_SECONDS", 60))
XINYONG_BATCH_MAX_ATTEMPTS = int(os.environ.get("XINYONG_BATCH_MAX_ATTEMPTS", 3))
XINYONG_BATCH_PAYLOAD_DAYS = int(os.environ.get("XINYONG_BATCH_PAYLOAD_DAYS", 30))
XINYONG_BATCH_CHUNK_ROWS = int(os.environ.get("XINYONG_BATCH_CHUNK_ROWS", 20_000))
# A batch of more than CHUNK_ROWS rows (0: never) is prepared in chunks of that many rows by
# CHUNK_WORKERS processes side by side, then applied all at once (ingest/chunks.py). Checked
# when used and by `xinyong check`: a wrong value is refused naming the setting.
# Off by default: on the 2-core benchmark machine it was slower (bench/RESULTS.md).
# Months of the credit check log kept (PostgreSQL: whole monthly partitions are archived to
# var/archive/partitions as gzip CSV, then dropped, by the daily upkeep); 0 keeps them all.
XINYONG_CHECK_LOG_RETENTION_MONTHS = os.environ.get("XINYONG_CHECK_LOG_RETENTION_MONTHS", "0")
# Hash partitions of the records and the tables keyed like them (PostgreSQL), fixed when a
# table is converted (the migration, or `xinyong partitions apply`): 16 for a city, 64 for
# a province (docs/scale.md).
XINYONG_HASH_PARTITIONS = os.environ.get("XINYONG_HASH_PARTITIONS", "16")
XINYONG_CHUNK_ROWS = os.environ.get("XINYONG_CHUNK_ROWS", "0")
XINYONG_CHUNK_WORKERS = os.environ.get("XINYONG_CHUNK_WORKERS", "2")
XINYONG_CHUNK_TEST_FAULT = ""  # tests only: a chunk that raises or kills its worker
# Tests only: seconds the worker waits after each chunk, so that a test can kill it mid-batch.
XINYONG_BATCH_TEST_PAUSE = float(os.environ.get("XINYONG_BATCH_TEST_PAUSE", 0))
# Tests only: seconds a credit check waits before writing its log row, so that a test can
# kill the server mid-check.
XINYONG_CHECK_TEST_PAUSE = float(os.environ.get("XINYONG_CHECK_TEST_PAUSE", 0))
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

# "production" where the platform serves real data: keys that have a laptop default
# elsewhere are then required (`xinyong check --deploy` fails without them).
XINYONG_ENV = os.environ.get("XINYONG_ENV", "development")
# Key of the audit chain's HMAC, its own: without it nobody can re-chain an edited event.
# Derived from SECRET_KEY outside production only (xinyong.E010 in production).
XINYONG_AUDIT_KEY = os.environ.get("XINYONG_AUDIT_KEY", "")
# Ed25519 private key (32 bytes, url-safe base64; `xinyong audit new-signing-key`) that signs
# the checkpoints of the chain head. Derived from SECRET_KEY outside production only
# (xinyong.E011 in production). Its public key: `xinyong audit public-key`.
XINYONG_AUDIT_SIGNING_KEY = os.environ.get("XINYONG_AUDIT_SIGNING_KEY", "")
# Public keys of earlier signing keys (comma-separated), whose checkpoints still verify.
XINYONG_AUDIT_PREVIOUS_PUBLIC_KEYS = [
    k for k in os.environ.get("XINYONG_AUDIT_PREVIOUS_PUBLIC_KEYS", "").split(",") if k.strip()
]
# Signed checkpoints are appended here, one JSON line each: ship the file elsewhere.
XINYONG_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("XINYONG_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit" / "checkpoints.jsonl")
)
# The worker writes a checkpoint this often (minutes) when the chain grew, and daily anyway.
XINYONG_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("XINYONG_AUDIT_CHECKPOINT_MINUTES", 60))
# PostgreSQL's programs for `xinyong backup` (pg_basebackup, pg_verifybackup): this directory,
# else the newest /usr/lib/postgresql/N/bin (xinyong/core/backups.py).
XINYONG_PG_BIN = os.environ.get("XINYONG_PG_BIN", "")

# Credit reports. Ed25519 key signing them (`xinyong audit new-signing-key` makes one); derived
# from SECRET_KEY outside production only (xinyong.E012 in production). Rotate by setting a
# new one: every key that signed is remembered and published, old reports stay verifiable.
XINYONG_REPORT_SIGNING_KEY = os.environ.get("XINYONG_REPORT_SIGNING_KEY", "")
# Issued PDFs, sealed at rest (a review or own report holds shared information).
XINYONG_REPORT_DIR = VAR_DIR / "reports"
# File exchange with the upper platform (GB/T 39443-2020, exchange: files): this platform's
# own exchange node code (交换结点编码), and the root under which each node has its inbox,
# outbox, done and rejected folders (``<root>/<node code>/inbox`` …).
XINYONG_EXCHANGE_NODE = os.environ.get("XINYONG_EXCHANGE_NODE", "XA-CREDIT")
XINYONG_EXCHANGE_DIR = Path(os.environ.get("XINYONG_EXCHANGE_DIR", VAR_DIR / "exchange"))
# The portal's public address, printed in reports' QR codes and verification links.
XINYONG_PUBLIC_URL = os.environ.get("XINYONG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Name of the issuing platform printed on reports.
XINYONG_PLATFORM_NAME = os.environ.get("XINYONG_PLATFORM_NAME", "信安市公共信用信息平台")
# Where a decision can be challenged, printed on decisions (认定决定书): the body that hears
# an administrative reconsideration of a city department's act (本级人民政府, 行政复议法
# 2023 art. 24), per department code where another body hears it (a vertically managed
# department: its superior), and the court of an administrative suit.
XINYONG_RECONSIDERATION_BODY = os.environ.get("XINYONG_RECONSIDERATION_BODY", "信安市人民政府")
XINYONG_RECONSIDERATION_BODIES = {"SW": "国家税务总局信安省税务局"}
XINYONG_LITIGATION_COURT = os.environ.get("XINYONG_LITIGATION_COURT", "有管辖权的人民法院")
# Fonts the PDF engine embeds (Debian's fonts-noto-cjk; scripts/bootstrap installs it).
XINYONG_REPORT_FONT_DIRS = [
    p
    for p in os.environ.get("XINYONG_REPORT_FONT_DIRS", "/usr/share/fonts/opentype/noto").split(":")
    if p
]

# Change subscriptions (webhooks, xinyong/exchange/webhooks). Where the worker may POST:
# host names (shell patterns, e.g. "*.gov.cn"; "*" any public host) and networks (CIDRs)
# the operator allows; private and loopback addresses only when their network is listed;
# plain http only with XINYONG_WEBHOOK_ALLOW_HTTP (a local test receiver).
XINYONG_WEBHOOK_ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XINYONG_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()
]
XINYONG_WEBHOOK_ALLOWED_NETWORKS = [
    n.strip()
    for n in os.environ.get("XINYONG_WEBHOOK_ALLOWED_NETWORKS", "").split(",")
    if n.strip()
]
XINYONG_WEBHOOK_ALLOW_HTTP = os.environ.get("XINYONG_WEBHOOK_ALLOW_HTTP", "") == "1"
# Ed25519 key of the v1a signatures (32 bytes, url-safe base64); derived from SECRET_KEY
# outside production only.
XINYONG_WEBHOOK_SIGNING_KEY = os.environ.get("XINYONG_WEBHOOK_SIGNING_KEY", "")
# After a rotation the previous secret signs too for this long (hours).
XINYONG_WEBHOOK_SECRET_GRACE_HOURS = 24
# Retries: exponential backoff from the first delay (seconds), doubling, capped, with
# jitter (±20 %); a delivery gives up after this many attempts (~3 days of tries).
XINYONG_WEBHOOK_RETRY_FIRST_SECONDS = 5
XINYONG_WEBHOOK_RETRY_MAX_SECONDS = 86_400
XINYONG_WEBHOOK_MAX_ATTEMPTS = 18
# A subscription is stopped (and its department told) after this many failed attempts in
# a row, failing for at least this many hours.
XINYONG_WEBHOOK_DISABLE_AFTER_FAILURES = 50
XINYONG_WEBHOOK_DISABLE_AFTER_HOURS = 24
# Sender: threads (concurrent requests), deliveries claimed per round, timeouts (seconds).
XINYONG_WEBHOOK_SEND_THREADS = int(os.environ.get("XINYONG_WEBHOOK_SEND_THREADS", 16))
XINYONG_WEBHOOK_SEND_BATCH = int(os.environ.get("XINYONG_WEBHOOK_SEND_BATCH", 500))
XINYONG_WEBHOOK_CONNECT_TIMEOUT = 5.0
XINYONG_WEBHOOK_TIMEOUT = 10.0
# Fan-out: changes read per round; how often saved queries are resolved again (minutes).
XINYONG_WEBHOOK_DISPATCH_CHUNK = 5_000
XINYONG_WEBHOOK_REFRESH_MINUTES = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Accounts and HTTP hardening (#12 item 8; docs/architecture.md "Accounts and HTTP") ---
# Login throttling (django-axes) for every password login: back office, portal, admin.
# xinyong/accounts/throttle.py explains the two limits; the credit office lifts a lockout
# in the admin (访问尝试) or with `xinyong axes_reset_username <name>`.
INSTALLED_APPS += ["xinyong.core.thirdparty.AxesConfig", "csp"]  # axes, named in Chinese
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "xinyong.core.middleware.StaticCSPMiddleware")  # fmt: skip
MIDDLEWARE += [
    "xinyong.accounts.middleware.StaffSessionMiddleware",  # needs request.user
    "axes.middleware.AxesMiddleware",  # turns a refused login into the locked page
    # The portal's public pages read a replica when one is configured (needs request.user).
    "xinyong.core.middleware.ReplicaReadMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login, password unchecked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "xinyong.accounts.throttle.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # LoginThrottle's order
AXES_FAILURE_LIMIT = 5  # wrong passwords for one account from one address
XINYONG_LOGIN_ADDRESS_LIMIT = 30  # wrong passwords from one address, all accounts together
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)  # after the last counted failure
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # so the time the page names holds
AXES_LOCKOUT_CALLABLE = "xinyong.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "xinyong.accounts.throttle.client_address"
# Reverse proxies in front of the application (0: clients connect directly). With N ≥ 1 the
# client address is the N-th entry from the right of X-Forwarded-For and HTTPS is recognised
# by X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER): the proxy must append the peer address to
# X-Forwarded-For and set X-Forwarded-Proto itself, replacing whatever the client sent.
XINYONG_PROXY_COUNT = int(os.environ.get("XINYONG_PROXY_COUNT", 0))
if XINYONG_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions: portal sessions last a working day; staff sessions end when the browser closes
# and after XINYONG_STAFF_IDLE_MINUTES without a request (StaffSessionMiddleware).
SESSION_COOKIE_AGE = 8 * 3600
XINYONG_STAFF_IDLE_MINUTES = int(os.environ.get("XINYONG_STAFF_IDLE_MINUTES", 30))
# Portal accounts reset their password through an e-mailed link valid for one hour.
PASSWORD_RESET_TIMEOUT = 3600

# Content-Security-Policy (django-csp 4): scripts, styles and everything else from this
# origin only; no inline script, event handler or style attribute anywhere, the Swagger UI
# at /api/v1/docs included (its settings travel as a JSON data block, its code as files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: URIs in its CSS
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production (XINYONG_ENV=production) is HTTPS only: `xinyong check --deploy` passes clean.
if os.environ.get("XINYONG_ENV") == "production":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("XINYONG_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("XINYONG_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("XINYONG_HSTS_PRELOAD", "1") == "1"
# --- end of accounts and HTTP hardening ---

# Batches of reports are issued by this many worker tasks at once (one per CPU core the
# workers have: run as many `xinyong db_worker` processes); each takes every n-th subject.
XINYONG_REPORT_BATCH_SHARDS = int(os.environ.get("XINYONG_REPORT_BATCH_SHARDS", 2))

# Server-Timing header with the application's time per response (bench/load_bench.py).
if os.environ.get("XINYONG_SERVER_TIMING") == "1":
    MIDDLEWARE.insert(0, "xinyong.core.middleware.ServerTimingMiddleware")

# The cache: per process unless XINYONG_CACHE_URL names a Redis server
# (redis://127.0.0.1:6379/0). Production runs several processes and needs it shared: the
# report throttle's counts and the generations that invalidate cached page parts
# (xinyong/core/cache.py) must be the same for every process (xinyong.W020 otherwise).
XINYONG_CACHE_URL = os.environ.get("XINYONG_CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": XINYONG_CACHE_URL,
        "KEY_PREFIX": "xinyong",
    }
    if XINYONG_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
