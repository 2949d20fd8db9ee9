"""AHTC settings: one module, read from the environment, failing loudly.

`AHTC_ENV` is `development` (default: demo, tests, a laptop) or `production`.
Production refuses to start without a real SECRET_KEY and field-encryption
keys, or with DEBUG on (see docs/operations.md for every variable).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ahtc.envvars import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

AHTC_ENV = os.environ.get("AHTC_ENV", "development").strip().lower()
if AHTC_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"AHTC_ENV must be 'development' or 'production', not {AHTC_ENV!r}")
PRODUCTION = AHTC_ENV == "production"

DEBUG = envbool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=no)")

VAR_DIR = Path(os.environ.get("AHTC_VAR_DIR", BASE_DIR / "var"))
DEV_SECRETS_FILE = VAR_DIR / "dev-secrets.json"


def _read_dev_secrets() -> dict[str, str]:
    try:
        loaded: dict[str, str] = json.loads(DEV_SECRETS_FILE.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return loaded


def _dev_secrets() -> dict[str, str]:
    """Random keys for one development machine, made once, kept in var/ (not in git).

    Written to a temporary file and linked into place, so that processes
    starting together all end up with the same keys.
    """
    existing = _read_dev_secrets()
    if existing:
        return existing
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    fresh = {
        "SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "RECEIPT_KEY": secrets.token_urlsafe(32),
    }
    with tempfile.NamedTemporaryFile("w", dir=VAR_DIR, delete=False, encoding="utf-8") as tmp:
        json.dump(fresh, tmp)
    os.chmod(tmp.name, 0o600)
    try:
        os.link(tmp.name, DEV_SECRETS_FILE)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp.name)
    return _read_dev_secrets()


# Development keys come from var/dev-secrets.json; production never makes
# them, and refuses any key that a development machine here has used.
_DEV = _read_dev_secrets() if PRODUCTION else _dev_secrets()
_DEV_SECRET_KEY = _DEV.get("SECRET_KEY", "")
_DEV_FIELD_KEY = _DEV.get("FIELD_ENCRYPTION_KEY", "")
_DEV_RECEIPT_KEY = _DEV.get("RECEIPT_KEY", "")

SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY in _DEV.values()):
    raise ImproperlyConfigured("production needs SECRET_KEY: at least 50 random characters")

# Fernet keys, newest first, comma-separated. Old keys stay in the list after
# rotation so that rows written with them still decrypt (core/fields.py).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", [] if PRODUCTION else [_DEV_FIELD_KEY])
if PRODUCTION and (not FIELD_ENCRYPTION_KEYS or set(FIELD_ENCRYPTION_KEYS) & set(_DEV.values())):
    raise ImproperlyConfigured(
        "production needs FIELD_ENCRYPTION_KEYS (generate one with `ahtc genkey`)"
    )

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("production needs ALLOWED_HOSTS (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ahtc.core",
    "ahtc.geography",
    "ahtc.accounts",
    "ahtc.people",
    "ahtc.cases",
    "ahtc.victims",
    "ahtc.labour",
    "ahtc.surveys",
    "ahtc.agencies",
    "ahtc.api",
    "ahtc.portal",
    "ahtc.cell",
    "ahtc.jobs",
    "ahtc.onboarding",
    "ahtc.notifications",
    "ahtc.intelligence",
    "ahtc.monitoring",
    "ahtc.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ahtc.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ahtc.core.middleware.LanguageMiddleware",
    # Under /api/: English unless Accept-Language asks, errors always JSON.
    "ahtc.api.middleware.ApiMiddleware",
    # Before CSRF, which reads the body: oversize bodies are refused unread.
    "ahtc.core.uploads.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ahtc.core.csrf.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ahtc.urls"
WSGI_APPLICATION = "ahtc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ahtc.cell.context.workspace",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ahtc.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries take milliseconds, and PostgreSQL
    # compiled some (an OR over EXISTS looks costly to its planner) for 130 ms
    # more at province scale (docs/benchmarks.md, issue 19).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a write is in progress.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ahtc.accounts.backends.ActiveOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cell:home"

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# Hours, not Django's year: the cookie tells whoever holds the phone that the
# portal was used. A report queued offline for longer gets a fresh token when
# it is sent (static/ahtc/offline.js).
CSRF_COOKIE_AGE = envint("CSRF_COOKIE_SECONDS", 4 * 60 * 60)
CSRF_FAILURE_VIEW = "ahtc.core.views.csrf_failure"
if PRODUCTION:
    # __Host- cookies are Secure, host-only and path=/: nothing on plain HTTP
    # or on a sibling subdomain can set them (see core/csrf.py).
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "ahtc_lang"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Lockout locks the attacker, not the owner (issue 9): 5 failures lock that
# username from that source address for 15 minutes. The owner signing in from
# their own device is not locked out by someone else's guesses, an address
# lock does not shut out every officer behind one police-station NAT, and
# attempts during a lock do not extend it. django-axes records the attempts
# (kept SIGN_IN_RECORDS_DAYS, below); the address comes from
# accounts/lockout.py (TRUSTED_PROXIES). Per-address limits across many
# accounts belong in front of the app (docs/operations.md).
AXES_FAILURE_LIMIT = envint("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "ahtc.accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ahtc.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Codes typed at sign-in and enrolment are masked in the stored attempts (issue 11).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "enrolment_code"]
# security.W003 looks for Django's CSRF middleware by its exact path; ours is a
# subclass that adds the no-referrer handling (core/csrf.py), and a test
# asserts it stays installed.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W003"]

# --- accounts hardening (issue 9) ---
# API tokens expire after this many days (api/models.py); at least 1.
AHTC_API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90)
# Staff sign-in records (address, browser; django-axes) are kept this long,
# then purged (`purge_sign_in_records`, and at most hourly on a sign-in).
AHTC_SIGN_IN_RECORDS_DAYS = envint("SIGN_IN_RECORDS_DAYS", 90)
# Reverse proxies in front of the app that append to X-Forwarded-For; the
# sign-in lockout reads the address the nearest one saw (accounts/lockout.py).
AHTC_TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 1 if envbool("BEHIND_TLS_PROXY", False) else 0)
if AHTC_API_TOKEN_DAYS < 1 or AHTC_SIGN_IN_RECORDS_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS and SIGN_IN_RECORDS_DAYS must be at least 1")
if AHTC_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more")

OTP_TOTP_ISSUER = "AHTC"
OTP_TOTP_TOLERANCE = 1

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "ur"
LANGUAGES = [("ur", _("Urdu")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Karachi"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded files live outside the web root and are never served directly.
MEDIA_ROOT = Path(os.environ.get("AHTC_MEDIA_ROOT", VAR_DIR / "media"))
# One cache shared by every process and app server: used proof-of-work
# challenges and per-minute budgets must be seen by all of them (a per-process
# cache let a solved challenge be replayed on another worker). Redis when
# REDIS_URL is set (production: atomic counters, no load on the database);
# otherwise the database cache, which needs no other server (`ahtc migrate`
# creates its table).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ahtc_cache",
            # Used challenges must not be culled before they expire.
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 2_000_000)},
        }
    )
}

# Uploads are held in memory within each view's limits and never written to
# a temporary file (core/uploads.py); views without files take small bodies.
FILE_UPLOAD_HANDLERS = ["ahtc.core.uploads.BoundedMemoryUploadHandler"]
AHTC_MAX_PLAIN_BODY_BYTES = envint("MAX_PLAIN_BODY_BYTES", 3 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT even when it serves from finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# API calls per token (or 2FA session) per minute; calls without credentials
# (the schema) share one budget (ahtc/api/throttling.py, docs/api.md).
AHTC_API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", 600)
AHTC_API_ANONYMOUS_PER_MINUTE = envint("API_ANONYMOUS_PER_MINUTE", 120)
# Citizen reports sent by a gateway's token (reports:submit), per token.
AHTC_API_INTAKE_PER_MINUTE = envint("API_INTAKE_PER_MINUTE", 60)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ahtc.api.auth.ApiTokenAuthentication",
        "ahtc.api.auth.VerifiedSessionAuthentication",
    ],
    # A token also needs the scope of the request (read, write; ahtc/api/auth.py).
    "DEFAULT_PERMISSION_CLASSES": ["ahtc.api.auth.IsStaffMember", "ahtc.api.auth.TokenScopes"],
    # JSON only (forms are a 415: a missing checkbox must never mean "no"), and
    # deeply nested JSON is a 400, not a RecursionError (ahtc/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["ahtc.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "ahtc.api.schema.ApiAutoSchema",
    # One JSON error format for everything under /api/ (ahtc/api/errors.py).
    "EXCEPTION_HANDLER": "ahtc.api.errors.api_exception_handler",
    # A budget per token per minute, 429 with Retry-After (ahtc/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["ahtc.api.throttling.ApiRateThrottle"],
    # Bad ?limit= / ?offset= are a 400, not the defaults (ahtc/api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "ahtc.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AHTC API",
    "DESCRIPTION": "API of the Anti-Human Trafficking Cell information system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "ahtc.cases.models.Status",
        "ClassificationEnum": "ahtc.cases.classification.words.Classification",
        "AgencyEnum": "ahtc.cases.classification.words.Agency",
        "DecidableClassificationEnum": "ahtc.cases.api.DECIDABLE",
        "AgencyKindEnum": "ahtc.agencies.models.AgencyKind",
        "AgencyStatusEnum": "ahtc.agencies.models.AgencyStatus",
    },
    # One body type per operation, so generated clients get working POSTs
    # (ahtc/api/tests/test_generated_client.py): read-only fields stay out
    # of request bodies.
    "COMPONENT_SPLIT_REQUEST": True,
}

# Logs never carry request addresses or bodies: the default Django request
# logger would print paths with query strings, so our format keeps to status.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["null"], "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["null"], "propagate": False},
        # A failed variable lookup in a template is logged at DEBUG with the whole
        # context, which may hold identities or a report being typed: never log
        # it, whatever LOG_LEVEL says.
        "django.template": {"handlers": ["null"], "level": "INFO", "propagate": False},
        # WeasyPrint reports each rendering step at INFO; keep warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

AHTC_DEMO_ALLOWED = not PRODUCTION
# bench/ measures a bare one-row insert through the same stack as a baseline;
# that endpoint exists only when AHTC_BENCH is on, never in production.
AHTC_BENCH = envbool("AHTC_BENCH", False)
if PRODUCTION and AHTC_BENCH:
    raise ImproperlyConfigured("AHTC_BENCH must be off in production")
AHTC_RECEIPT_KEY = os.environ.get("RECEIPT_KEY", "" if PRODUCTION else _DEV_RECEIPT_KEY)
if PRODUCTION and (len(AHTC_RECEIPT_KEY) < 32 or AHTC_RECEIPT_KEY in _DEV.values()):
    raise ImproperlyConfigured("production needs RECEIPT_KEY: at least 32 random characters")
# Closed citizen reports are kept this long unless a retention rule for their
# category says otherwise (Django admin > Retention rules).
AHTC_REPORT_RETENTION_DAYS = envint("REPORT_RETENTION_DAYS", 730)
# Spam brakes on the report form (portal/antispam.py).
AHTC_POW_BITS = envint("POW_BITS", 14)
AHTC_SUBMISSIONS_PER_MINUTE_VERIFIED = envint("SUBMISSIONS_PER_MINUTE_VERIFIED", 20000)
AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = envint("SUBMISSIONS_PER_MINUTE_UNVERIFIED", 600)
# Past their budget, reports are stored and held for review rather than refused,
# up to this many a minute (a ceiling that protects the database from a flood).
AHTC_HELD_PER_MINUTE = envint("HELD_PER_MINUTE", 3000)
# Each time this minute's arrivals pass this count (and each doubling after),
# new challenges ask for one more bit of proof of work (at most 8 more).
AHTC_POW_LOAD_STEP = envint("POW_LOAD_STEP", 200)
AHTC_RECEIPT_LOOKUPS_PER_MINUTE = envint("RECEIPT_LOOKUPS_PER_MINUTE", 300)
# Look-ups that carry a solved proof of work draw on their own, larger budget.
AHTC_RECEIPT_LOOKUPS_PER_MINUTE_VERIFIED = envint("RECEIPT_LOOKUPS_PER_MINUTE_VERIFIED", 1200)
# Agent verification look-ups per sender per minute (agencies/throttle.py).
AHTC_AGENCY_VERIFY_PER_MINUTE = envint("AGENCY_VERIFY_PER_MINUTE", 20)
# Every receipt look-up takes at least this long, found or not, so timing
# tells nothing about whether a code exists.
AHTC_RECEIPT_MIN_SECONDS = float(os.environ.get("RECEIPT_MIN_SECONDS", "0.25"))

# --- files hardening (issue 9) ---
# Pictures are refused by their pixel count, read from the header, before any
# decoding: a small PNG can declare 8000x8000 pixels and take gigabytes to decode.
AHTC_MAX_IMAGE_PIXELS = envint("MAX_IMAGE_PIXELS", 24_000_000)
# Files in one report's whole thread (first report, reporter's and cell's replies).
AHTC_MAX_ATTACHMENTS_PER_REPORT = envint("MAX_ATTACHMENTS_PER_REPORT", 30)
# Virus scanning (core/scan.py) by a ClamAV daemon on a unix socket or TCP;
# with neither set scanning is off and files are marked "not scanned".
AHTC_CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "").strip()
AHTC_CLAMD_HOST = os.environ.get("CLAMD_HOST", "").strip()
AHTC_CLAMD_PORT = envint("CLAMD_PORT", 3310)
AHTC_CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 10)
if AHTC_CLAMD_SOCKET and AHTC_CLAMD_HOST:
    raise ImproperlyConfigured("set CLAMD_SOCKET or CLAMD_HOST, not both")

# --- backups (issue 11) ---
# `ahtc backup` encrypts its archive with this Fernet key (`ahtc genkey`), kept
# apart from the archives and from FIELD_ENCRYPTION_KEYS (docs/operations.md,
# "Backups"). Production has no default, and `ahtc backup` refuses to run
# without it; development uses BACKUP_KEY from var/dev-secrets.json, or one
# derived from that file's SECRET_KEY.
_DEV_BACKUP_KEY = (
    _DEV.get("BACKUP_KEY")
    or base64.urlsafe_b64encode(
        hashlib.sha256(b"ahtc-dev-backup-key:" + _DEV_SECRET_KEY.encode()).digest()
    ).decode()
)
AHTC_BACKUP_KEY = os.environ.get("BACKUP_KEY", "" if PRODUCTION else _DEV_BACKUP_KEY)
if AHTC_BACKUP_KEY and (
    AHTC_BACKUP_KEY in FIELD_ENCRYPTION_KEYS
    or (PRODUCTION and AHTC_BACKUP_KEY in {*_DEV.values(), _DEV_BACKUP_KEY})
):
    raise ImproperlyConfigured("BACKUP_KEY must be a key of its own (make one with `ahtc genkey`)")

# --- background jobs (issue 11; ahtc/jobs) ---
# Tasks are rows in the database (django-tasks' database backend), run by
# `ahtc worker`; the same code runs on SQLite and PostgreSQL. docs/jobs.md says
# how to move to an RQ/Redis backend for many workers.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A worker writes its heartbeat this often while it lives (also mid-task); a
# running task whose worker has been silent for JOBS_WORKER_STALE_SECONDS is
# put back in the queue by the next worker to start.
AHTC_JOBS_HEARTBEAT_SECONDS = envint("JOBS_HEARTBEAT_SECONDS", 15)
AHTC_JOBS_WORKER_STALE_SECONDS = envint("JOBS_WORKER_STALE_SECONDS", 90)
# A task interrupted this many times (it may be what kills the worker) fails.
AHTC_JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", 3)
# Export files (encrypted, under MEDIA_ROOT/exports) are deleted after this.
AHTC_JOBS_FILE_HOURS = envint("JOBS_FILE_HOURS", 24)
# Finished job records (progress, errors) are kept this long, then deleted.
AHTC_JOBS_KEEP_DAYS = envint("JOBS_KEEP_DAYS", 30)
if AHTC_JOBS_WORKER_STALE_SECONDS < 2 * AHTC_JOBS_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "JOBS_WORKER_STALE_SECONDS must be at least twice JOBS_HEARTBEAT_SECONDS"
    )

# --- file storage (issue 11; ahtc/core/storage.py) ---
# Stored files are encrypted on this server (FIELD_ENCRYPTION_KEYS) before they
# are written: to MEDIA_ROOT (default) or, with AHTC_STORAGE=s3, to an
# S3-compatible object store (MinIO, Ceph, AWS). Credentials come from the
# usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (docs/storage.md).
AHTC_STORAGE = os.environ.get("AHTC_STORAGE", "filesystem").strip().lower()
if AHTC_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured(f"AHTC_STORAGE must be 'filesystem' or 's3', not {AHTC_STORAGE!r}")
if AHTC_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("AHTC_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {  # type: ignore[dict-item]  # STORAGES above holds str values only
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # MinIO and most self-hosted stores want path-style addresses.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
# Evidence (video) up to this size streams to storage; reporters' files keep
# their 8 MB limit (portal/files.py).
AHTC_MAX_EVIDENCE_BYTES = envint("MAX_EVIDENCE_BYTES", 2 * 1024**3)

# --- database replica and scale-out (issue 11; ahtc/core/dbrouter.py) ---
# A streaming read replica of the primary. Reads go to it only where code opts
# in (dbrouter.read_replica / using_replica: dashboards, aggregates, exports);
# everything else, every write and every migration stays on the primary.
DATABASE_ROUTERS = ["ahtc.core.dbrouter.PrimaryReplicaRouter"]
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _REPLICA_URL:
    from ahtc.core.dbrouter import replica_database

    DATABASES["replica"] = replica_database(
        _REPLICA_URL, conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0)
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be the same kind of database")

# --- district onboarding (issue 11; ahtc/onboarding) ---
# The Assembly's deadline for a cell in every district; the rollout register
# shows progress against it.
AHTC_ROLLOUT_DEADLINE = os.environ.get("ROLLOUT_DEADLINE", "2025-02-28")

# --- notifications (issue 10; ahtc/notifications) ---
# Email goes through Django's email framework: printed to the console in
# development, sent by SMTP in production (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL).
# Messages carry counts and links only (docs/notifications.md).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AHTC <noreply@localhost>")
# Links in emails and SMS are made absolute with this address.
AHTC_SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
# SMS: console (development), http (a gateway taking a JSON POST) or off.
AHTC_SMS_BACKEND = os.environ.get("SMS_BACKEND", "off" if PRODUCTION else "console").strip()
AHTC_SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "").strip()
AHTC_SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
AHTC_SMS_GATEWAY_TIMEOUT = envint("SMS_GATEWAY_TIMEOUT", 10)
if AHTC_SMS_BACKEND not in {"console", "http", "off"}:
    raise ImproperlyConfigured(
        f"SMS_BACKEND must be 'console', 'http' or 'off', not {AHTC_SMS_BACKEND!r}"
    )
if AHTC_SMS_BACKEND == "http" and not (AHTC_SMS_GATEWAY_URL and AHTC_SMS_GATEWAY_TOKEN):
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN")
if PRODUCTION and AHTC_SMS_BACKEND == "http" and not AHTC_SMS_GATEWAY_URL.startswith("https://"):
    raise ImproperlyConfigured("SMS_GATEWAY_URL must be an https:// address in production")

# --- monitoring (issue 13; ahtc/monitoring/aggregates.py, suppression.py) ---
# Screens show counts below k as "fewer than k" to aggregate readers (as the
# statistics export, CTDC's rule); k below 11 is refused.
MONITORING_SUPPRESS_K = envint("MONITORING_SUPPRESS_K", 11)
if MONITORING_SUPPRESS_K < 11:
    raise ImproperlyConfigured("MONITORING_SUPPRESS_K cannot be below 11")
# The stored monthly tallies are read while younger than this (minutes); the
# job refreshes them hourly. Older: computed live from the records.
MONITORING_AGGREGATES_MAX_AGE = envint("MONITORING_AGGREGATES_MAX_AGE", 90)
