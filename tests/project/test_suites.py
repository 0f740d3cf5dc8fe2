"""The slow suites stay apart: every test under tests/browser, tests/faults and tests/deploy
carries its suite's marker (and no other test does), so `-m "not browser and not fault and
not deploy"` is exactly the quick run; Playwright is driven only from tests/browser; and no
test module imports another (shared helpers live in tests/support)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
SUITES = {"browser": "browser", "faults": "fault", "deploy": "deploy"}
BROWSER_FIXTURES = "tests.browser.conftest"  # Chromium, the live site, Playwright's page


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> dict[str, dict]:
    """nodeid → its markers and fixtures, from a real collection of the whole tree."""
    report = tmp_path_factory.mktemp("suites") / "collected.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "tests.support.collection_report", "tests"],
        cwd=ROOT, env={**os.environ, "SUITE_REPORT": str(report)},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(report.read_text())


def directory_of(nodeid: str) -> str:
    return Path(nodeid.split("::")[0]).relative_to("tests").parts[0]


def test_each_suite_directory_marks_all_its_tests_and_nothing_else(collected):
    problems = []
    for nodeid, seen in collected.items():
        expected = SUITES.get(directory_of(nodeid))
        carried = set(seen["markers"]) & set(SUITES.values())
        if carried != ({expected} if expected else set()):
            problems.append(f"{nodeid}: {sorted(carried)}, expected {expected or 'none'}")
    assert not problems, "\n".join(problems[:20])
    per_suite = {marker: sum(marker in seen["markers"] for seen in collected.values())
                 for marker in SUITES.values()}
    assert all(per_suite.values()), per_suite


def test_only_tests_in_tests_browser_use_the_browser_fixtures(collected):
    outside = [nodeid for nodeid, seen in collected.items()
               if BROWSER_FIXTURES in seen["fixture_modules"] and directory_of(nodeid) != "browser"]
    assert not outside, outside
    inside = [nodeid for nodeid, seen in collected.items()
              if BROWSER_FIXTURES in seen["fixture_modules"]]
    assert inside, "no test uses the browser fixtures: is the report reading them?"


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_playwright_is_driven_only_from_tests_browser():
    found = []
    for path in TESTS.rglob("test_*.py"):
        if path.relative_to(TESTS).parts[0] == "browser":
            continue
        for name in imports_of(path):
            if name.split(".")[0] == "playwright" or name.startswith("tests.browser"):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not found, "move the test into tests/browser:\n" + "\n".join(found)


# Run inside an older commit's tree (make_fixture.py), whose helpers were test modules.
OLD_TREE_SCRIPTS = {TESTS / "project" / "upgrade" / "park_cases.py"}


def test_no_module_imports_a_test_module():
    found = []
    for path in [*TESTS.rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        if path in OLD_TREE_SCRIPTS:
            continue
        for name in imports_of(path):
            if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_"):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not found, "shared helpers belong in tests/support:\n" + "\n".join(found)
