"""Every `manage.py` command the README's walk-through prints works as printed.

After `make run` (here: its var/dev.env from the Makefile's own recipe, and a migrated,
seeded database of the test's own), each `.venv/bin/python manage.py …` the README shows
runs in a shell exactly as written, with no settings in the environment, and succeeds.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A command to type: a command name after manage.py (not the "manage.py …" of a sentence).
PRINTED = re.compile(r"`((?:[A-Z_]+=\S+ )*\.venv/bin/python manage\.py [a-z_][^`]*)`", re.S)


def printed_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return [" ".join(command.split()) for command in PRINTED.findall(text)]


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory):
    """The README's world: var/dev.env as make writes it, a database migrated and seeded."""
    dev_env = ROOT / "var" / "dev.env"
    made = not dev_env.exists()
    if made:
        subprocess.run(["make", "--no-print-directory", "var/dev.env"], cwd=ROOT, check=True,
                       capture_output=True)
    workdir = tmp_path_factory.mktemp("readme")
    env = {name: value for name, value in os.environ.items()
           if name not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env |= {"DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "PRIVATE_STORAGE_ROOT": str(workdir / "private")}
    for setup in ("migrate --noinput", "seed_demo"):
        subprocess.run(f".venv/bin/python manage.py {setup}", shell=True, cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=600)
    yield env
    if made:
        dev_env.unlink()


def test_the_readme_prints_the_walk_throughs_commands():
    commands = printed_commands()
    assert any("sms_outbox" in c for c in commands)
    assert any("generate_city" in c for c in commands)
    assert any("seed_demo --reset" in c for c in commands)


@pytest.mark.parametrize("command", printed_commands())
def test_a_printed_command_runs_as_printed(after_make_run, command):
    result = subprocess.run(command, shell=True, cwd=ROOT, env=after_make_run,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_without_dev_env_the_settings_still_refuse_to_start_without_a_secret_key(tmp_path):
    """manage.py reads var/dev.env only when the environment gives no settings; a
    deployment's DEBUG=0 without SECRET_KEY still stops."""
    env = {name: value for name, value in os.environ.items() if name != "SECRET_KEY"}
    env |= {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(".venv/bin/python manage.py check", shell=True, cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
