import pytest
from django.db import connection

from tests.support.services import require_service

# The payment fixtures: the payment, staff and payment-provider tests all use them.
pytest_plugins = ["tests.support.payment_fixtures"]


@pytest.fixture
def postgres():
    """For tests whose point is PostgreSQL's behaviour (locks, triggers, concurrency)."""
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        f"the test database is {connection.vendor}; set DATABASE_URL=postgres://…",
    )


@pytest.fixture
def demo(db):
    from cases.demo.seed import seed

    seed()


@pytest.fixture(autouse=True)
def _fresh_registry_cache():
    from integrations.backends import load

    load.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate-limit counters and cached lookups never carry over from one test to the next
    (every package's tests, tests/hardening's rate limits and tests/security's included)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        try:
            cache.clear()
        except Exception:  # a cache server that is down is the test's own concern
            pass


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Documents and certificates a test stores go to its own temporary folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
