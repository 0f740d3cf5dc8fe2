"""`manage.py check --deploy` is clean with what an operator gets — .env.example, its
REQUIRED values filled in, and docker-compose.yml's own environment — and the security
settings are what docs/operators/deploy.md promises. Nothing here sets a value of its own
but the location of a scratch folder: a warning .env.example would cause must show up here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.envfile import env_example, operator_environment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict[str, str]:
    env = operator_environment("web")
    # Compose's tmpfs; here a folder of this run's own (the minimum to run on this machine).
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path_factory.mktemp("metrics"))
    return env


def run(production: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment may stand in for .env.example's values.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**env, **production},
                          capture_output=True, text=True, timeout=120)


def test_the_environment_is_env_example_with_compose_on_top(production):
    example = env_example()
    assert production["DEBUG"] == example["DEBUG"] == "0"
    assert production["SECURE_HSTS_PRELOAD"] == example["SECURE_HSTS_PRELOAD"]
    assert production["PAYMENT_GATEWAY"] == example["PAYMENT_GATEWAY"]
    assert production["DATABASE_URL"].startswith("postgres://eservices:operator-")
    assert production["CELERY_BROKER_URL"] == "redis://redis:6379/0"


def test_check_deploy_is_clean_with_the_compose_environment(production):
    result = run(production, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_settings(production):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE','CSRF_COOKIE_SECURE',"
        "'CSRF_COOKIE_HTTPONLY','SECURE_PROXY_SSL_HEADER','SECURE_SSL_REDIRECT',"
        "'CELERY_TASK_ALWAYS_EAGER','CELERY_TASK_ACKS_LATE','LOG_FORMAT',"
        "'SECURE_HSTS_PRELOAD','SILENCED_SYSTEM_CHECKS','TRUSTED_PROXY_COUNT']}))"
    )
    result = run(production, "-c",
                 "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'\n" + script)
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
    # Preload is the city's decision (docs/operators/deploy.md): off, only its reminder silenced.
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert values["TRUSTED_PROXY_COUNT"] == 2  # the HTTPS proxy and compose's proxy


def test_preload_on_needs_no_silencing(production):
    script = ("import os, django; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
              "django.setup(); from django.conf import settings as s;"
              "print(s.SECURE_HSTS_PRELOAD, s.SILENCED_SYSTEM_CHECKS)")
    result = run({**production, "SECURE_HSTS_PRELOAD": "1"}, "-c", script)
    assert result.stdout.split()[-2:] == ["True", "[]"], result.stderr
