"""sddcase settings: one module, driven by environment variables (django-environ).

Embedded default: SQLite and eager Celery. Set DATABASE_URL and CELERY_BROKER_URL to run on
PostgreSQL and Redis with a real worker and beat.
"""

import os
import socket
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class _SetVariables(Mapping):
    """The environment without its empty variables: `DATABASE_URL=` (as a .env file may hold) means
    "not set", so the default applies, for every variable alike."""

    def __getitem__(self, name):
        value = os.environ[name]
        if not value.strip():
            raise KeyError(name)
        return value

    def __iter__(self):
        return (name for name, value in os.environ.items() if value.strip())

    def __len__(self):
        return sum(1 for _name in self)


env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CELERY_BROKER_URL=(str, ""),
)
env.ENVIRON = _SetVariables()
environ.Env.read_env(BASE_DIR / ".env")

# --- Installation and secret key (harden19) ---------------------------------------------------------
# The key of an installation that set none: known to everyone, so never a production installation's.
DEFAULT_SECRET_KEY = "insecure-dev-key-change-me-for-production-use-only"
SECRET_KEY = env("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
# What this installation is: "production", "test" or "demo". Only a demo or test installation may load
# the demo (known logins, passwords reset on every run, --reset deletes case data). An installation
# that set no SECRET_KEY of its own is a demo (`make run`, the tests); one that did is production
# unless it says otherwise.
INSTALLATIONS = ("production", "test", "demo")
SDDCASE_INSTALLATION = env.str(
    "SDDCASE_INSTALLATION", default="demo" if SECRET_KEY == DEFAULT_SECRET_KEY else "production"
)
if SDDCASE_INSTALLATION not in INSTALLATIONS:
    raise ImproperlyConfigured(f"SDDCASE_INSTALLATION must be one of {', '.join(INSTALLATIONS)}.")
# Production mode: a production installation without DEBUG. It refuses to start with the default key
# (a short key is an error of the system checks, sddcase/checks.py).
PRODUCTION = SDDCASE_INSTALLATION == "production" and not DEBUG
if PRODUCTION and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("A production installation needs its own SECRET_KEY (at least 50 random characters).")
# --- end of installation and secret key ----------------------------------------------------------------

INSTALLED_APPS = [
    "sddcase.apps.SddAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widget templates, for the project's form renderer
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "audit",
    "indications",
    "providers",
    "api",
    "signals",
    # The iWmo 3.2 message exchange (WMO301 out, 305/307 in, their retour messages, the outbox).
    "iwmo",
    # Declaraties (WMO323 in, WMO325 out), contract prices per unit, payment runs.
    "billing",
    # The client's letters (beschikking, verslag, bezwaar) as stored, frozen PDFs from templates as data.
    "letters",
    # Bezwaar (Awb) against a beschikking, with its deadlines.
    "objections",
    # Calamiteiten and geweldsincidenten reported by providers (art. 3.4 Wmo 2015).
    "incidents",
    "monitor",
    # The demo generator sits on top: it may import every app, no app imports it.
    "demo",
    "sddcase.apps.SddAxesConfig",
    # The Content-Security-Policy header (django-csp, settings CONTENT_SECURITY_POLICY below).
    "csp",
    # Two-factor login: TOTP (an authenticator app) and static backup codes (herstelcodes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Last: it synchronises the role groups after every app's permissions exist.
    "accounts",
]

MIDDLEWARE = [
    # Request latency per view and queries per request (sddcase/metrics.py), around everything else.
    "sddcase.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that the static files get them too: the CSP header, and no Server banner.
    "sddcase.middleware.NoServerBannerMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the API's boundary, so that its audit record still sees the request's context (NEN 7513).
    "audit.middleware.AuditContextMiddleware",
    # /api/: early refusals, JSON answers only, every call in the audit trail (also those refused below).
    "api.middleware.ApiBoundaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session pass the second factor (before the check below).
    "django_otp.middleware.OTPMiddleware",
    "sddcase.middleware.PagesLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login attempts: after 5 failures for one username from one address, 15 minutes' wait. The attempts are
# kept in the database (axes' database handler), so every process counts the same failures; the address
# is the client's, also behind a trusted proxy (audit/network.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "audit.network.client_ip"
# Every failure is kept as well (with whether it locked the account out): the privacy officer's log
# review lists them (sddcase/account_review.py); axes keeps the latest 1,000 per user.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- Two-factor login (django-otp; docs/security.md)
# Every user logs in with a password and a second factor: a code from an authenticator app (TOTP) or
# a one-time herstelcode. The one switch: only `make run` (the demo on the embedded default) sets it
# false; a system check refuses that on PostgreSQL, and `check --deploy` refuses it everywhere.
SDDCASE_OTP_REQUIRED = env.bool("SDDCASE_OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = "sddcase"
# django-otp's own throttling (on by default): after each wrong code a device waits 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

ROOT_URLCONF = "sddcase.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sddcase.navigation.menu",
            ],
            # The shared presentation helpers (ui/templatetags.py): {% load ui %}.
            "libraries": {"ui": "ui.templatetags"},
        },
    },
]

# Every form renders through templates/includes/form.html and field.html (ui/forms.py).
FORM_RENDERER = "ui.forms.FormRenderer"

WSGI_APPLICATION = "sddcase.wsgi.application"

# --- Shared cache (harden19) ------------------------------------------------------------------------
# The cache holds the API throttle counters: share it between processes in production
# (CACHE_URL=redis://127.0.0.1:6379/2); the default is per process. With more than one process (a
# production installation, or SDDCASE_PROCESSES > 1) a per-process cache is an error of the system
# checks (sddcase/checks.py): each process would count its own budget.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SDDCASE_PROCESSES = env.int("SDDCASE_PROCESSES", default=1)
# --- end of shared cache -------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL session settings where the project connects (libpq's `options`), for every process:
# JIT off by default. This workload's queries are short or index-driven, and the planner's cost of the
# correlated counts (zorgstapeling, the SLA figures) passes jit_above_cost: compiling then took 2.9 of
# 3.1 s of the stacking check and 1.4-1.5x the SLA API's time (docs/operations.md). PG_SESSION_OPTIONS
# replaces the whole string (e.g. "-c jit=on" for the server's choice).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a web or worker process keeps its connection for DB_CONN_MAX_AGE seconds
    # (0: a new one per request, as Django's default). A new connection is a backend start, a password
    # exchange and a cold catalog cache (the first plan of the provider API's detail read took 11 ms of
    # planning against 0.9 ms on a warm connection): the largest fixed cost of a request over HTTP
    # (docs/operations.md). The health check (one `SELECT 1` at a request's first query) drops a
    # connection the server closed (a restart, a failover) instead of failing the request with it.
    # Each gunicorn worker thread and Celery process holds one connection (two with the replica):
    # size max_connections for it (deploy/postgresql.conf.example). `?conn_max_age=` in the URL wins.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    PG_SESSION_OPTIONS = env("PG_SESSION_OPTIONS", default="-c jit=off")
    if PG_SESSION_OPTIONS:  # an `options` in DATABASE_URL itself (?options=...) wins
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", PG_SESSION_OPTIONS)
# The read replica for reporting (docs/operations.md): the router sends reads to it only inside
# ui.reporting.reporting_reads. In tests it mirrors the test database (a real standby replays it).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        **env.db("DATABASE_REPLICA_URL"),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
for _database in DATABASES.values():
    # django-environ passes `?conn_health_checks=false` in a URL on as the text "false", which Django
    # would take as true.
    if isinstance(_database.get("CONN_HEALTH_CHECKS"), str):
        _database["CONN_HEALTH_CHECKS"] = _database["CONN_HEALTH_CHECKS"].strip().lower() in ("1", "true", "yes", "on")
DATABASE_ROUTERS = ["sddcase.db_router.ReportingReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# After the login each role lands on its own start page (indications.views.home), never on a 403.
LOGIN_REDIRECT_URL = "indications:home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after 30 minutes without activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Stateless web processes (health20): sessions in the database, read through the shared cache, so a
# request may land on any process; never in a process's memory or on its local disk.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The cookies' and headers' security settings are in the block "Production security" below.

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["sddcase.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded files that hold client data (the providers' ondersteuningsplannen) live in the "private"
# storage: a directory outside the static files with no URL, served only by views that check the
# permission and record the read in the audit trail. Nothing is stored in the "default" storage.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    # The client's letters as sent (frozen PDFs, letters app): by default in the private directory
    # (no URL, served only by the audited download view). Any other backend by setting, e.g. an
    # S3-compatible store: LETTERS_STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages,
    # not installed here) with its options as JSON in LETTERS_STORAGE_OPTIONS.
    "letters": {
        "BACKEND": env("LETTERS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json(
            "LETTERS_STORAGE_OPTIONS", default={"location": PRIVATE_MEDIA_ROOT + "/letters", "base_url": None}
        ),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # JSON in and out only (api/parsers.py, api/renderers.py); no metadata answers to OPTIONS.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_METADATA_CLASS": None,
    # ?format= is no switch of the API: an unknown parameter like any other.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_THROTTLE_RATES": {"provider": env("API_RATE_PER_KEY", default="600/min")},
}
# The provider API: the largest request body and JSON nesting it parses (larger: 413, deeper: 400),
# and its keys' lifetime and the warning before expiry on the admin page (days).
API_LIMITS = {
    "MAX_BODY_BYTES": env.int("API_MAX_BODY_BYTES", default=2 * 1024 * 1024),
    "MAX_JSON_DEPTH": env.int("API_MAX_JSON_DEPTH", default=32),
}
API_KEYS = {
    "LIFETIME_DAYS": env.int("API_KEY_LIFETIME_DAYS", default=365),
    "WARN_DAYS": env.int("API_KEY_EXPIRY_WARNING_DAYS", default=30),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "sddcase API",
    "DESCRIPTION": (
        "Wmo individuele begeleiding: de API voor aanbieders (toewijzingen, start en stop zorg, verzoeken om "
        "wijziging) en referentiegegevens. Authenticatie: `Authorization: Bearer <API-sleutel>`. Elk bericht "
        "heeft een eigen `berichtId`; hetzelfde bericht opnieuw gestuurd krijgt het eerste antwoord terug en "
        "wijzigt niets, een ander bericht met een gebruikt `berichtId` krijgt 409 (`bericht_id_conflict`). "
        "Elke fout heeft een `code` en een Nederlandse `melding`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files (no CDN: works on a closed network).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Audit trail (NEN 7513)
# Which installation wrote an event (exported with every event, for when logs are merged in the SIEM).
SDDCASE_SYSTEM_ID = env("SDDCASE_SYSTEM_ID", default=f"sddcase-{socket.gethostname()}")
# How long audit events are kept (default 5 years); older ones are removed by a nightly task.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=1827)
# The nightly removal deletes in batches of this many events, each in its own transaction.
AUDIT_RETENTION_BATCH = env.int("AUDIT_RETENTION_BATCH", default=5000)
# A read's event outside any transaction (an API or page read) commits without waiting for the WAL
# flush (PostgreSQL's synchronous_commit off, for that one transaction): a read is faster by the
# flush (3-6 ms on a plain disk), and a crash of the database server can lose the read events of
# its last ~0.6 s (never a change's event: those commit with the change). Off by default: the
# functional owner decides (NEN 7513 completeness); docs/operations.md has the figures.
AUDIT_READS_ASYNCHRONOUS_COMMIT = env.bool("AUDIT_READS_ASYNCHRONOUS_COMMIT", default=False)
# Break-the-glass (toegang in noodsituatie): how many hours a granted access to another team's file lasts.
EMERGENCY_ACCESS_HOURS = env.int("EMERGENCY_ACCESS_HOURS", default=4)
# How many years after its closing a client file is proposed for destruction (indications.retention).
# The municipality's archivist sets it from its selectielijst; nothing is destroyed without review.
CLIENT_FILE_RETENTION_YEARS = env.int("CLIENT_FILE_RETENTION_YEARS", default=15)

# Celery: without a broker every task runs eagerly, in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Results are only kept when a broker is configured (the run_daily_jobs --via-broker check reads them).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# --- Queues per kind of work (health20) ---------------------------------------------------------------
# Each kind of work has a queue of its own, so that each scales on its own and a long signal check or
# monitor refresh never holds up a message: one worker per queue (deploy/, `celery -A sddcase worker
# -Q <queue>`). The names can be set apart; every task is routed (tests/test_queues.py).
CELERY_QUEUES_BY_KIND = {
    "default": env("CELERY_QUEUE_DEFAULT", default="celery"),
    "signals": env("CELERY_QUEUE_SIGNALS", default="signals"),
    "monitor": env("CELERY_QUEUE_MONITOR", default="monitor"),
    # iWmo messages out (the outbox's delivery) and in.
    "delivery": env("CELERY_QUEUE_DELIVERY", default="delivery"),
    # The letters' PDF rendering and sending.
    "letters": env("CELERY_QUEUE_LETTERS", default="letters"),
}
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUES_BY_KIND["default"]
CELERY_TASK_ROUTES = {
    "signals.*": {"queue": CELERY_QUEUES_BY_KIND["signals"]},
    "monitor.*": {"queue": CELERY_QUEUES_BY_KIND["monitor"]},
    "iwmo.*": {"queue": CELERY_QUEUES_BY_KIND["delivery"]},
    "letters.*": {"queue": CELERY_QUEUES_BY_KIND["letters"]},
    # The nightly status changes and the audit retention: the default queue, named.
    "indications.*": {"queue": CELERY_QUEUES_BY_KIND["default"]},
    "providers.*": {"queue": CELERY_QUEUES_BY_KIND["default"]},
    "audit.*": {"queue": CELERY_QUEUES_BY_KIND["default"]},
}
# --- end of queues -------------------------------------------------------------------------------------
CELERY_BEAT_SCHEDULE = {
    "activate-beschikkingen-that-started": {
        "task": "indications.activate_started_beschikkingen",
        "schedule": crontab(hour=1, minute=0),
    },
    "end-beschikkingen-that-expired": {
        "task": "indications.end_expired_beschikkingen",
        "schedule": crontab(hour=1, minute=15),
    },
    # After the beschikkingen have ended (and their toewijzingen with them): the toewijzingen whose end
    # date has passed are stored as beëindigd (the pages and figures already derive it from the dates).
    "end-toewijzingen-that-lapsed": {
        "task": "providers.end_lapsed_assignments",
        "schedule": crontab(hour=1, minute=30),
    },
    # The signal checks (one task per check in signals.checks.CHECKS, nightly from 02:00, after the
    # status changes) are added by sddcase/celery.py from the registry: signals.tasks.beat_schedule().
    # After the signal checks: the monitor's figures for the last MONITOR_REFRESH_YEARS years.
    "refresh-monitor": {"task": "monitor.refresh", "schedule": crontab(hour=3, minute=30)},
    # The iWmo outbox: every message is enqueued when its transaction commits; this sweep delivers what
    # was left (a worker that died, a broker that was down, a retry whose time has come).
    "deliver-queued-iwmo-messages": {"task": "iwmo.deliver_queued_messages", "schedule": crontab(minute="*/5")},
    # The audit trail's retention (AUDIT_RETENTION_DAYS): events past it are removed, counts recorded.
    "remove-audit-events-past-retention": {
        "task": "audit.remove_expired_events",
        "schedule": crontab(hour=4, minute=0),
    },
    # Client files closed longer than CLIENT_FILE_RETENTION_YEARS: proposed for destruction (a review
    # step follows; nothing is anonymised by the task itself).
    "propose-closed-client-files-for-destruction": {
        "task": "indications.propose_closed_client_files",
        "schedule": crontab(hour=4, minute=30),
    },
}
# The signal checks' beat (demo, CI): every few seconds instead of nightly; a check still runs once
# per day (see signals.services.run_check), the rest of the ticks skip. 0: nightly.
SIGNAL_BEAT_EVERY_SECONDS = env.int("SIGNAL_BEAT_EVERY_SECONDS", default=0)
MONITOR_REFRESH_YEARS = env.int("MONITOR_REFRESH_YEARS", default=2)
# After those years the nightly task recomputes at most this many older years that are stale (never
# computed, or by a release before monitor.models.CUBE_VERSION): about 200 s a year at 1,000,000
# beschikkingen, so an upgrade is caught up over a few nights within the task's time limit.
MONITOR_CATCH_UP_YEARS = env.int("MONITOR_CATCH_UP_YEARS", default=3)
# The monitor's exports "voor publicatie" (monitor.publication): counts below SECRET_BELOW are shown
# as "geheim", the others rounded to a multiple of ROUND_TO (1: not rounded).
MONITOR_PUBLICATION = {
    "SECRET_BELOW": env.int("MONITOR_PUBLICATION_SECRET_BELOW", default=8),
    "ROUND_TO": env.int("MONITOR_PUBLICATION_ROUND_TO", default=5),
}

# Declaraties (billing/spending.py): the shares of a contract's yearly budget at which its use is
# flagged (80 %: let op, 100 %: bereikt), and when a provider's declaraties stand out: at least
# MIN_LINES prestaties in the year and a rejection rate (or a rate of billing beyond the
# toewijzing) of at least FACTOR times the rate of all providers together.
BILLING = {
    "BUDGET_THRESHOLDS": (80, 100),
    "OUTLIER": {"MIN_LINES": 20, "FACTOR": 2.0},
    # The payment run's SEPA credit transfers (billing.payments) are paid from this account of the
    # municipality (the debtor); the default is a demo account with valid check digits.
    "DEBTOR": {
        "NAME": env.str("BILLING_DEBTOR_NAME", default="Gemeente Demo Sociale Dienst"),
        "IBAN": env.str("BILLING_DEBTOR_IBAN", default="NL91ABNA0417164300"),
        "BIC": env.str("BILLING_DEBTOR_BIC", default="ABNANL2A"),
    },
}

# The signal checks' thresholds (signals/checks.py); days unless said otherwise.
SIGNALS = {
    "EVALUATION_ESCALATE_AFTER_DAYS": env.int("SIGNAL_EVALUATION_ESCALATE_AFTER_DAYS", default=14),
    "EXPIRING_WITHIN_DAYS": env.int("SIGNAL_EXPIRING_WITHIN_DAYS", default=56),
    "DEADLINE_WARN_DAYS": env.int("SIGNAL_DEADLINE_WARN_DAYS", default=7),
    # Maximum run of a product in weeks: IB2 by its product rule, IB0 ("waakvlam") as the SDD sets it.
    "MAX_WEEKS": {
        "IB2": env.int("SIGNAL_IB2_MAX_WEEKS", default=26),
        "IB0": env.int("SIGNAL_IB0_MAX_WEEKS", default=26),
    },
    "START_REPORT_WORKING_DAYS": env.int("SIGNAL_START_REPORT_WORKING_DAYS", default=5),
    "STOP_REPORT_WORKING_DAYS": env.int("SIGNAL_STOP_REPORT_WORKING_DAYS", default=5),
    "SLA_LOOKBACK_DAYS": env.int("SIGNAL_SLA_LOOKBACK_DAYS", default=365),
    "HERAANMELDING_MONTHS": env.int("SIGNAL_HERAANMELDING_MONTHS", default=12),
    # A four-eyes review waiting longer than this many working days is a signal for the team leads;
    # sooner when the beschikking's deadline is within the margin the consultant needs to issue it.
    "REVIEW_WAITING_WORKING_DAYS": env.int("SIGNAL_REVIEW_WAITING_WORKING_DAYS", default=3),
    "REVIEW_DEADLINE_MARGIN_WORKING_DAYS": env.int("SIGNAL_REVIEW_DEADLINE_MARGIN_WORKING_DAYS", default=2),
    # The step at 18 (seed 003): a client with current jeugdhulp whose 18th birthday is this many months
    # away or nearer, and no Wmo melding since the jeugdhulp started nor within the lookback; the signal
    # lapses a grace period after the birthday.
    "YOUTH_18_WITHIN_MONTHS": env.int("SIGNAL_YOUTH_18_WITHIN_MONTHS", default=6),
    "YOUTH_18_GRACE_MONTHS": env.int("SIGNAL_YOUTH_18_GRACE_MONTHS", default=3),
    "YOUTH_MELDING_LOOKBACK_MONTHS": env.int("SIGNAL_YOUTH_MELDING_LOOKBACK_MONTHS", default=12),
    # iWmo (docs/iwmo-parts/deadlines.md): a retour on our message within this many werkdagen (OP090);
    # a start or stop zorg reported within this many werkdagen after the date it reports; a verzoek
    # (om wijziging) answered within this many days (the Wmo's 2 weeks, art. 2.3.5 lid 2).
    "IWMO_RETOUR_WORKING_DAYS": env.int("SIGNAL_IWMO_RETOUR_WORKING_DAYS", default=3),
    "IWMO_REPORT_WORKING_DAYS": env.int("SIGNAL_IWMO_REPORT_WORKING_DAYS", default=5),
    "IWMO_REQUEST_ANSWER_DAYS": env.int("SIGNAL_IWMO_REQUEST_ANSWER_DAYS", default=14),
    # Bezwaar (Awb 7:10): warn this many working days before the decision on a bezwaar is due.
    "BEZWAAR_WARN_WORKING_DAYS": env.int("SIGNAL_BEZWAAR_WARN_WORKING_DAYS", default=5),
}

# Domain settings that the business may change (deadlines in days, see DOMAIN.md).
SDD = {
    "ONDERZOEK_DEADLINE_DAYS": env.int("SDD_ONDERZOEK_DEADLINE_DAYS", default=42),
    "BESCHIKKING_DEADLINE_DAYS": env.int("SDD_BESCHIKKING_DEADLINE_DAYS", default=14),
    # The term within which care starts after the toewijzing (the SLA's; the seeds name no number,
    # so this default is an assumption for contract management to set).
    "CARE_START_TERM_DAYS": env.int("SDD_CARE_START_TERM_DAYS", default=14),
    "NAZORG_AFTER_DAYS": env.int("SDD_NAZORG_AFTER_DAYS", default=42),
    # The provider submits the ondersteuningsplan within this many days after the start of care it
    # reported (and again within as many days after the consultant asked for changes). The seeds name
    # no term; 6 weeks after the start is common practice, an assumption for contract management to set.
    "SUPPORT_PLAN_TERM_DAYS": env.int("SDD_SUPPORT_PLAN_TERM_DAYS", default=42),
    # How far a beschikking's ingangsdatum may lie before the melding (terugwerkende kracht), and only
    # when it directly continues an earlier beschikking or the consultant motivates it.
    "RETROACTIVE_START_MAX_DAYS": env.int("SDD_RETROACTIVE_START_MAX_DAYS", default=91),
    "WORKLIST_ENDING_WITHIN_DAYS": env.int("SDD_WORKLIST_ENDING_WITHIN_DAYS", default=56),
    "WORKLIST_EVALUATION_WITHIN_DAYS": env.int("SDD_WORKLIST_EVALUATION_WITHIN_DAYS", default=14),
    # A zwaar belaste mantelzorger giving at least this many hours a week (SCP's "intensieve
    # mantelzorg": more than 8 hours) counts as at risk of overload, as an overbelaste one does.
    "MANTELZORG_INTENSIVE_HOURS": env.int("SDD_MANTELZORG_INTENSIVE_HOURS", default=8),
    # IB0 has no tariff in the 2016 proposal; this seeds its first tariff row (editable in the admin).
    "IB0_TARIFF": env("SDD_IB0_TARIFF", default="168.83"),
    # IB4 (the step at 18, developed in 2016, seed 003) has no tariff in the seeds either: its first
    # tariff row, valid from 1-1-2017 (editable in the admin), heavier than IB3.
    "IB4_TARIFF": env("SDD_IB4_TARIFF", default="1350.00"),
}

# The iWmo 3.2 message exchange (docs/iwmo.md). Outgoing messages go by HTTP POST to IWMO_OUTBOX_URL
# (the municipality's GGk adapter) or, when that is empty, into the folder IWMO_EXPORT_DIR.
IWMO = {
    "OUTBOX_URL": env("IWMO_OUTBOX_URL", default=""),
    "EXPORT_DIR": env("IWMO_EXPORT_DIR", default=str(BASE_DIR / "var" / "iwmo" / "uit")),
    # A folder with the official iWmo 3.2 XSD set: every message in and out is also validated against it.
    "XSD_DIR": env("IWMO_XSD_DIR", default=""),
    # A larger incoming message is refused unread (a technical rejection, retourcode 0001).
    "MAX_MESSAGE_BYTES": env.int("IWMO_MAX_MESSAGE_BYTES", default=5 * 1024 * 1024),
    # Delivery: attempts before a message is marked failed, and the first retry's delay (doubling).
    "DELIVERY_MAX_ATTEMPTS": env.int("IWMO_DELIVERY_MAX_ATTEMPTS", default=8),
    "DELIVERY_BACKOFF_SECONDS": env.int("IWMO_DELIVERY_BACKOFF_SECONDS", default=60),
    "HTTP_TIMEOUT_SECONDS": env.int("IWMO_HTTP_TIMEOUT_SECONDS", default=30),
    # POST /iwmo/berichten/: calls per API key, and calls without a valid key per client address
    # (over budget: 429 with Retry-After). DRF's rate notation: "<number>/<sec|min|hour|day>".
    "RATE_PER_KEY": env("IWMO_RATE_PER_KEY", default="600/min"),
    "RATE_PER_IP_ANONYMOUS": env("IWMO_RATE_PER_IP_ANONYMOUS", default="60/min"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint (the letters' PDFs) reports every step at INFO: only its warnings are of use.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
AXES_VERBOSE = False

# --- Production security (harden19): cookies, HTTPS, headers, CSP, reverse proxy ---------------------
# `manage.py check --deploy --fail-level WARNING` passes in production mode (CI runs it). Every value
# can be set apart; the defaults follow PRODUCTION, so `make run` keeps working over plain http.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the CSRF cookie: the forms carry the token
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
# HTTPS: redirect http to https (behind a TLS-terminating proxy that sets SECURE_PROXY_SSL_HEADER the
# redirect only applies to requests the proxy received over http), and HSTS for a year in production.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# The load balancer's health checks and the Prometheus scrape may come over plain http, inside.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy: the addresses (or CIDR networks) of the proxies whose X-Forwarded-For is
# believed (audit/network.py); empty: none, REMOTE_ADDR is the client. The header by which the proxy says
# the request came over https, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https (only when set: a
# client could send it itself where no proxy overwrites it). CSRF_TRUSTED_ORIGINS: e.g. https://wmo.example.nl.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is a header and its value: X-Forwarded-Proto,https")
    _header = "HTTP_" + _proxy_ssl_header[0].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_header, _proxy_ssl_header[1].strip())
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files, no inline
# script, no inline style (the templates have none), no framing, forms only to ourselves. The admin's
# change list has one small <style> that the browser then ignores (a column width).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The nonce only for the letter template page's preview: the letter's own <style> in its iframe.
        "style-src": ["'self'", CSP_NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- end of production security ------------------------------------------------------------------------

# --- Health and metrics (health20; sddcase/health.py, sddcase/metrics.py) ----------------------------
# /health/ready answers 503 when the replica (DATABASES["replica"], when configured) lags more than this.
HEALTH_REPLICA_MAX_LAG_SECONDS = env.float("HEALTH_REPLICA_MAX_LAG_SECONDS", default=30.0)
# The broker's ping in /health/ready waits at most this long.
HEALTH_BROKER_TIMEOUT_SECONDS = env.float("HEALTH_BROKER_TIMEOUT_SECONDS", default=2.0)
# /metrics (Prometheus) is not public: a scrape sends `Authorization: Bearer <METRICS_TOKEN>`, or comes
# from one of METRICS_ALLOWED_NETWORKS (addresses or CIDR networks of REMOTE_ADDR). Neither set: 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
# Several gunicorn workers: prometheus_client's multiprocess mode writes the metrics of every process
# into PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at each start: deploy/gunicorn.conf.py).
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", default="")
# --- end of health and metrics -------------------------------------------------------------------------
