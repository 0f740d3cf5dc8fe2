"""Section 3: the pages at city size (1,000,000 cases, 100,000 open tasks).

The data comes from the staff workspace's own generator (`manage.py generate_city`,
PostgreSQL COPY), then the dashboards' summary is built once, then every staff page is
timed in-process as the person who works it (bench.measure, also behind
`manage.py measure_staff_pages`): p50/p95 server time and SQL queries per page. Then the
citizen's pages on the same database: a generated citizen's list of requests and a case
page, and one transfer and one inquiry walked through (section 2's walk), each page timed
the same way while the case waits there.
"""

from __future__ import annotations

import time

BUDGET_MS = 200
SIZES = {"full": (1_000_000, 100_000, 100_000), "smoke": (2_000, 200, 200)}
REQUESTS_PER_PAGE = {"full": 20, "smoke": 2}
# The walked cases' citizens and properties: far past those the engine sections seed.
CITIZEN_FIXTURES_START = 90_000


def run(size: str) -> dict:
    from django.core.management import call_command

    from bench.measure import measure
    from staff.summary import refresh

    cases, open_tasks, full_history = SIZES[size]
    # --force: the generator refuses DEBUG off without it, and the bench runs DEBUG off.
    args = ["--cases", str(cases), "--open-tasks", str(open_tasks),
            "--full-history", str(full_history), "--force"]
    t0 = time.perf_counter()
    call_command("generate_city", *args)
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    refresh()
    summarised = time.perf_counter() - t0
    pages = [vars(p) for p in measure(REQUESTS_PER_PAGE[size])]
    return {"run": True, "cases": cases, "open_tasks": open_tasks, "args": args,
            "generate_seconds": generated, "summary_seconds": summarised,
            "budget_ms": BUDGET_MS, "requests_per_page": REQUESTS_PER_PAGE[size],
            "pages": pages, "citizen_pages": citizen_pages(REQUESTS_PER_PAGE[size])}


def citizen_pages(runs: int) -> list[dict]:
    from django.test import override_settings

    from bench import fixtures, pages
    from bench.measure import new_client, time_page
    from cases.models import Case

    timed = []

    def visit(group: str, name: str, path: str, session: str) -> None:
        client = new_client()
        client.cookies["sessionid"] = session
        timed.append({"group": group, "name": name, **vars(time_page(client, path, runs))})

    with override_settings(RATE_LIMITS={}):
        generated = (Case.objects.filter(citizen__username__startswith="gen-citizen-")
                     .select_related("citizen").order_by("-pk").first())
        if generated is not None:
            client = new_client()
            client.force_login(generated.citizen)
            session = client.cookies["sessionid"].value
            visit("citizen", "درخواست های پیشین (generated)", "/services/requests/", session)
            visit("citizen", "آخرین وضعیت (generated)", f"/services/cases/{generated.pk}/",
                  session)
        transfer, inquiry = fixtures.seed(2, start=CITIZEN_FIXTURES_START)
        pages.walk_transfer(transfer, visit)
        pages.walk_inquiry(inquiry, visit)
    return timed
