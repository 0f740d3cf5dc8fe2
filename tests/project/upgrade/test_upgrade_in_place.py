"""An installation made by an older release upgrades in place, and its open cases finish.

before_rearrangement.sql.gz is a database made by commit 88d8141, before the modules were
rearranged (make_fixture.py beside it says how to make it again), with a case waiting at
every step of both flows where a case can wait: each citizen's step, the inspector's
visit, each automatic step, an SMS code sent and not yet typed, a payment left at the
bank and one paid there whose browser never came back. viewflow keeps each process's flow
and each task's node as a dotted reference (`flows/transfer_flow.TransferFlow.fees`) and
a payment keeps its gateway's class path: a module moved without a data migration, or a
shim, strands every open case.

The dump is loaded into a database of its own; today's `migrate` runs on it, then
`seed_demo` adds the coming days' inspection hours (the dump's are in the past by now),
then today's code opens each case's step as its owner and drives it to its end
(finish_parked_cases.py): each in a subprocess, as an operator upgrading runs them.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.postgres

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MANIFEST = HERE / "before_rearrangement.json"
DUMP = HERE / "before_rearrangement.sql.gz"
# The release's SECRET_KEY (the suite's): the sandbox bank's signed tokens in the dump
# verify only with it, as a real upgrade keeps its key.
SECRET_KEY = "test-only-secret-key-not-for-any-deployment"


def server_url(database: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}").geturl()


@pytest.fixture
def upgraded_url(postgres, django_db_modify_db_settings):
    """A database of its own, named after this run's test database, with the dump loaded."""
    settings = connection.settings_dict
    name = f"{settings['TEST'].get('NAME') or 'test_' + settings['NAME']}_upgrade"
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(server_url(name)) as target:
            target.execute(gzip.decompress(DUMP.read_bytes()).decode())
        yield server_url(name)
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url: str, tmp_path: Path, *command: str) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL"}}
    env |= {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
            "PRIVATE_STORAGE_ROOT": str(tmp_path / "private")}
    done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"manage.py {command[0]}:\n{done.stderr[-4000:]}"


def test_every_case_left_open_by_the_older_release_finishes(upgraded_url, tmp_path):
    results = tmp_path / "results.json"
    manage(upgraded_url, tmp_path, "migrate", "--no-input")
    manage(upgraded_url, tmp_path, "seed_demo", "--force")
    manage(upgraded_url, tmp_path, "shell", "-c",
           "from tests.project.upgrade.finish_parked_cases import main; "
           f"main({str(MANIFEST)!r}, {str(results)!r})")
    out = json.loads(results.read_text())

    # A flow module moved or renamed strands these: keep a module at the old path, or
    # rewrite the columns in a data migration.
    assert not out["unresolved"], "stored references today's code cannot import:\n" + "\n".join(
        out["unresolved"])
    failed = [f"case {c['case']} at {c['flow']}.{c['node']}:\n{c['error']}"
              for c in out["cases"] if "error" in c]
    assert not failed, "\n".join(failed)
    for case in out["cases"]:
        where = f"case {case['case']} ({case['flow']}.{case['node']}: {case['waiting']})"
        assert case["parked"] == case["node"], where
        assert case["listed"], f"{where}: not found by its flow and node as stored"
        assert case["case_page"] == 200, where
        assert case.get("task_page", 200) == 200, where
        assert case["process_status"] == "DONE", where
        assert case["passed"][-1] == case["ends"] == case["case_status"], (where, case["passed"])
        issued = case["ends"] == "archived"  # the certificate or the answer, printable
        assert case["certificate"] == issued and case["pdf"] == issued, where
    assert out["still_open"] == [], "cases the manifest does not list are still open"

    # Money: a payment the bank took before the upgrade settles the debt once, with no
    # second charge; one abandoned at the bank is expired and a new one pays.
    payments = {case["payment"]: case["payments"] for case in out["cases"] if "payment" in case}
    assert payments["paid at the bank"] == [{"before_upgrade": True, "status": "settled"}]
    assert payments["abandoned"] == [{"before_upgrade": True, "status": "expired"},
                                     {"before_upgrade": False, "status": "settled"}]

    # Every node of both flows: each one a case can wait at had a case waiting there, and
    # every other one (but the start) was passed by today's code. A node added later with
    # no case parked before it fails here until the fixture is made again.
    assert set(out["flows"]) == {"TransferFlow", "InquiryFlow"}
    for flow_class, nodes in out["flows"].items():
        cases = [c for c in out["cases"] if c["flow_class"] == flow_class]
        parked = {c["parked"] for c in cases}
        passed = {name for c in cases for name in c["passed"]}
        waits = {name for name, kind in nodes.items() if kind == "waits"}
        assert waits - parked == set(), f"{flow_class}: no case waited at {waits - parked}"
        rest = {name for name, kind in nodes.items() if kind != "start"}
        never = rest - parked - passed
        assert never == set(), f"{flow_class}: no case reached {never}"
        print(f"{flow_class}: parked at {sorted(parked)}; passed {sorted(passed)}")
