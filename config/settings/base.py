"""The core: the environment, the site's address and hosts, apps, middleware, templates,
language and time, static files.

Every deploy-time value in this package comes from the environment through `env`
(django-environ), after `.env` at the repository root is read (a variable already set
wins). The defaults make `make run` work alone on a fresh machine.

Environment: DEBUG, SECRET_KEY, SITE_URL, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, STATIC_ROOT,
STATIC_MANIFEST.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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
    "cases.phone_codes",
    "cases.appointments",
    "cases.payments",
    "cases.certificates",
    "cases.incidents",
    "integrations.sms",
    "workflows",
    "flows",
    "web",
    # generate_city and measure_staff_pages: made-up data and measurements, never in production.
    *(["bench.devtools"] if DEBUG else []),
    # The sandbox bank's ledger (what the pretend PSP knows); harmless with a real gateway.
    "integrations.payments.sandbox",
    "staff",
    "django_prometheus",
    "django_guid",
    "ops",
    # Content-Security-Policy (security.py).
    "csp",
]

# Every middleware, in the order a request meets them (the response goes back up).
MIDDLEWARE = [
    # Probes answer before the host check and the HTTPS redirect (ops/middleware.py).
    "ops.middleware.ProbeMiddleware",
    # Request metrics for /metrics (django-prometheus' families, the ones operators read):
    # first, so it times the whole stack and counts every response, axes' lockout included.
    "ops.request_metrics.RequestMetricsMiddleware",
    # A request id for every log line of the request (django-guid's, settings read once).
    "ops.request_id.RequestIdMiddleware",
    # HTTPS redirect, HSTS, nosniff, referrer policy.
    "django.middleware.security.SecurityMiddleware",
    # Static files, hashed and precompressed, before anything reads a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that ask (a wizard page ~30 KB → a few KB on a slow
    # phone line), at zlib's level 2 where Django's takes 6 (web/compression.py); the gzip
    # header padded at random and the CSRF token masked per response (BREACH
    # mitigations). Static files come precompressed from WhiteNoise above.
    "web.compression.PageGZipMiddleware",
    # The signed-in person, the wizard's progress and the idle clock live in the session.
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Persian unless the visitor chose another language (not the browser's).
    "web.locale.PersianFirstLocaleMiddleware",
    # Content-Security-Policy (django-csp), then the headers it does not set.
    "web.security_headers.SiteWideCSPMiddleware",
    "web.security_headers.SecurityHeadersMiddleware",
    # The host check (ALLOWED_HOSTS), the trailing-slash redirect and Content-Length.
    "django.middleware.common.CommonMiddleware",
    # Every form posts; the token check is in the middleware, not on each view.
    "django.middleware.csrf.CsrfViewMiddleware",
    # request.user, lazily: a request that never asks reads no user.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's messages, the storage made only when a message is added or shown.
    "web.lazy_messages.LazyMessageMiddleware",
    # After the user and messages: logs an idle session out with a message on the login page.
    "web.session_timeout.IdleTimeoutMiddleware",
    # Rate limits by URL name (settings.RATE_LIMITS), after the user is known.
    "web.ratelimits.RateLimitMiddleware",
    # X-Frame-Options: DENY unless a view allows framing (the certificate PDF in its page);
    # SecurityHeadersMiddleware above reads it for CSP's frame-ancestors.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last of ours, as django-axes requires: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
    # Puts the flow's viewset on request.resolver_match, which viewflow's task views read
    # for their next address. Its sibling HotwireTurboMiddleware (422/303 for Turbo's
    # form posts) is left out: no page loads Turbo, so it would only cost every request.
    "viewflow.middleware.SiteMiddleware",
]
# viewflow's app would otherwise append its two middleware at start-up when missing.
VIEWFLOW = {"AUTOREGISTER": False}
# Each service's flow versions, oldest first (workflows/flow_versions.py): a case stays on the version
# it started on, new cases start on the newest. A version is removed from its list (retired)
# only when `manage.py check --database` finds no open case on it
# (docs/developers/changing-a-procedure.md).
FLOW_VERSIONS = {
    "transfer": ["flows.transfer_flow.TransferFlow"],
    "inquiry": ["flows.inquiry_flow.InquiryFlow"],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "web.context_processors.portal",
]
TEMPLATES = [
    # The site's pages, texts and documents: jinja2/ and each app's jinja2/ (config/jinja_env.py
    # says why Jinja2 and what the templates have).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja_env.environment",
            "context_processors": [*_CONTEXT_PROCESSORS, "config.jinja_env.csrf"],
        },
    },
    # Django's own engine for the pages Django and its apps bring (the admin, the
    # maintenance page in ops/templates).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# Form widgets through Django's Jinja2 copies of its templates, others (the admin's) as
# before: the same markup, a widget at a fraction of the cost (web/form_renderer.py).
FORM_RENDERER = "web.form_renderer.JinjaFirstRenderer"

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tehran"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The few files pages use from npm packages (bpmn-js's viewer): web/vendor_static.py.
    "web.vendor_static.VendorFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Hashed, precompressed names (STORAGES in storage.py) need `collectstatic`; DEBUG and
# tests serve the sources, found where they lie.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
