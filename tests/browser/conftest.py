"""A real browser (Debian's Chromium, driven by Playwright) against pytest-django's live_server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.support.services import require_service

CHROMIUM = Path("/usr/bin/chromium")
# Quiet, offline, container-friendly: no sandbox (root in CI), no GPU, no background fetches.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def _async_unsafe_orm():
    # Playwright's sync API keeps an event loop running in the test thread, so Django
    # would refuse the test's own ORM calls (reading the SMS code from the outbox, checking
    # the case's state between the citizen's and the inspector's parts).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def chromium_installed() -> None:
    """Checked first (usefixtures), before the database and the live server are set up."""
    require_service(
        "Chromium",
        CHROMIUM.exists(),
        f"{CHROMIUM} is missing; `bash scripts/system-deps.sh` installs Debian's chromium",
    )


@pytest.fixture
def browser(chromium_installed, _async_unsafe_orm):
    """One headless Chromium per test; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django keys connections by context, not by
            # thread: the test's ORM calls got connections of their own. Close them here,
            # where they are visible, or they outlive the test and block dropping the
            # PostgreSQL test database.
            connections.close_all()


@pytest.fixture
def site(live_server, settings, tmp_path):
    """The live server's base URL, with documents stored under the test's own directory."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return live_server.url
