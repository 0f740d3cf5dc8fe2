"""The site's own settings, on the bench database, with a URLconf that adds a baseline view.

The environment is filled in before config.settings reads it: production-like (DEBUG
off) but served over plain HTTP on 127.0.0.1, and with the per-address limits lifted,
since every simulated citizen comes from the same address.
"""

import os

_DEFAULTS = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
    "PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR": "1000000",
    "PHONE_CODE_SENDS_PER_PHONE_PER_HOUR": "1000",
    # Two simulated citizens can lose an hour to each other; the loser picks the next free
    # hour and asks for a new code at once instead of waiting a minute.
    "PHONE_CODE_RESEND_SECONDS": "0",
    # Load from one address would measure the rate limiter's 429 page, not the page.
    "RATELIMIT_ENABLE": "0",
}
for _name, _value in _DEFAULTS.items():
    os.environ.setdefault(_name, _value)
# The in-process defaults: automatic steps run eagerly (no worker to wait for), the SMS
# code is read from the outbox and the sandbox bank answers the payment. The soak
# (bench/soak.py) alone names a broker, since it measures the worker too.
os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "")
for _name in ("SMS_BACKEND", "PAYMENT_GATEWAY", "PROPERTY_REGISTRY_BACKEND", "PDF_RENDERER"):
    os.environ.pop(_name, None)
if "BENCH_DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]


# The production arrangement when a Redis answers on this machine, as a new user's
# `make bench` finds it: sessions and the signed-in person read from Redis
# (config/settings/database.py). Without one the report says sessions were in PostgreSQL.
if not os.environ.get("REDIS_URL") and not os.environ.get("CACHE_URL"):
    from tests.support.services import REDIS_HOST, REDIS_PORT, redis_reachable

    if redis_reachable():
        os.environ["REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/5"
# Each run's keys apart (its gunicorn inherits the prefix): every run starts on a new
# database whose ids repeat, so a copy kept by an earlier run must never be read.
os.environ.setdefault("BENCH_CACHE_PREFIX", f"bench-{os.getpid()}")
# DEBUG is off, so no development key is made for us: the bench signs with the same kind
# of throwaway key (var/signing, git-ignored), unless a key is configured.
if not os.environ.get("SIGNING_PKCS12_PATH") and not os.environ.get("PDF_SIGNING_BACKEND"):
    from pathlib import Path

    from integrations.signing.devpki import DEV_PASSWORD, ensure_dev_key

    _dev_dir = Path(__file__).resolve().parent.parent / "var" / "signing"
    os.environ["SIGNING_PKCS12_PATH"] = str(ensure_dev_key(_dev_dir))
    os.environ["SIGNING_PKCS12_PASSWORD"] = DEV_PASSWORD.decode()

from config.settings import *  # noqa: E402,F403

if CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
INSTALLED_APPS = [*(app for app in INSTALLED_APPS if app != "bench.devtools"),  # noqa: F405
                  "bench", "bench.devtools"]
# Sessions for the load generator are made with force_login; no password is hashed.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
