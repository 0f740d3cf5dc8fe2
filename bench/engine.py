"""Section 1: the engine's throughput, driving whole cases through the flows' own views.

Each case is driven over HTTP by the Django test client exactly as the manual's citizen,
inspector and bank would (tests/support/transfer_driver.py, inquiry_driver.py): every node, the
uploads, the SMS code, the slot, the sandbox payment and the PDF issued by the automatic
step. The baseline is the cheapest thing an engine could do per task on the same
database: one INSERT and one UPDATE through the ORM.
"""

from __future__ import annotations

import multiprocessing
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.fixtures import CaseFixture

KINDS = ("transfer", "inquiry")


SAVEPOINT_VERBS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class WorkerResult:
    case_ids: list[int]
    queries: list[int]
    started: float
    finished: float
    savepoints: list[int] = field(default_factory=list)


@contextmanager
def request_statements():
    """{"all": n, "savepoints": n}: the SQL statements run while a request was served (the
    Celery tasks it starts run in-process on commit, inside it) — the case's own, not the
    driver's look-ups between pages nor a staff member's login."""
    from django.core.signals import request_finished, request_started
    from django.db import connection

    counts, depth = {"all": 0, "savepoints": 0}, [0]

    def started(**_kwargs):
        depth[0] += 1

    def finished(**_kwargs):
        depth[0] = max(0, depth[0] - 1)

    def count(execute, sql, params, many, context):
        if depth[0]:
            counts["all"] += 1
            counts["savepoints"] += sql.startswith(SAVEPOINT_VERBS)
        return execute(sql, params, many, context)

    request_started.connect(started, dispatch_uid="bench.request_statements.started")
    request_finished.connect(finished, dispatch_uid="bench.request_statements.finished")
    try:
        with connection.execute_wrapper(count):
            yield counts
    finally:
        request_started.disconnect(dispatch_uid="bench.request_statements.started")
        request_finished.disconnect(dispatch_uid="bench.request_statements.finished")


def savepoint_statements(captured) -> int:
    """SAVEPOINT, RELEASE and ROLLBACK TO statements: the nested atomic blocks' cost."""
    return sum(1 for q in captured.captured_queries if q["sql"].startswith(SAVEPOINT_VERBS))


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _pay(driver, response):
    from tests.support.transfer_driver import follow, post_button

    bank = follow(driver.client, post_button(driver.client, response, "پرداخت آنلاین"))
    return follow(driver.client, post_button(driver.client, bank, "پرداخت"))


def drive_transfer(fixture: CaseFixture, citizen, inspectors: dict) -> int:
    from cases.models import Case, CaseStatus
    from tests.support.pages import Page
    from tests.support.transfer_driver import CitizenDriver, post_button

    driver = CitizenDriver(citizen)
    confirm = driver.until_confirm((fixture.renovation_code, fixture.request_number),
                                   phone=fixture.phone)
    driver.step(confirm, "تایید و ثبت")
    case = Case.objects.filter(citizen__username=fixture.username).latest("pk")
    inspector = case.appointments.get().slot.inspector.username
    staff = inspectors.get(inspector) or inspectors.setdefault(inspector, _client(inspector))
    inbox = Page.of(staff.get("/staff/visits/"))
    marker = f"/{case.process.pk}/"
    url = next(a.attrs["href"] for a in inbox.links if marker in a.attrs.get("href", ""))
    visit = staff.get(url)
    done = post_button(staff, visit, "ثبت نتیجه بازدید", {"تأیید": True})
    assert done.status_code == 302, (done.status_code, Page.of(done).text[:400])
    requests = Page.of(citizen.get("/services/requests/"))
    status = citizen.get(requests.link("آخرین وضعیت"))
    fees = citizen.get(Page.of(status).link("گام بعدی"))
    paid = _pay(driver, fees)
    issuance = driver.step(paid, "گام بعدی")
    driver.step(issuance, "صدور گواهی با امکان چاپ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED, case.status
    return case.pk


def drive_inquiry(fixture: CaseFixture, citizen, inspectors: dict) -> int:
    from cases.models import Case, CaseStatus
    from tests.support.inquiry_driver import InquiryDriver

    driver = InquiryDriver(citizen)
    fees = driver.until_fees((fixture.renovation_code, fixture.request_number))
    driver.step(_pay(driver, fees), "ثبت درخواست و صدور")
    case = Case.objects.filter(citizen__username=fixture.username).latest("pk")
    assert case.status == CaseStatus.ARCHIVED, case.status
    return case.pk


DRIVERS = {"transfer": drive_transfer, "inquiry": drive_inquiry}


def _worker(args) -> WorkerResult:
    from django.db import connection

    kind, fixtures = args
    clients = [_client(f.username) for f in fixtures]
    inspectors: dict = {}
    ids, queries, savepoints = [], [], []
    started = time.perf_counter()
    for fixture, client in zip(fixtures, clients):
        with request_statements() as counted:
            ids.append(DRIVERS[kind](fixture, client, inspectors))
        queries.append(counted["all"])
        savepoints.append(counted["savepoints"])
    finished = time.perf_counter()
    connection.close()
    return WorkerResult(ids, queries, started, finished, savepoints)


def _baseline_worker(args) -> WorkerResult:
    from django.db import connection
    from django.utils import timezone

    from bench.models import BaselineTask

    tasks, worker = args
    started = time.perf_counter()
    for n in range(tasks):
        row = BaselineTask.objects.create(process_id=worker, flow_task=f"bench.node{n % 16}")
        row.status = "DONE"
        row.finished = timezone.now()
        row.save(update_fields=["status", "finished"])
    finished = time.perf_counter()
    connection.close()
    return WorkerResult([], [], started, finished)


def _in_processes(function, jobs: list) -> list[WorkerResult]:
    from django.db import connections

    connections.close_all()  # a forked child must never share the parent's socket
    context = multiprocessing.get_context("fork")
    with context.Pool(len(jobs)) as pool:
        return pool.map(function, jobs)


def _tasks_of(case_ids: list[int]) -> int:
    from viewflow.workflow.models import Task

    return Task.objects.filter(process__caseprocess__case_id__in=case_ids).count()


def run(fixtures: list[CaseFixture], cases_per_worker: int, repeats: int,
        worker_counts=(1, 2)) -> dict:
    """Per kind and worker count: one measurement per repeat, each on fresh fixtures."""
    pool = iter(fixtures)
    runs: dict = {}
    for repeat in range(repeats):
        for workers in worker_counts:
            for kind in KINDS:
                jobs = [(kind, [next(pool) for _ in range(cases_per_worker)])
                        for _ in range(workers)]
                results = _in_processes(_worker, jobs)
                wall = max(r.finished for r in results) - min(r.started for r in results)
                ids = [i for r in results for i in r.case_ids]
                tasks = _tasks_of(ids)
                baseline = _in_processes(_baseline_worker,
                                         [(tasks // workers, w) for w in range(workers)])
                base_wall = max(r.finished for r in baseline) - min(r.started for r in baseline)
                runs.setdefault((kind, workers), []).append({
                    "cases": len(ids),
                    "tasks": tasks,
                    "seconds": wall,
                    "cases_per_s": len(ids) / wall,
                    "tasks_per_s": tasks / wall,
                    "queries_per_case": sum(q for r in results for q in r.queries) / len(ids),
                    "savepoints_per_case":
                        sum(q for r in results for q in r.savepoints) / len(ids),
                    "baseline_tasks_per_s": (tasks // workers * workers) / base_wall,
                })
    return {"runs": runs, "cases_per_worker": cases_per_worker, "repeats": repeats}


def fixtures_needed(cases_per_worker: int, repeats: int, worker_counts=(1, 2)) -> int:
    return repeats * sum(worker_counts) * len(KINDS) * cases_per_worker
