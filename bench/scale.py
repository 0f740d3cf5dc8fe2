"""Section 3: the staff pages over 1,000,000 cases and 100,000 open tasks.

The data comes from the staff workspace's own generator (a management command of the
`staff` app); this section runs it only with `--scale`, since it takes long, and then
times every parameterless staff page in-process: p95 server time and queries per page.
"""

from __future__ import annotations

import os
import shlex
import time

from bench.stats import median, percentile

CASES = 1_000_000
OPEN_TASKS = 100_000
REQUESTS_PER_PAGE = 20


def generator_command() -> str | None:
    """BENCH_SCALE_COMMAND, else the staff app's command whose name says it generates data."""
    if os.environ.get("BENCH_SCALE_COMMAND"):
        return os.environ["BENCH_SCALE_COMMAND"]
    from django.core.management import get_commands

    for name, app in sorted(get_commands().items()):
        if app == "staff" and any(word in name for word in ("scale", "generate", "volume")):
            return name
    return None


def _client_that_sees(path: str, staff: list):
    from django.test import Client

    for user in staff:
        client = Client()
        client.force_login(user)
        if client.get(path).status_code == 200:  # also the warm-up
            return client
    return client


def run(enabled: bool) -> dict:
    command = generator_command()
    if not enabled:
        return {"run": False, "why": "not run: pass --scale (BENCH_ARGS=--scale) to generate "
                f"{CASES:,} cases / {OPEN_TASKS:,} open tasks", "command": command}
    if command is None:
        return {"run": False, "why": "not run: the staff app has no generator command yet "
                "(set BENCH_SCALE_COMMAND)", "command": None}
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.urlconf_walk import leaf_patterns

    # --force: the generator refuses DEBUG off without it, and the bench runs DEBUG off.
    args = shlex.split(os.environ.get(
        "BENCH_SCALE_ARGS", f"--cases {CASES} --open-tasks {OPEN_TASKS} --force"))
    t0 = time.perf_counter()
    call_command(command, *args)
    generated = time.perf_counter() - t0
    users = get_user_model().objects
    # The generator's inspectors own the open visits; the supervisor sees everything else.
    staff = [u for u in (users.filter(username__startswith="gen-inspector-").order_by("pk").first(),
                         users.filter(username="supervisor").first()) if u is not None]
    pages = []
    for pattern in leaf_patterns():
        if not pattern.route.startswith("staff/") or pattern.parameters or pattern.is_regex:
            continue
        path = "/" + pattern.route
        times, queries, status = [], [], None
        client = _client_that_sees(path, staff)
        for _ in range(REQUESTS_PER_PAGE):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                status = client.get(path).status_code
                times.append((time.perf_counter() - t) * 1000)
            queries.append(len(captured))
        pages.append({"path": path, "status": status, "p95_ms": percentile(times, 0.95),
                      "p50_ms": median(times), "queries": median(queries)})
    return {"run": True, "command": command, "args": args, "generate_seconds": generated,
            "pages": pages}
