"""`manage.py check --deploy` is clean with the variables docker-compose.yml gives, and
the security settings are what the README promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "q" * 20 + "-compose-like-secret-" + "z" * 30,
    "ALLOWED_HOSTS": "eservices.example.ir",
    "CSRF_TRUSTED_ORIGINS": "https://eservices.example.ir",
    "SECURE_SSL_REDIRECT": "1",
    "STATIC_MANIFEST": "1",
    "SECURE_HSTS_PRELOAD": "1",
    # What docker-compose.yml sets for its services.
    "DATABASE_URL": "postgres://eservices:secret@postgres:5432/eservices",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "REDIS_URL": "redis://redis:6379/1",
    "PRIVATE_STORAGE": "s3",
    "AWS_S3_ENDPOINT_URL": "http://minio:9000",
    "AWS_STORAGE_BUCKET_NAME": "eservices-private",
    "AWS_ACCESS_KEY_ID": "app",
    "AWS_SECRET_ACCESS_KEY": "app-secret",
    "METRICS_TOKEN": "t" * 40,
}


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**env, **PRODUCTION},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_compose_environment():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_settings():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE','CSRF_COOKIE_SECURE',"
        "'CSRF_COOKIE_HTTPONLY','SECURE_PROXY_SSL_HEADER','SECURE_SSL_REDIRECT',"
        "'CELERY_TASK_ALWAYS_EAGER','CELERY_TASK_ACKS_LATE','LOG_FORMAT']}))"
    )
    result = run("-c", "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'\n"
                 + script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    # A real broker: tasks go to the worker, acknowledged only once done.
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False and values["CELERY_TASK_ACKS_LATE"]
    assert values["LOG_FORMAT"] == "json"
