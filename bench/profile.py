"""`python -m bench.profile`: where the worst figures go, on a database a bench run left.

Drives one fresh transfer case with the test client, parking at every wizard page to
profile its GET with pyinstrument, and lists the SQL statements a whole case repeats most
(the N+1 candidates). Writes bench/profiles/*.html and prints a summary.
"""

from __future__ import annotations

import collections
import os
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("profiles")
GETS = 10


def _shape(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"\(\?(, \?)*\)", "(…)", sql)
    return sql[:220]


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection
    from pyinstrument import Profiler

    from bench import fixtures
    from bench.pages import walk_transfer

    OUT.mkdir(exist_ok=True)
    fixture = fixtures.seed(1, start=int(os.environ.get("BENCH_PROFILE_START", "5000")))[0]
    from django.test import Client

    summary = []
    statements: collections.Counter = collections.Counter()

    def visit(group, name, path, session):
        client = Client()
        client.cookies["sessionid"] = session
        client.get(path)  # warm
        before = len(seen)
        client.get(path)
        queries = len(seen) - before
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(GETS):
            client.get(path)
        profiler.stop()
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        (OUT / f"{slug}.html").write_text(profiler.output_html(), encoding="utf-8")
        (OUT / f"{slug}.txt").write_text(
            profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
        summary.append((profiler.last_session.duration / GETS * 1000, queries, name, path))

    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        walk_transfer(fixture, visit)
    for sql in seen:
        statements[_shape(sql)] += 1
    print("ms/GET  queries  page")
    for ms, queries, name, path in sorted(summary, reverse=True):
        print(f"{ms:7.1f} {queries:8d}  {name} {path}")
    print(f"\nmost repeated statements over the walk, profiled GETs included ({len(seen)} in all):")
    for sql, count in statements.most_common(15):
        print(f"{count:5d}  {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
