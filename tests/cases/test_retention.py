"""Data retention (cases/retention.py, `manage.py apply_retention`)."""

from __future__ import annotations

import datetime
import io
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from cases.documents.kinds import DocumentKind
from cases.documents.models import CaseDocument
from cases.file_deletions import sweep_file_deletions
from cases.models import Case, CaseEvent, CaseStatus
from cases.retention import SMS_BODY_REMOVED, apply_retention
from cases.phone_codes.services import send_code
from integrations.sms.models import MessageStatus, OutboxMessage
from tests.support.factories import CaseFactory, UserFactory
from tests.support.files import past_backup_window

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def with_document(case: Case) -> CaseDocument:
    return CaseDocument.objects.create(
        case=case, kind=DocumentKind.choices[0][0], file=ContentFile(b"jpeg", name="a.jpg"),
        original_name="سند.jpg", content_type="image/jpeg", size=4, sha256="ab" * 32,
        uploaded_by=case.citizen,
    )


def closed_days_ago(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - days * DAY)
    case.refresh_from_db()
    return case


def cancelled(days_ago: int) -> Case:
    case = CaseFactory(advanced_to="registered")
    case.cancel(reason="درخواست مالک")
    case.save()
    return closed_days_ago(case, days_ago)


def test_documents_of_long_closed_cases_lose_their_files_and_say_so(
    settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_CLOSED_CASE_DOCUMENTS_DAYS = 30
    archived = closed_days_ago(CaseFactory(advanced_to="archived"), 31)
    old_cancelled = cancelled(40)
    recent = closed_days_ago(CaseFactory(advanced_to="archived"), 29)
    purged = [with_document(archived), with_document(archived), with_document(old_cancelled)]
    kept = with_document(recent)
    paths = [d.file.path for d in purged]

    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention()

    assert (report.documents_purged, report.cases_touched) == (3, 2)
    for document, path in zip(purged, paths, strict=True):
        document.refresh_from_db()
        assert document.file.name == ""
        assert (document.original_name, document.sha256) == ("سند.jpg", "ab" * 32)
        assert os.path.exists(path)  # until the backup window has passed
    assert sweep_file_deletions(now=past_backup_window()) == 3
    assert not any(os.path.exists(path) for path in paths)
    kept.refresh_from_db()
    assert kept.file.storage.exists(kept.file.name)
    event = CaseEvent.objects.get(case=archived, name="documents_purged")
    assert event.data["retention_days"] == 30
    assert sorted(d["id"] for d in event.data["documents"]) == sorted(
        d.pk for d in purged[:2])
    # A second run finds nothing more to do.
    assert apply_retention().documents_purged == 0
    assert CaseEvent.objects.filter(name="documents_purged").count() == 2


@pytest.mark.parametrize("status", ["registered", "inspection_approved", "fees_settled",
                                    "issued"])
def test_open_cases_are_never_touched_however_old(settings, status):
    settings.RETENTION_CLOSED_CASE_DOCUMENTS_DAYS = 0
    case = CaseFactory(advanced_to=status)
    # Even a stray closed_at far in the past does not make an open case closed.
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - 999 * DAY,
                                           created_at=timezone.now() - 999 * DAY,
                                           last_activity_at=timezone.now() - 999 * DAY)
    document = with_document(case)
    apply_retention()
    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)
    assert Case.objects.filter(pk=case.pk, status=status).exists()
    assert not CaseEvent.objects.filter(name="documents_purged").exists()


def test_old_drafts_go_through_the_draft_purge(settings):
    settings.DRAFT_RETENTION_DAYS = 14
    idle_draft, new_draft, worked_on = CaseFactory(), CaseFactory(), CaseFactory()
    Case.objects.filter(pk=idle_draft.pk).update(
        created_at=timezone.now() - 15 * DAY, last_activity_at=timezone.now() - 15 * DAY)
    # Started long ago, but its citizen took a step yesterday: kept.
    Case.objects.filter(pk=worked_on.pk).update(
        created_at=timezone.now() - 40 * DAY, last_activity_at=timezone.now() - DAY)
    assert apply_retention().drafts_deleted == 1
    assert sorted(Case.objects.values_list("pk", flat=True)) == [new_draft.pk, worked_on.pk]


def message(kind: str, status: str, age: datetime.timedelta, body: str = "متن") -> OutboxMessage:
    created = OutboxMessage.objects.create(
        to="09121234567", body=body, kind=kind, status=status,
        idempotency_key=f"{kind}:{status}:{age.total_seconds()}")
    OutboxMessage.objects.filter(pk=created.pk).update(created_at=timezone.now() - age)
    return created


def test_sms_bodies_are_removed_once_final_and_old(settings):
    settings.RETENTION_SMS_BODY_DAYS = 30
    old_sent = message("case_registered", MessageStatus.DELIVERED, 31 * DAY)
    old_failed = message("case_registered", MessageStatus.FAILED, 31 * DAY)
    old_queued = message("case_registered", MessageStatus.QUEUED, 31 * DAY)  # still to send
    recent = message("case_registered", MessageStatus.DELIVERED, 29 * DAY)
    assert apply_retention().sms_bodies_removed == 2
    for row, removed in ((old_sent, True), (old_failed, True), (old_queued, False),
                         (recent, False)):
        row.refresh_from_db()
        assert (row.body == SMS_BODY_REMOVED) is removed
        assert row.status in MessageStatus.values  # the state machine is left as it was
    assert apply_retention().sms_bodies_removed == 0


def test_no_verification_code_survives_in_the_outbox(settings):
    settings.RETENTION_SMS_CODE_BODY_HOURS = 1
    case = CaseFactory(advanced_to="registered")
    assert send_code(case, "09121234567", "10.0.0.1").ok
    row = OutboxMessage.objects.get(kind="verification_code")
    code = re.search(r"[0-9۰-۹]{4,}", row.body)[0]
    if row.status == MessageStatus.QUEUED:
        row.claim()
        row.save()
        row.mark_sent("provider-1")
        row.save()
    OutboxMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2))
    assert apply_retention().sms_bodies_removed == 1
    stored = OutboxMessage.objects.filter(pk=row.pk).values().get()
    assert not [name for name, value in stored.items() if code in str(value)]


def test_the_command_reports_what_it_did(settings):
    settings.DRAFT_RETENTION_DAYS = 1
    Case.objects.filter(pk=CaseFactory().pk).update(last_activity_at=timezone.now() - 2 * DAY)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "drafts_deleted: 1" in out.getvalue()
    assert "sms_bodies_removed: 0" in out.getvalue()


def test_beat_runs_retention_daily_through_a_registered_task(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["cases-apply-retention"]
    assert entry["schedule"] == 24 * 60 * 60.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    UserFactory()
    assert app.tasks[entry["task"]].apply().get() == {
        "drafts_deleted": 0, "documents_purged": 0, "cases_touched": 0,
        "sms_bodies_removed": 0, "account_codes_deleted": 0}


def test_account_code_rows_go_after_a_day_an_appointments_stays_with_its_case():
    from cases.phone_codes.models import PhoneVerification, Purpose
    from cases.phone_codes.services import send_account_code

    now = timezone.now()
    case = CaseFactory(advanced_to="registered")
    send_code(case, "09120000011", "203.0.113.9", now=now - 3 * DAY)
    person = UserFactory()
    send_account_code(Purpose.LOGIN, "09120000012", "203.0.113.9", person, now=now - 2 * DAY)
    send_account_code(Purpose.RESET, "09120000013", "203.0.113.9", now=now - 2 * DAY)
    send_account_code(Purpose.MOBILE, "09120000014", "203.0.113.9", person,
                      now=now - datetime.timedelta(hours=2))

    report = apply_retention(now=now)

    assert report.account_codes_deleted == 2
    kept = set(PhoneVerification.objects.values_list("purpose", "phone"))
    assert kept == {(Purpose.APPOINTMENT, "09120000011"), (Purpose.MOBILE, "09120000014")}
    assert apply_retention(now=now).account_codes_deleted == 0
