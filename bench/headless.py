"""Section: the engine without the web — whole cases through the flows' own activations.

Each step does what its page's POST does, minus HTTP and templates: the same domain
services (cases/drafts.py, registration.py, the appointments, phone-code, documents and
payments services, the certificates' issuing through the flow's Handle), then the task
completed through its node's activation under the process lock, as
workflows/task_urls.own_step_view does. The PDF renderer is the tests' recording one
(the PDF's cost is the documents section's); the uploads' validation and re-encoding are
timed apart. Comparable with Camunda's published sizing for a 1x cluster: 100 tasks/s,
5 process instances/s.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from bench.engine import KINDS, WorkerResult, _in_processes, _tasks_of, savepoint_statements
from bench.fixtures import CaseFixture

ADDRESS = "127.0.0.1"
RETURN_URL = "/services/"
LETTER = {"letter_number": "۱۲۳۴/۵۶", "letter_institution": "دفترخانه ۱۲"}
TRANSFER_KINDS = ("national_card", "ownership_deed", "notary_letter")


class Clock:
    """Seconds kept apart: the uploads' validation and re-encoding, and the certificate's
    PDF (its HTML with the QR code, and the renderer, here the recording one)."""

    def __init__(self) -> None:
        self.uploads = 0.0
        self.pdf = 0.0


def _timing_pdf(clock: Clock):
    """cases.certificates.services.render_pdf, its time added to `clock.pdf`."""
    from cases.certificates import services

    original = services.render_pdf

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clock.pdf += time.perf_counter() - began

    services.render_pdf = timed


def _in_lock(case, user, work=None, direction: str | None = None, complete: bool = False):
    """One POST to the case's open step: under the process lock, the user's open task read
    once with its process and case (as own_step_view reads it), `work(case)`, and (when
    `complete`) the step completed through its node's activation."""
    from cases.housekeeping import note_draft_activity
    from workflows.case_flow import CaseFlow
    from workflows.task_urls import OPEN

    with CaseFlow.lock(case.process_pk):
        task = (CaseFlow.task_class._default_manager
                .filter(process_id=case.process_pk, owner=user, status__in=OPEN).get())
        activation = task.flow_task.activation_class(task)
        activation.start(None)
        step_case = activation.process.case
        if step_case.is_draft:
            note_draft_activity(step_case)
        if work is not None:
            work(step_case)
        if complete:
            process = activation.process
            if direction is not None:
                process.data = {**process.data, "nav": direction}
                process.save(update_fields=["data"])
            activation.execute()


def _start(flow_class, citizen):
    from django.db import transaction

    from cases.drafts import start_draft

    node = flow_class.start
    with transaction.atomic():
        activation = node.activation_class.create(node, None, None)
        activation.start(SimpleNamespace(user=citizen))
        case = start_draft(flow_class.service, citizen)
        activation.process.case = case
        activation.execute()
    case.process_pk = activation.process.pk  # the lock's row, known from here on
    return case


def _property(case, citizen, fixture: CaseFixture) -> None:
    from cases.drafts import choose_property

    def search(c):
        assert choose_property(c, fixture.renovation_code, fixture.request_number).ok

    _in_lock(case, citizen, search)
    _in_lock(case, citizen, direction="next", complete=True)


def _documents(case, citizen, kinds, letter: dict, clock: Clock) -> None:
    import datetime

    from cases.documents.services import store_documents
    from cases.drafts import keep_letter
    from tests.support.files import jpeg_with_gps, upload

    def upload_all(c):
        keep_letter(c, **letter, letter_date=datetime.date(2026, 11, 11))
        rows = [(kind, upload(f"doc{i}.jpg", jpeg_with_gps(size=(320 + i, 240))))
                for i, kind in enumerate(kinds)]
        began = time.perf_counter()
        stored, errors = store_documents(c, rows, citizen)
        clock.uploads += time.perf_counter() - began
        assert not errors and len(stored) == len(kinds), errors

    _in_lock(case, citizen, upload_all)
    _in_lock(case, citizen, lambda c: keep_letter(c, **letter), "next", complete=True)


def _appointment(case, citizen, phone: str) -> None:
    from cases.appointments import availability, services as appointments
    from cases.drafts import keep_contact_phone
    from cases.phone_codes.services import check_code, send_code
    from tests.support.transfer_driver import latest_code

    _in_lock(case, citizen, lambda c: send_code(c, phone, ADDRESS))

    def verify_and_hold(c):
        assert check_code(c, phone, latest_code(phone)).ok
        keep_contact_phone(c, phone)
        for starts_at in availability.free_times(c.property.district_id, case=c):
            try:
                appointments.hold(c, starts_at)
                return
            except appointments.SlotUnavailable:
                continue  # another worker's citizen took it first
        raise AssertionError("no free hour")

    _in_lock(case, citizen, verify_and_hold)
    _in_lock(case, citizen, direction="next", complete=True)


def _pay(case, citizen) -> None:
    from cases.payments.services import start_payment
    from cases.payments.settlement import handle_callback
    from cases.properties import refresh_debts
    from integrations.payments.sandbox.gateway import bank_decision, decide, read_callback

    refresh_debts(case)  # the fees page's own refresh
    payment = start_payment(case, citizen, RETURN_URL)
    decide(payment.gateway_token, "pay")
    handle_callback(read_callback(bank_decision(payment.gateway_token, "pay")), citizen)


def drive_transfer(fixture: CaseFixture, citizen, clock: Clock) -> int:
    from cases.models import Case, CaseStatus
    from cases.payments.advance import settle_fees
    from cases.registration import record_inspection, register_transfer
    from flows.transfer_flow import TransferFlow

    case = _start(TransferFlow, citizen)
    _property(case, citizen, fixture)
    _documents(case, citizen, TRANSFER_KINDS, {**LETTER, "applicant_role": "owner"}, clock)
    _appointment(case, citizen, fixture.phone)
    _in_lock(case, citizen, lambda c: register_transfer(c, citizen), "next", complete=True)
    # The visit is the booked slot's inspector's task (their inbox lists it).
    inspector = case.appointments.select_related("slot__inspector").get().slot.inspector
    _in_lock(case, inspector,
             lambda c: record_inspection(c, inspector, approved=True), complete=True)
    _pay(Case.objects.get(pk=case.pk), citizen)
    _in_lock(case, citizen, lambda c: settle_fees(c, by=citizen), "next", complete=True)
    _in_lock(case, citizen, direction="next", complete=True)  # issuance: the Handle issues
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED, case.status
    return case.pk


def drive_inquiry(fixture: CaseFixture, citizen, clock: Clock) -> int:
    from cases.models import Case, CaseStatus
    from cases.registration import register_inquiry
    from flows.inquiry_flow import InquiryFlow

    case = _start(InquiryFlow, citizen)
    _property(case, citizen, fixture)
    _in_lock(case, citizen, direction="next", complete=True)  # the records
    _documents(case, citizen, ("inquiry_letter",), LETTER, clock)
    _pay(Case.objects.get(pk=case.pk), citizen)
    _in_lock(case, citizen, lambda c: register_inquiry(c, citizen), "next", complete=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED, case.status
    return case.pk


DRIVERS = {"transfer": drive_transfer, "inquiry": drive_inquiry}


def _worker(args) -> WorkerResult:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kind, (warm_up, *fixtures) = args
    users = get_user_model().objects.in_bulk([f.username for f in (warm_up, *fixtures)],
                                             field_name="username")
    # One case untimed first: imports, compiled templates and fonts are not the engine's.
    DRIVERS[kind](warm_up, users[warm_up.username], Clock())
    clock = Clock()
    _timing_pdf(clock)  # this worker process only
    ids, queries, savepoints = [], [], []
    started = time.perf_counter()
    cpu = time.process_time()
    for fixture in fixtures:
        with CaptureQueriesContext(connection) as captured:
            ids.append(DRIVERS[kind](fixture, users[fixture.username], clock))
        queries.append(len(captured))
        savepoints.append(savepoint_statements(captured))
    finished = time.perf_counter()
    result = WorkerResult(ids, queries, started, finished, savepoints)
    result.uploads, result.pdf = clock.uploads, clock.pdf
    result.cpu = time.process_time() - cpu
    connection.close()
    return result


def run(fixtures: list[CaseFixture], cases_per_worker: int, repeats: int,
        workers: int = 2) -> dict:
    """Per kind: `repeats` measurements of `workers` processes, each on fresh fixtures."""
    from django.conf import settings

    from tests.support.certificates import RECORDING_RENDERER

    pool = iter(fixtures)
    runs: dict = {}
    kept = getattr(settings, "PDF_RENDERER", None)
    settings.PDF_RENDERER = RECORDING_RENDERER
    try:
        for _ in range(repeats):
            for kind in KINDS:
                jobs = [(kind, [next(pool) for _ in range(cases_per_worker + 1)])
                        for _ in range(workers)]
                results = _in_processes(_worker, jobs)
                wall = max(r.finished for r in results) - min(r.started for r in results)
                ids = [i for r in results for i in r.case_ids]
                tasks = _tasks_of(ids)
                apart = sum(r.uploads + r.pdf for r in results) / workers
                runs.setdefault(kind, []).append({
                    "cases": len(ids), "tasks": tasks, "seconds": wall,
                    "cases_per_s": len(ids) / wall, "tasks_per_s": tasks / wall,
                    # The engine's own: the uploads' re-encoding and the PDF left out.
                    "engine_cases_per_s": len(ids) / (wall - apart),
                    "engine_tasks_per_s": tasks / (wall - apart),
                    "upload_ms_per_case": 1000 * sum(r.uploads for r in results) / len(ids),
                    "pdf_ms_per_case": 1000 * sum(r.pdf for r in results) / len(ids),
                    "cpu_ms_per_case": 1000 * sum(r.cpu for r in results) / len(ids),
                    "queries_per_case": sum(q for r in results for q in r.queries) / len(ids),
                    "savepoints_per_case":
                        sum(q for r in results for q in r.savepoints) / len(ids),
                })
    finally:
        if kept is None:
            del settings.PDF_RENDERER
        else:
            settings.PDF_RENDERER = kept
    return {"runs": runs, "workers": workers, "cases_per_worker": cases_per_worker,
            "repeats": repeats}


def fixtures_needed(cases_per_worker: int, repeats: int, workers: int = 2) -> int:
    return repeats * workers * len(KINDS) * (cases_per_worker + 1)
