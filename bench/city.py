"""`python -m bench.city` (`make city`): the staff pages at 10,000,000 cases, 1,000,000 open tasks.

Run by its own command only, never by `make bench` nor CI. In its own database
(bench_city, dropped and created), it

1. measures what a case costs on disk: a sample city, then PostgreSQL's database size;
2. checks the free disk where PostgreSQL keeps its data against what the largest step needs,
   and refuses with that size — or, with --largest, shrinks the last step to what fits;
3. grows the city step by step (1 M, then 10 M: each step adds to the last, open tasks a
   tenth of the cases), with `VACUUM (ANALYZE)` and the dashboards' summary after each,
   and times every staff page at each step (bench.measure: p50/p95, SQL statements);
4. records the steps in bench/results.json ("city") and section 3b of bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import time
from pathlib import Path

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_city"
SAMPLE_CASES = 20_000
# What a step needs beyond the rows measured in the sample: the dead tuples VACUUM leaves
# for reuse, the WAL kept until a checkpoint, the summary table and the sort spill of
# CREATE/ANALYZE; measured at 1 M as ~15 %, rounded up.
HEADROOM = 1.3
MIN_STEP = 1_000_000


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.city", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default="1000000,10000000",
                        help="city sizes to measure at, in cases, ascending (default 1 M, 10 M)")
    parser.add_argument("--largest", action="store_true",
                        help="when the disk cannot hold the last step, measure the largest "
                             "size it can (in whole millions) instead of refusing")
    parser.add_argument("--runs", type=int, default=20, help="requests per page per step")
    parser.add_argument("--measure-again", metavar="WHY", default="",
                        help="no generating: time the staff pages again on the database the "
                             "last run left (after a fix), replacing the pages of the step of "
                             "its size; WHY is recorded beside them")
    parser.add_argument("--database-url", default=os.environ.get("CITY_DATABASE_URL",
                                                                 DATABASE_URL))
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    return parser.parse_args(argv)


def database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def free_bytes() -> int:
    """Free space where PostgreSQL keeps its data (its data_directory: a local server, read
    as a superuser or a pg_read_all_settings member)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        return shutil.disk_usage(cursor.fetchone()[0]).free


def plan_steps(steps: list[int], per_case: float, free: int, largest: bool,
               already: int) -> tuple[list[int], int]:
    """The steps the disk can hold and the bytes the last one needs; SystemExit with the
    size needed when it cannot and --largest was not given."""
    needed = int((steps[-1] - already) * per_case * HEADROOM)
    if needed <= free:
        return steps, needed
    fits = int(free / (per_case * HEADROOM)) + already
    if not largest:
        raise SystemExit(
            f"city: refusing — {steps[-1]:,} cases need about {needed / 1e9:.1f} GB free where "
            f"PostgreSQL keeps its data ({per_case / 1e3:.2f} KB a case, measured), and "
            f"{free / 1e9:.1f} GB are free; free the space, or pass --largest to measure "
            f"{fits:,} cases instead")
    top = fits // MIN_STEP * MIN_STEP
    if top < MIN_STEP:
        raise SystemExit(f"city: refusing — not even {MIN_STEP:,} cases fit in "
                         f"{free / 1e9:.1f} GB")
    kept = [s for s in steps if s < top] + [top]
    return kept, int((top - already) * per_case * HEADROOM)


def grow(to: int, have: int) -> dict:
    """Add cases up to `to` (a tenth open, a tenth with a full history), then the summary."""
    from django.core.management import call_command

    from staff.summary import refresh

    add = to - have
    args = ["--cases", str(add), "--open-tasks", str(add // 10),
            "--full-history", str(add // 10), "--force"]
    began = time.perf_counter()
    call_command("generate_city", *args)
    generated = time.perf_counter() - began
    began = time.perf_counter()
    refresh()
    return {"generate_seconds": generated, "summary_seconds": time.perf_counter() - began}


def open_tasks() -> int:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    return Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED,
                                           STATUS.STARTED]).count()


def measure_again(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from bench import report
    from bench.measure import measure
    from cases.models import Case
    from staff.summary import refresh

    call_command("migrate", verbosity=0, interactive=False)  # the fix's indexes
    began = time.perf_counter()
    refresh()  # what the fix keeps in the summary (nothing new since: only its snapshots)
    refreshed = time.perf_counter() - began
    raw = report.load_raw()
    city = raw["city"]
    # The step of the database's size: the last by default, an earlier one when pointed
    # (--database-url) at a database grown to that step alone.
    have = Case.objects.count()
    step = next((s for s in city["steps"] if s["cases"] == have), None)
    if step is None:
        raise SystemExit(f"city: the database holds {have:,} cases; no recorded step has as many")
    step["pages"] = [vars(p) for p in measure(args.runs)]
    step["measured_again"] = {
        "at": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "why": args.measure_again, "refresh_seconds": refreshed,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    record(city, args.out)
    return 0


def main(argv=None) -> int:
    args = parse(argv)
    steps = sorted(int(s) for s in args.steps.split(","))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    if args.measure_again:
        return measure_again(args)
    from bench import database

    database.recreate(args.database_url)
    import django

    django.setup()
    database.migrate()
    from bench.measure import measure
    from cases.demo.seed import seed as seed_demo
    from cases.models import Case

    seed_demo()  # the staff who work the pages: the supervisor, the demo inspectors

    empty = database_bytes()
    grow(SAMPLE_CASES, 0)
    per_case = (database_bytes() - empty) / SAMPLE_CASES
    free = free_bytes()
    steps, needed = plan_steps(steps, per_case, free, args.largest, SAMPLE_CASES)
    print(f"city: {per_case / 1e3:.2f} KB a case; {steps[-1]:,} cases need "
          f"{needed / 1e9:.1f} GB, {free / 1e9:.1f} GB free", file=sys.stderr, flush=True)
    result = {"started": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
              "bytes_per_case": per_case, "free_bytes_at_start": free,
              "requested": args.steps, "runs": args.runs, "steps": []}
    have = SAMPLE_CASES
    for size in steps:
        timing = grow(size, have)
        have = Case.objects.count()
        pages = [vars(p) for p in measure(args.runs)]
        result["steps"].append({"cases": have, "open_tasks": open_tasks(),
                                "database_bytes": database_bytes(), **timing, "pages": pages})
        print(f"city: {have:,} cases measured", file=sys.stderr, flush=True)
    result["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    record(result, args.out)
    return 0


def record(result: dict, out: Path) -> None:
    """Into results.json beside the other sections' figures; results.md re-rendered."""
    from bench import database, report

    raw = report.load_raw() if report.RAW.exists() else {
        "size": "city only", "errors": {}, "seconds": 0,
        "started": datetime.datetime.now().astimezone(), "versions": database.versions()}
    raw["city"] = result
    report.save_raw(raw, out.with_suffix(".json"))
    out.write_text(report.render(raw, out.with_suffix(".json")), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
