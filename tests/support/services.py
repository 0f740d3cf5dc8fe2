"""Real services a test needs (PostgreSQL, Redis, Chromium, clamd …): skip or fail loudly."""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, why: str) -> None:
    """Skip loudly where a real service is missing; fail instead under REQUIRE_SERVICES=1."""
    if available:
        return
    message = f"{name} is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY — {message}")
