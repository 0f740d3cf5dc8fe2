"""Rebuild before_rearrangement.sql.gz and its manifest: a database made by an older release.

The database is made by the code of commit 88d8141 (before the modules were rearranged),
with one open case parked at every step of both flows where a case can wait, each reached
as a citizen and an inspector reach it, over HTTP (park_cases.py). From the repository
root:

    git worktree add /tmp/old-main 88d8141
    ln -s "$PWD/.venv" /tmp/old-main/.venv
    .venv/bin/python tests/project/upgrade/make_fixture.py /tmp/old-main

It drops and creates the scratch database h4old_fixture (POSTGRES_URL names the server,
postgres://postgres@127.0.0.1:5432 by default), runs the old tree's `manage.py migrate`
and `seed_demo --force`, then runs park_cases.py inside the old tree (`manage.py shell`),
dumps with `pg_dump --no-owner --no-privileges --inserts`, blanks the lines a loader
without psql cannot run (psql's backslash commands) and gzips it beside this file.
park_cases.py writes the manifest (before_rearrangement.json): each parked case, its step,
what it is waiting for and the end it can reach. The SECRET_KEY is the test suite's: the
sandbox bank's signed tokens in the dump verify only with it.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DUMP = HERE / "before_rearrangement.sql.gz"
MANIFEST = HERE / "before_rearrangement.json"
PARK = HERE / "park_cases.py"
COMMIT = "88d8141"
SCRATCH_DB = "h4old_fixture"
SECRET_KEY = "test-only-secret-key-not-for-any-deployment"


def old_tree_env(server: str, tmp: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if k not in {"CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**keep, "DATABASE_URL": f"{server}/{SCRATCH_DB}", "SECRET_KEY": SECRET_KEY,
            "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "PRIVATE_STORAGE_ROOT": str(tmp / "private"), "UPGRADE_MANIFEST": str(MANIFEST)}


def main(old_tree: Path) -> None:
    import tempfile

    import psycopg

    server = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    head = subprocess.run(["git", "-C", str(old_tree), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if not head.startswith(COMMIT):
        sys.exit(f"{old_tree} is at {head}, not {COMMIT}")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    with tempfile.TemporaryDirectory() as tmp:
        env = old_tree_env(server, Path(tmp))
        python = str(old_tree / ".venv" / "bin" / "python")
        for command in (["migrate", "--no-input"], ["seed_demo", "--force"],
                        ["shell", "-c", f"import runpy; runpy.run_path({str(PARK)!r}, "
                                        "run_name='__park__')"]):
            subprocess.run([python, "manage.py", *command], cwd=old_tree, env=env, check=True)
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "--rows-per-insert=200",
         "--exclude-table-data=django_session", "--exclude-table-data=axes_*",
         f"{server}/{SCRATCH_DB}"],
        capture_output=True, text=True, check=True).stdout
    DUMP.write_bytes(gzip.compress(loadable(dump).encode(), mtime=0))
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{SCRATCH_DB}"')
    print(f"{DUMP.name}: {DUMP.stat().st_size} bytes; {MANIFEST.name} written")


def loadable(dump: str) -> str:
    """The dump without psql's own commands (\\restrict, \\connect…) and the settings an
    older server refuses, so a plain connection can run it."""
    psql_only = re.compile(r"^(\\[a-z]+\b.*|SET transaction_timeout = .*)$", re.MULTILINE)
    return psql_only.sub("", dump)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
