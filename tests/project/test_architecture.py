"""The dependency direction is a test: import-linter's contracts in pyproject.toml.

flows → workflows → cases → integrations, the web's plumbing and staff above them all; the service never
imports its tests or benchmarks. The second test plants a wrong-way import in a copy of
the tree and expects the check to catch it, so the first cannot pass by checking nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["web", "staff", "flows", "workflows", "cases", "integrations", "ops", "config", "bench",
            "tests"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(root)}, timeout=120,
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_domain_module_importing_a_flow_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    planted = tmp_path / "cases" / "models" / "case.py"
    planted.write_text(planted.read_text() + "\nfrom flows import transfer_flow  # planted\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "1 kept, 1 broken" in result.stdout
    assert "cases.models.case -> flows.transfer_flow" in result.stdout
