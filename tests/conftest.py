"""Fixtures every directory's tests may use, and the suites kept apart by directory.

Three suites need more than the test database and take minutes: tests/browser (Chromium
through Playwright), tests/faults (servers stopped and killed), tests/deploy (gunicorn,
a worker and the rest as processes). Every test in those directories gets the suite's
marker here, so nobody has to remember it. `make test` runs everything; one suite:
    make test PYTEST_ARGS="-m browser"        (or -m fault, -m deploy)
the quick run without them:
    make test PYTEST_ARGS='-m "not browser and not fault and not deploy"'
"""

from pathlib import Path

import pytest
from django.db import connection

from tests.support.services import require_service

TESTS = Path(__file__).resolve().parent
SUITE_OF_DIRECTORY = {"browser": "browser", "faults": "fault", "deploy": "deploy"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path).resolve()
        directory = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else None
        if directory in SUITE_OF_DIRECTORY:
            item.add_marker(SUITE_OF_DIRECTORY[directory])


@pytest.fixture
def postgres():
    """For tests whose point is PostgreSQL's behaviour (locks, triggers, concurrency)."""
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        f"the test database is {connection.vendor}; set DATABASE_URL=postgres://…",
    )


@pytest.fixture(scope="session", autouse=True)
def signing_pki(tmp_path_factory):
    """Every document a test issues is signed with the test CA's key, made once per
    session; processes a test starts inherit it through the environment."""
    import os

    from django.conf import settings

    from tests.support.signing import PASSWORD, make_test_pki

    pki = make_test_pki(tmp_path_factory.mktemp("signing"))
    values = {"SIGNING_PKCS12_PATH": str(pki.p12), "SIGNING_PKCS12_PASSWORD": PASSWORD}
    for name, value in values.items():
        os.environ[name] = value
        setattr(settings, name, value)
    return pki


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
    (every package's tests, tests/web's rate limits and tests/security's included), nor
    does a process's copy of the portal settings (a rolled-back save sends no signal)."""
    from django.core.cache import caches

    from cases import portal_settings

    portal_settings.forget()
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


@pytest.fixture(scope="session")
def softhsm_token(signing_pki, tmp_path_factory):
    """A SoftHSM2 token with a signing key of the test CA (tests/support/softhsm.py)."""
    from tests.support.softhsm import make_token, require_softhsm

    require_softhsm()
    return make_token(tmp_path_factory.mktemp("softhsm"), signing_pki)


@pytest.fixture(scope="session", autouse=True)
def jinja2_templates_seen_by_the_test_client():
    """The test client's response.context and assertTemplateUsed, for Jinja2 pages too:
    Django instruments only its own engine (setup_test_environment); this sends the same
    signal for each Jinja2 template a view renders (not for the ones it includes)."""
    from tests.support.jinja2_signal import instrumented

    with instrumented():
        yield
