"""The soak: simulated citizens completing transfer and inquiry cases over real HTTP for
minutes against gunicorn + a Celery worker + PostgreSQL + Redis (`make soak`).

Never part of `make bench`, `make test` or CI: ten minutes of a loaded machine. Its
figures go to bench/results.json under "soak" and section 6 of bench/results.md; the
other sections there are kept as they were.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REDIS = "redis://127.0.0.1:6379"
REDIS_DB = 13
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/soak"
RSS_EVERY_SECONDS = 2.0
DRAIN_SECONDS = 180
CLIENT_PROCESSES = 4  # each runs its share of the citizens as threads


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--cases-per-citizen", type=int, default=60,
                        help="fixtures seeded per citizen (a citizen stops when they run out)")
    parser.add_argument("--grace", type=int, default=300,
                        help="seconds a citizen may take to finish the case under way")
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL",
                                                                 DATABASE_URL))
    parser.add_argument("--redis-db", type=int, default=REDIS_DB)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    return parser.parse_args(argv)


def rss_of_tree(pid: int) -> int:
    """Resident bytes of a process and its children (the Celery pool), from /proc."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total * 1024


class Sampler(threading.Thread):
    def __init__(self, pid: int, epoch: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.epoch = pid, epoch
        self.samples: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.monotonic() - self.epoch, rss_of_tree(self.pid)))
            self.stopped.wait(RSS_EVERY_SECONDS)


def prepare(args, workdir: Path) -> None:
    redis_url = f"{REDIS}/{args.redis_db}"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": args.database_url,
        "BENCH_BROKER_URL": redis_url, "REDIS_URL": redis_url,
        "PRIVATE_STORAGE_ROOT": str(workdir / "private"), "PYTHONUNBUFFERED": "1"})
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    from bench import database

    database.recreate(args.database_url, prefix="soak")


def main(argv=None) -> int:
    args = parse(argv if argv is not None else sys.argv[1:])
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    from bench import server

    port = server.free_port()
    os.environ["SITE_URL"] = f"http://127.0.0.1:{port}"  # the bank's callback comes here
    prepare(args, workdir)
    import django

    django.setup()
    from django.db import connections

    from bench import database, fixtures, soak_analysis, soak_verify
    from bench.soak_citizen import Citizen, run_group
    from tests.support.stack import start_worker

    database.migrate()
    made = fixtures.seed(args.citizens * args.cases_per_citizen + 2)
    people = [f.username for f in made]
    connections.close_all()  # the client processes are forked: no shared socket
    print(f"soak: {len(made)} fixtures; starting the worker and gunicorn", file=sys.stderr)
    # INFO: the worker's "ready." line is what start_worker waits for.
    worker = start_worker({**os.environ, "LOG_LEVEL": "INFO"}, workdir)
    try:
        with server.Gunicorn(None, workdir / "gunicorn.log", port=port) as web:
            # One case of each kind first, not timed: the first certificate loads the
            # renderer's fonts into the worker, which is start-up, not growth.
            warm = Citizen(web.base, [], time.monotonic())
            warm.outcome.case_ids += [warm.transfer(made[0]), warm.inquiry(made[1])]
            made = made[2:]
            connections.close_all()
            epoch = time.monotonic()
            sampler = Sampler(worker.popen.pid, epoch)
            sampler.start()
            groups = min(CLIENT_PROCESSES, args.citizens)
            jobs = [(web.base, epoch, epoch + args.seconds, args.grace, made[g::groups],
                     len(range(g, args.citizens, groups))) for g in range(groups)]
            with multiprocessing.get_context("fork").Pool(groups) as clients:
                done = clients.map(run_group, jobs)
            ran = time.monotonic() - epoch
            records = [r for d in done for r in d[0]]
            outcomes = [warm.outcome] + [o for d in done for o in d[1]]
            case_ids = [i for o in outcomes for i in o.case_ids]
            drained = soak_verify.drain(case_ids, DRAIN_SECONDS)
            sampler.stopped.set()
    finally:
        worker.stop()
    failures = [f for o in outcomes for f in o.failures]
    failures += ["a citizen was still in a case after the grace period"] * sum(
        d[2] for d in done)
    usernames = people  # the warm-up's two included
    uploads = sum(o.uploads for o in outcomes)
    windows = soak_analysis.latency_windows(records, args.seconds)
    result = {
        "citizens": args.citizens, "seconds": args.seconds, "ran_seconds": ran,
        "drain_seconds": drained, "requests": len(records),
        "ran_out": sum(o.ran_out for o in outcomes), "fixtures": len(made),
        "requests_in_window": sum(w["requests"] for w in windows),
        "window_seconds": soak_analysis.window_seconds(args.seconds),
        "windows": windows, "p95": soak_analysis.p95_flat(windows),
        "memory": soak_analysis.rss_flat(sampler.samples, args.seconds),
        "errors": soak_analysis.errors(records, failures),
        "counts": dict(soak_verify.counts(case_ids, usernames), uploads=uploads),
        "lost": soak_analysis.losses(soak_verify.lost(case_ids, usernames, uploads)),
        "server": f"gunicorn {server.WORKERS} workers × {server.THREADS} threads (gthread); "
                  "one Celery worker (prefork, concurrency 1), Redis broker; no beat",
        "finished": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    # A citizen out of fixtures stopped early: the load was not held for the whole time.
    result["ok"] = result["ran_out"] == 0 and soak_analysis.verdict(
        result["p95"], result["memory"], result["errors"], result["lost"])
    record(result, args.out)
    print(f"soak: {'held' if result['ok'] else 'NOT held'}; wrote {args.out}", file=sys.stderr)
    return 0 if result["ok"] else 1


def record(result: dict, out: Path) -> None:
    """Into results.json beside the other sections' kept figures, and results.md re-rendered
    (another --out: its own .json beside it, bench/results.json untouched)."""
    from bench import database, report

    if report.RAW.exists():
        raw = report.load_raw()
    else:
        raw = {"size": "soak only", "errors": {}, "seconds": 0,
               "started": datetime.datetime.now().astimezone(), "versions": database.versions()}
    raw["soak"] = result
    report.save_raw(raw, out.with_suffix(".json"))
    out.write_text(report.render(raw, out.with_suffix(".json")), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
