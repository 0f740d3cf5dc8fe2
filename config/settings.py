"""Settings for the municipal e-services case service.

One module; every deploy-time value comes from the environment (django-environ).
The defaults make `make run` work alone on a fresh machine: SQLite, in-process
Celery tasks, the SMS outbox and the sandbox bank. Production sets DEBUG=False
and the variables named in README's operations section.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key only works with DEBUG on; check --deploy refuses it otherwise.
SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
# The public address used in SMS links and certificate QR codes. `make run
# SITE_URL=http://<this machine's LAN address>:8000 HOST=0.0.0.0` lets a phone on the same
# network open them; with DEBUG on that address's host is allowed too.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
_SITE_HOST = urlsplit(SITE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=sorted({"127.0.0.1", "localhost", _SITE_HOST}) if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "axes",
    "solo",
    "cases.accounts",
    "cases",
    "cases.documents",
    "cases.verification",
    "cases.appointments",
    "cases.payments",
    "cases.certificates",
    "integrations.sms",
    "workflows",
    "flows",
    "web",
]
if DEBUG:
    # generate_city and measure_staff_pages: made-up data and measurements, never in production.
    INSTALLED_APPS += ["bench.devtools"]

# Every middleware, in the order a request meets them (the response goes back up).
MIDDLEWARE = [
    # Probes answer before the host check and the HTTPS redirect (ops/middleware.py).
    "ops.middleware.ProbeMiddleware",
    # Starts the request timer for /metrics.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id for every log line of the request.
    "django_guid.middleware.guid_middleware",
    # HTTPS redirect, HSTS, nosniff, referrer policy.
    "django.middleware.security.SecurityMiddleware",
    # Static files, hashed and precompressed, before anything reads a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that ask (a wizard page ~30 KB → a few KB on a slow
    # phone line); Django's GZip pads each response and the CSRF token is masked per
    # response (BREACH mitigations). Static files come precompressed from WhiteNoise above.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Persian unless the visitor chose another language (not the browser's).
    "web.locale.PersianFirstLocaleMiddleware",
    # Content-Security-Policy (django-csp), then the headers it does not set.
    "csp.middleware.CSPMiddleware",
    "web.security_headers.SecurityHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages: logs an idle session out with a message on the login page.
    "web.session_timeout.IdleTimeoutMiddleware",
    # Rate limits by URL name (settings.RATE_LIMITS), after the user is known.
    "web.ratelimits.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Counts the response for /metrics, so it sees axes' lockout page too.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last of ours, as django-axes requires: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
    # viewflow's app appends these two at start-up when they are missing: named here so
    # this list is the whole of it.
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "web.context_processors.portal",
            ],
            "builtins": ["cases.templatetags.persian"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the dev server read while a background write is in flight. A deferred
    # transaction that reads and then writes cannot wait for the writer ahead of it (SQLite
    # answers "database is locked" at once), so every transaction takes the write lock at
    # BEGIN (IMMEDIATE) and waits up to `timeout` seconds for it: runserver's threads queue
    # behind one another instead of answering 500. select_for_update locks nothing here;
    # IMMEDIATE is what serialises the payment paths on SQLite.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT_SECONDS", default=20),
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:services"
LOGOUT_REDIRECT_URL = "portal:home"

# Login lockout (django-axes): by username and by client address separately, so one
# attacker cannot lock a citizen out from everywhere without also being locked out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
# The client's address as every per-address limit sees it (TRUSTED_PROXY_COUNT, below).
AXES_CLIENT_IP_CALLABLE = "ops.client_address.client_address"

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tehran"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; DEBUG and tests serve sources.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Celery: without a broker URL, tasks run in-process so one command serves the site.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "appointments-expire-holds": {"task": "appointments.expire_holds", "schedule": 60.0},
    "cases-visit-reminders": {"task": "cases.send_visit_reminders", "schedule": 30 * 60.0},
    "cases-purge-drafts": {"task": "cases.purge_drafts", "schedule": 6 * 60 * 60.0},
    "workflows-sweep-automatic-steps": {
        "task": "workflows.sweep_automatic_steps",
        "schedule": 5 * 60.0,
    },
}

# The property registry backend (integrations/registry): the database-backed default.
PROPERTY_REGISTRY_BACKEND = env.str(
    "PROPERTY_REGISTRY_BACKEND", default="cases.registry.DatabaseRegistry"
)
# Outside services, each chosen by a dotted path (see integrations/*/registry.py).
SMS_BACKEND = env.str("SMS_BACKEND", default="integrations.sms.backends.outbox.OutboxOnlyBackend")
PAYMENT_GATEWAY = env.str(
    "PAYMENT_GATEWAY", default="integrations.payments.sandbox.gateway.SandboxGateway"
)
# Documents and certificates are private: never under MEDIA_URL, served by signed links.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private")
SIGNED_LINK_MAX_AGE = env.int("SIGNED_LINK_MAX_AGE", default=300)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Phone verification (DESIGN.md): codes expire, tries and sends are limited.
PHONE_CODE_TTL_SECONDS = env.int("PHONE_CODE_TTL_SECONDS", default=120)
PHONE_CODE_MAX_ATTEMPTS = env.int("PHONE_CODE_MAX_ATTEMPTS", default=5)
PHONE_CODE_RESEND_SECONDS = env.int("PHONE_CODE_RESEND_SECONDS", default=60)
PHONE_CODE_SENDS_PER_PHONE_PER_HOUR = env.int("PHONE_CODE_SENDS_PER_PHONE_PER_HOUR", default=5)
PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR = env.int("PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR", default=20)
# A slot is held from the verified code until تایید و ثبت, at most this long.
SLOT_HOLD_MINUTES = env.int("SLOT_HOLD_MINUTES", default=15)
# Payments left unfinished expire after this many minutes.
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=30)
# Another citizen's attempt this young is "at the bank": a new payment of the same debt
# waits for it instead of replacing it (cases/payments/at_bank.py; capped at the expiry).
PAYMENT_AT_BANK_MINUTES = env.int("PAYMENT_AT_BANK_MINUTES", default=15)
PDF_RENDERER = env.str("PDF_RENDERER", default="integrations.pdf.weasy.WeasyPrintRenderer")
CERTIFICATE_VALIDITY_DAYS = env.int("CERTIFICATE_VALIDITY_DAYS", default=90)

# Drafts never registered are purged with their process after this many days.
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=14)

# Security: production values unless DEBUG; check --deploy runs clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preload is the owner's promise for the whole registrable domain and every subdomain
# (hstspreload.org), which the city's IT decides, not this service: off by default, and
# check --deploy's reminder of it (security.W021) silenced. docs/deployment.md says how.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts are WARNING.
    "loggers": {
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# One block per concern below; a block may add its apps to INSTALLED_APPS. MIDDLEWARE is
# the one list above.
# --- sms ---
# The outbox: tries per message, backoff (base·2^n plus jitter, capped), and when the
# sweep takes a message for lost. SENDING_TIMEOUT must exceed the provider timeout.
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
SMS_RETRY_BASE_SECONDS = env.float("SMS_RETRY_BASE_SECONDS", default=2.0)
SMS_RETRY_MAX_SECONDS = env.float("SMS_RETRY_MAX_SECONDS", default=600.0)
SMS_STUCK_AFTER_SECONDS = env.int("SMS_STUCK_AFTER_SECONDS", default=120)
SMS_SENDING_TIMEOUT_SECONDS = env.int("SMS_SENDING_TIMEOUT_SECONDS", default=300)
SMS_SWEEP_BATCH = env.int("SMS_SWEEP_BATCH", default=500)
SMS_PROVIDER_TIMEOUT_SECONDS = env.float("SMS_PROVIDER_TIMEOUT_SECONDS", default=15.0)
SMS_MAX_SEGMENTS = env.int("SMS_MAX_SEGMENTS", default=3)  # UCS-2: 67 characters a part
# Twilio (SMS_BACKEND=integrations.sms.backends.twilio.TwilioBackend): a sender number
# or a messaging service. TWILIO_API_BASE_URL only for a stand-in of Twilio's API.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
# Kavenegar (SMS_BACKEND=integrations.sms.backends.kavenegar.KavenegarBackend).
KAVENEGAR_API_KEY = env.str("KAVENEGAR_API_KEY", default="")
KAVENEGAR_SENDER = env.str("KAVENEGAR_SENDER", default="")
KAVENEGAR_API_BASE_URL = env.str("KAVENEGAR_API_BASE_URL", default="https://api.kavenegar.com")
# A broker that is down must not hold a citizen's request: a few quick tries, then the
# message waits queued for the sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE.update({
    "sms-sweep-outbox": {"task": "sms.sweep_outbox", "schedule": 60.0},
    "workflows-fire-due-timers": {"task": "workflows.fire_due_timers", "schedule": 60.0},
})
# The twilio client narrates every request and its headers at INFO.
LOGGING["loggers"]["twilio.http_client"] = {"level": "WARNING"}
# --- end sms ---
# --- payments ---
# The sandbox bank's ledger (what the pretend PSP knows); harmless with a real gateway.
INSTALLED_APPS += ["integrations.payments.sandbox"]
# Reconciliation asks the provider about payments still at the bank after this long
# (keep it below PAYMENT_EXPIRY_MINUTES), and about returned-unverified ones at once.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=10)
PAYMENT_RECONCILE_EVERY_SECONDS = env.int("PAYMENT_RECONCILE_EVERY_SECONDS", default=120)
CELERY_BEAT_SCHEDULE.update(
    {
        "payments-reconcile": {
            "task": "payments.reconcile",
            "schedule": float(PAYMENT_RECONCILE_EVERY_SECONDS),
        }
    }
)
# The sandbox bank's "delayed callback" sends its notice after this many seconds.
PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS = env.int("PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS", default=20)
# Zarinpal (PAYMENT_GATEWAY=integrations.payments.zarinpal.gateway.ZarinpalGateway).
ZARINPAL_MERCHANT_ID = env.str("ZARINPAL_MERCHANT_ID", default="")
ZARINPAL_BASE_URL = env.str("ZARINPAL_BASE_URL", default="https://payment.zarinpal.com")
ZARINPAL_TIMEOUT_SECONDS = env.float("ZARINPAL_TIMEOUT_SECONDS", default=10.0)
# --- end payments ---
# --- documents, storage, certificates, verification API ---
# Private storage: "filesystem" (PRIVATE_STORAGE_ROOT) or "s3" (django-storages; objects
# private, read only through presigned URLs of AWS_QUERYSTRING_EXPIRE seconds).
PRIVATE_STORAGE = env.str("PRIVATE_STORAGE", default="filesystem")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
# Without keys boto3 looks for its own (instance role, ~/.aws): never a default here.
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)
AWS_DEFAULT_ACL = None  # django-storages' own default; PrivateS3Storage writes "private"
# Documents open through a presigned URL of the store itself; turn off where browsers
# cannot reach the store (e.g. MinIO on an internal network): the app streams them then.
PRIVATE_STORAGE_DIRECT_LINKS = env.bool("PRIVATE_STORAGE_DIRECT_LINKS", default=True)
if PRIVATE_STORAGE == "s3":
    if not AWS_STORAGE_BUCKET_NAME:
        raise environ.ImproperlyConfigured("PRIVATE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    STORAGES["private"] = {"BACKEND": "integrations.storage.s3.PrivateS3Storage"}
elif PRIVATE_STORAGE != "filesystem":
    raise environ.ImproperlyConfigured("PRIVATE_STORAGE must be 'filesystem' or 's3'")
# The virus scanner (ClamAV's clamd) every upload passes when configured; unreachable
# then means refused (fails closed). A socket path, or host and port.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=15.0)
# Public verification (page and API): look-ups per client address per window.
VERIFY_LOOKUPS_PER_WINDOW = env.int("VERIFY_LOOKUPS_PER_WINDOW", default=20)
VERIFY_WINDOW_SECONDS = env.int("VERIFY_WINDOW_SECONDS", default=600)
# --- end documents ---
# --- staff workspace ---
INSTALLED_APPS += ["staff"]
# Rows per page of the staff lists (pages are counted by "has next", never COUNT(*)).
STAFF_PAGE_SIZE = env.int("STAFF_PAGE_SIZE", default=25)
# How often the waiting-time summary behind the dashboards is brought up to date.
STAFF_SUMMARY_REFRESH_SECONDS = env.int("STAFF_SUMMARY_REFRESH_SECONDS", default=10 * 60)
CELERY_BEAT_SCHEDULE.update({
    "staff-refresh-summary": {
        "task": "staff.refresh_summary",
        "schedule": float(STAFF_SUMMARY_REFRESH_SECONDS),
    },
})
# --- end staff ---
# --- deployment and observability ---
INSTALLED_APPS += ["django_prometheus", "django_guid", "ops"]
PROMETHEUS_EXPORT_MIGRATIONS = False  # it would query the database at every start
# /metrics: a bearer token, or a direct request from these addresses/networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list(
    "METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"] if DEBUG else []
)
# A Celery worker serves its task counters on this port (0: off); never publish it.
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)
METRICS_WORKER_ADDRESS = env.str("METRICS_WORKER_ADDRESS", default="127.0.0.1")
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=3.0)
# How many proxies stand between the internet and this process, each appending to
# TRUSTED_PROXY_HEADER the address it was connected from (ops/client_address.py). 0: no
# proxy, REMOTE_ADDR is the client and a forwarded header is ignored (it could be forged).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")
# Redis broker: a task taken by a worker that died (SIGKILL, lost host) is handed out
# again after this long (acks_late). It must exceed the longest retry countdown.
# kombu looks for such tasks every unacked_restore_interval x unacked_restore_throttle
# seconds (100 s by its defaults); scan a fifth of the timeout apart, at most a minute.
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": max(1, min(60, _visibility_timeout // 5)),
    "unacked_restore_throttle": 1,
}

# The request id: taken from X-Request-ID (the proxy's) when it is a valid UUID, else
# made; returned on the response, put on every log line, and carried into Celery tasks.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "INTEGRATIONS": [],
}
if CELERY_BROKER_URL:
    # Only with a real broker: run in-process, a task already sees the request's id, and
    # the integration's own id would replace it for the rest of the request.
    from django_guid.integrations import CeleryIntegration

    DJANGO_GUID["INTEGRATIONS"] = [CeleryIntegration(use_django_logging=True)]

# Structured logs: one JSON object a line on stderr (LOG_FORMAT=plain for reading by eye).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING["filters"] = {
    "request_id": {
        "()": "django_guid.log_filters.CorrelationId",
        "correlation_id_field": "request_id",
    }
}
LOGGING["formatters"] = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
    "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
}
LOGGING["handlers"]["console"].update({"formatter": LOG_FORMAT, "filters": ["request_id"]})
# django-guid narrates every request and task at INFO.
LOGGING["loggers"]["django_guid"] = {"level": "WARNING"}
# --- end deployment ---
# --- identity and hardening ---
# A shared cache: rate-limit counters must be seen by every web process, so production
# sets REDIS_URL (or CACHE_URL); without it each process counts alone (LocMem).
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _CACHE_URL, "KEY_PREFIX": "eservices"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# The same client address as django-axes and the verification look-ups (ops/client_address).
RATELIMIT_IP_META_KEY = "ops.client_address.client_address"
# URL name (namespace:name, "[action]" = the POST's action button) → (key, rate, methods).
RATE_LIMITS = {
    "accounts:login": ("ip", env.str("RATE_LOGIN", default="20/m"), "POST"),
    # The admin's own login page: staff passwords, the same allowance as citizens'.
    "admin:login": ("ip", env.str("RATE_LOGIN", default="20/m"), "POST"),
    "accounts:register": ("ip", env.str("RATE_REGISTER", default="20/h"), "POST"),
    "transfer:appointment:execute[send_code]": (
        "ip", env.str("RATE_CODE_SEND", default="10/m"), "POST"),
    "transfer:appointment:execute[check_code]": (
        "ip", env.str("RATE_CODE_CHECK", default="20/m"), "POST"),
    "verify:page": ("ip", env.str("RATE_VERIFY", default="60/m"), None),
    "payments:start": ("user_or_ip", env.str("RATE_PAYMENT_START", default="10/m"), "POST"),
    "oidc_authentication_init": ("ip", env.str("RATE_OIDC", default="30/m"), None),
}
for _name in env.list("RATE_LIMITED_SEARCH_URLS", default=["staff:search"]):
    RATE_LIMITS[_name] = ("user_or_ip", env.str("RATE_SEARCH", default="60/m"), None)
for _name in env.list("RATE_LIMITED_VERIFY_API_URLS", default=["verify_api:verify_document"]):
    RATE_LIMITS[_name] = ("ip", env.str("RATE_VERIFY", default="60/m"), None)

# Idle session timeout, by role: staff sessions are shorter. The warning comes this many
# seconds before the end; an expired session's next request says so on the login page.
SESSION_IDLE_SECONDS_CITIZEN = env.int("SESSION_IDLE_SECONDS_CITIZEN", default=30 * 60)
SESSION_IDLE_SECONDS_STAFF = env.int("SESSION_IDLE_SECONDS_STAFF", default=15 * 60)
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_SECONDS", default=120)
SESSION_EXPIRED_NOTICE_SECONDS = env.int("SESSION_EXPIRED_NOTICE_SECONDS", default=60 * 60)

# OpenID Connect login (mozilla-django-oidc) for the city's identity service; off unless set.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
AUTHENTICATION_BACKENDS += ["cases.accounts.oidc.CityOIDCBackend"]
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile email")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_NATIONAL_ID_CLAIM = env.str("OIDC_NATIONAL_ID_CLAIM", default="national_id")
# Staff are matched (never created) by this claim against User.username; "" turns it off.
OIDC_STAFF_USERNAME_CLAIM = env.str("OIDC_STAFF_USERNAME_CLAIM", default="preferred_username")
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# Data retention (cases/retention.py, `manage.py apply_retention`, daily via beat).
RETENTION_CLOSED_CASE_DOCUMENTS_DAYS = env.int("RETENTION_CLOSED_CASE_DOCUMENTS_DAYS",
                                               default=365)
RETENTION_SMS_BODY_DAYS = env.int("RETENTION_SMS_BODY_DAYS", default=30)
# Messages carrying a one-time code lose their body as soon as they are final and this old.
RETENTION_SMS_CODE_BODY_HOURS = env.int("RETENTION_SMS_CODE_BODY_HOURS", default=1)
RETENTION_SMS_CODE_KINDS = env.list("RETENTION_SMS_CODE_KINDS", default=["verification_code"])
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "cases.retention"]
CELERY_BEAT_SCHEDULE.update(
    {"cases-apply-retention": {"task": "cases.apply_retention", "schedule": 24 * 60 * 60.0}}
)
# --- end identity ---
# --- citizen experience ---
# Content-Security-Policy (django-csp 4): no inline script or style anywhere, so every
# script and stylesheet is a static file of our own; nothing is loaded from elsewhere.
INSTALLED_APPS += ["csp"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"] + env.list("CSP_FORM_ACTION_EXTRA", default=[]),
    }
}
# Hashed, precompressed static files (WhiteNoise), tolerant of viewflow's broken CSS refs.
if STATIC_MANIFEST:
    STORAGES["staticfiles"]["BACKEND"] = "web.static_storage.StaticStorage"
# --- end citizen experience ---
# --- perf ---
# django-solo keeps the singleton settings (PortalSettings: the support phone on every
# page) in the default cache instead of reading them per page; saving them refreshes it.
# Wiring, not deployment configuration (as RATELIMIT_USE_CACHE): the alias is the shared
# cache of the identity block; 5 minutes bounds how stale another process can be on LocMem.
SOLO_CACHE = "default"
SOLO_CACHE_TIMEOUT = 300
# --- end perf ---
