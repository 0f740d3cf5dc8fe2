"""What one page costs Django in-process: SQL statements and CPU time, per page.

    python -m bench.page_cost [--runs 60] [--cases 2000]

No server and no load generator: each page is fetched many times with Django's test client
(DEBUG off, the bench settings) and the median of `time.process_time` per request is
reported, beside the same figure for /bench/hello/ (no middleware work but the stack's,
no database) measured in the same process at the same moment. CPU time, not wall time,
so a busy machine moves the figures little. Beside it, the database server's CPU per
request: its backend process's, read from /proc over the runs (PostgreSQL on this
machine). The statements are counted on one more request after the timed ones.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_page_cost"


def _cpu_ms(client, path: str, runs: int) -> float:
    return _timed(client, path, runs)[0]


def _timed(client, path: str, runs: int) -> tuple[float, float | None]:
    """Median CPU ms of this process per request, and the database server's CPU ms per
    request (its backend process's, averaged over the runs; None when not readable)."""
    samples = []
    backend = _backend_cpu_ms()
    for _ in range(runs):
        began = time.process_time()
        response = client.get(path)
        samples.append((time.process_time() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    after = _backend_cpu_ms()
    server = (after - backend) / runs if None not in (backend, after) else None
    return statistics.median(samples), server


def _backend_cpu_ms() -> float | None:
    """CPU time so far of the PostgreSQL process serving this connection, from /proc (the
    server on this machine; ticks of 10 ms, so read over many requests)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _statements(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def measure(pages: list[tuple[str, object, str]], runs: int) -> list[dict]:
    """Each (name, client, path): warmed, timed `runs` times, then its statements counted.
    The hello baseline is timed before and after the pages and its median taken."""
    from django.test import Client

    anonymous = Client()
    hello = [_cpu_ms(anonymous, "/bench/hello/", runs)]
    rows = []
    for name, client, path in pages:
        for _ in range(3):
            client.get(path)
        cpu, server = _timed(client, path, runs)
        rows.append({"name": name, "path": path, "cpu_ms": cpu, "db_cpu_ms": server,
                     "statements": _statements(client, path)})
        print(f"page_cost: {name} {cpu:.2f} ms", file=sys.stderr, flush=True)
    hello.append(_cpu_ms(anonymous, "/bench/hello/", runs))
    base = statistics.median(hello)
    for row in rows:
        row["hello_ratio"] = base / row["cpu_ms"]
    return [{"name": "hello", "path": "/bench/hello/", "cpu_ms": base, "statements": 0,
             "db_cpu_ms": 0.0, "hello_ratio": 1.0}, *rows]


def citizen_pages(fixture) -> list[tuple[str, object, str]]:
    """The citizen's pages, the wizard parked at the appointment step, then a registered
    case (a second citizen's, so the first stays at the appointment step)."""
    from bench.engine import _client
    from cases.models import Case
    from tests.support.transfer_driver import CitizenDriver

    client = _client(fixture[0].username)
    driver = CitizenDriver(client)
    code = (fixture[0].renovation_code, fixture[0].request_number)
    appointment = driver.until_appointment(code).wsgi_request.get_full_path()
    other = _client(fixture[1].username)
    second = CitizenDriver(other)
    confirm = second.until_confirm((fixture[1].renovation_code, fixture[1].request_number),
                                   phone=fixture[1].phone)
    second.step(confirm, "تایید و ثبت")
    case = Case.objects.filter(citizen__username=fixture[1].username).latest("pk")
    return [("home", client, "/"), ("services", client, "/services/"),
            ("requests", other, "/services/requests/"),
            ("case page", other, f"/services/cases/{case.pk}/"),
            ("appointment step", client, appointment)]


def staff_pages() -> list[tuple[str, object, str]]:
    from bench.engine import _client

    supervisor, inspector = _client("supervisor"), _client("gen-inspector-0")
    return [("staff search", supervisor, "/staff/search/"),
            ("staff tasks", supervisor, "/staff/tasks/"),
            ("staff queue", inspector, "/staff/queue/")]


def table(rows: list[dict]) -> str:
    lines = ["| page | path | statements | CPU ms (median) | PostgreSQL CPU ms (mean) "
             "| hello ÷ page |", "|---|---|---:|---:|---:|---:|"]
    for row in rows:
        server = "—" if row["db_cpu_ms"] is None else f"{row['db_cpu_ms']:.2f}"
        lines.append(f"| {row['name']} | `{row['path']}` | {row['statements']} | "
                     f"{row['cpu_ms']:.2f} | {server} | {row['hello_ratio']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_cost", description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--cases", type=int, default=2000, help="generated cases for the staff pages")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("PRIVATE_STORAGE_ROOT", tempfile.mkdtemp(prefix="page-cost-"))
    from bench import database

    database.recreate(database.database_url())
    import django

    django.setup()
    database.migrate()
    from bench import fixtures
    from bench.generate import Plan, generate

    made = fixtures.seed(2)
    generate(Plan(cases=args.cases, open_tasks=args.cases // 10, full_history=args.cases // 10,
                  inspectors=4))
    rows = measure(citizen_pages(made) + staff_pages(), args.runs)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
