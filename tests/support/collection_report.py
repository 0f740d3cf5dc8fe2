"""A pytest plugin (`-p tests.support.collection_report`) that writes, for every collected
test, its markers and the modules defining its fixtures to the JSON file SUITE_REPORT
names: how tests/project/test_suites.py sees what a collection really marked."""

from __future__ import annotations

import json
import os

import pytest


def pytest_collection_finish(session: pytest.Session) -> None:
    target = os.environ.get("SUITE_REPORT")
    if not target:
        return
    report = {
        item.nodeid: {"markers": sorted({mark.name for mark in item.iter_markers()}),
                      "fixture_modules": sorted(fixture_modules(item))}
        for item in session.items
    }
    with open(target, "w") as out:
        json.dump(report, out)


def fixture_modules(item: pytest.Item) -> set[str]:
    """The modules whose fixture definitions the test uses (the ones that win by scope)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    return {definitions[-1].func.__module__ for definitions in info.name2fixturedefs.values()
            if definitions}
