"""The project's own health: system checks, migrations in step with models, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-" + "y" * 30,
        "ALLOWED_HOSTS": "eservices.example.ir",
        "SECURE_SSL_REDIRECT": "1",
        "STATIC_MANIFEST": "1",
        "SECURE_HSTS_PRELOAD": "1",
        # Real outside services with their keys: the sandbox bank and the outbox-only SMS
        # backend are warned about in production (ops/system_checks.py).
        "PAYMENT_GATEWAY": "integrations.payments.zarinpal.gateway.ZarinpalGateway",
        "ZARINPAL_MERCHANT_ID": "a" * 36,
        "SMS_BACKEND": "integrations.sms.backends.kavenegar.backend.KavenegarBackend",
        "KAVENEGAR_API_KEY": "key",
        "KAVENEGAR_SENDER": "10004346",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
