"""Settings for the municipal e-services case service.

One module; every deploy-time value comes from the environment (django-environ).
The defaults make `make run` work alone on a fresh machine: SQLite, in-process
Celery tasks, the SMS outbox and the sandbox bank. Production sets DEBUG=False
and the variables named in README's operations section.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key only works with DEBUG on; check --deploy refuses it otherwise.
SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "workflows.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
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
                "cases.context_processors.portal",
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
    # WAL lets the dev server read while a background write is in flight.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
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
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"]
)

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
PDF_RENDERER = env.str("PDF_RENDERER", default="integrations.pdf.weasy.WeasyPrintRenderer")
CERTIFICATE_VALIDITY_DAYS = env.int("CERTIFICATE_VALIDITY_DAYS", default=90)
# The public address used in SMS links and certificate QR codes.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Drafts never registered are purged with their process after this many days.
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=14)

# Security: production values unless DEBUG; check --deploy runs clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
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

# Each area below is owned by one piece of work; add to INSTALLED_APPS / MIDDLEWARE from
# inside the block (INSTALLED_APPS += [...], MIDDLEWARE.insert(...)) so edits never clash.
# --- sms (issue 5) ---
# --- end sms ---
# --- payments (issue 6) ---
# --- end payments ---
# --- documents, storage, certificates, verification API (issue 7) ---
# --- end documents ---
# --- staff workspace (issue 8) ---
# --- end staff ---
# --- deployment and observability (issue 9) ---
# --- end deployment ---
# --- identity and hardening (issue 9) ---
# --- end identity ---
# --- citizen experience (issue 11) ---
# --- end citizen experience ---
