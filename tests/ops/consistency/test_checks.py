"""check_consistency's parts on their own: what counts as a mismatch, what does not."""

from __future__ import annotations

import datetime
import hashlib
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.documents.kinds import MIN_IMAGES
from cases.documents.models import CaseDocument
from cases.storage import private_storage
from integrations.sms.models import OutboxMessage
from ops.consistency.report import Share
from ops.consistency.run import check_consistency, check_consistency_nightly, tonights_share
from tests.support.factories import CaseFactory
from tests.support.files import CaseDocumentFactory
from tests.support.transfer_driver import register_a_case_for_today

pytestmark = pytest.mark.django_db
NOW = timezone.now()
GONE = "flows/transfer_flow.TransferFlow.legal_review"  # a step no version has


def stored_document() -> CaseDocument:
    """A document whose row records its file's true hash (the factory's is a dummy)."""
    document = CaseDocumentFactory()
    with private_storage().open(document.file.name, "rb") as stored:
        document.sha256 = hashlib.sha256(stored.read()).hexdigest()
    document.save(update_fields=["sha256"])
    return document


def kinds(report) -> list[str]:
    return sorted(what for what, _ in report.mismatches)


def test_every_file_is_listed_but_only_the_share_is_re_hashed():
    documents = [stored_document() for _ in range(4)]
    assert check_consistency(now=NOW).ok
    for document in documents:  # same size, other bytes: only a re-hash can tell
        with private_storage().open(document.file.name, "rb") as stored:
            size = len(stored.read())
        private_storage().delete(document.file.name)
        private_storage().save(document.file.name, ContentFile(b"\0" * size))
    changed = [d for d in documents if Share(1, 2).holds(d.pk)]

    report = check_consistency(Share(1, 2), now=NOW)

    assert report.checked["documents"] == 4
    assert report.checked["documents re-hashed"] == len(changed)
    assert kinds(report) == ["document hash differs"] * len(changed)
    named = sorted(int(message.split()[1]) for _, message in report.mismatches)
    assert named == sorted(d.pk for d in changed)


def test_a_message_left_queued_past_its_sweep_is_stuck_a_fresh_one_is_not(settings):
    settings.CONSISTENCY_SMS_LATE_SECONDS = 3600
    old = NOW - datetime.timedelta(hours=2)
    stuck = OutboxMessage.objects.create(to="09120000001", body="x", kind="test",
                                         idempotency_key="a", created_at=old)
    OutboxMessage.objects.create(to="09120000002", body="x", kind="test",
                                 idempotency_key="b", created_at=NOW)
    report = check_consistency(now=NOW)
    assert report.mismatches == [("sms stuck", f"sms {stuck.pk} is still queued, "
                                               f"written {old:%F %T}")]
    assert report.checked["sms unsent"] == 2


def test_the_command_prints_counts_and_exits_non_zero_on_a_mismatch(capsys):
    document = stored_document()
    call_command("check_consistency")
    assert "mismatches: 0" in capsys.readouterr().out
    private_storage().delete(document.file.name)
    with pytest.raises(SystemExit) as exit_code:
        call_command("check_consistency")
    out = capsys.readouterr().out
    assert exit_code.value.code == 1
    assert f"MISMATCH document file missing: document {document.pk} " in out
    assert "checked documents: 1" in out and "mismatches: 1" in out


def test_the_nightly_share_covers_every_row_within_its_nights():
    nights = 7
    first = datetime.date(2026, 12, 6)
    shares = [tonights_share(first + datetime.timedelta(days=n), nights) for n in range(nights)]
    assert sorted(s.part for s in shares) == list(range(nights))
    assert all(sum(s.holds(pk) for s in shares) == 1 for pk in range(100))


def test_an_open_task_at_a_step_no_flow_has_is_a_mismatch(demo):
    case = register_a_case_for_today()
    task = Task.objects.get(process=case.process, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    assert check_consistency(now=NOW).ok
    Task.objects.filter(pk=task.pk).update(flow_task=GONE)
    report = check_consistency(now=NOW)
    assert report.mismatches == [("open task at a vanished step",
                                  f"task {task.pk} (case {case.pk}) waits at {GONE}, "
                                  "in no loaded flow")]


def test_a_registered_case_lacking_its_documents_is_a_mismatch():
    case = CaseFactory(advanced_to="registered")
    for _ in range(MIN_IMAGES - 1):
        CaseDocumentFactory(case=case)
    CaseFactory()  # a draft may hold none
    report = check_consistency(now=NOW)
    assert ("documents missing", f"case {case.pk} is registered with {MIN_IMAGES - 1} "
            "document(s), fewer than its step requires") in report.mismatches
    assert ("case without process", f"case {case.pk} has no workflow process"
            ) in report.mismatches
    assert report.checked["registered cases"] == 1


def test_the_nightly_run_logs_each_mismatch_and_the_counts(caplog, settings):
    settings.CONSISTENCY_REHASH_NIGHTS = 1  # tonight's share is everything
    document = stored_document()
    private_storage().delete(document.file.name)
    with caplog.at_level(logging.INFO, logger="ops.consistency.run"):
        assert check_consistency_nightly() == 1
    [error] = [r for r in caplog.records if r.getMessage() == "consistency_mismatch"]
    assert error.levelno == logging.ERROR and error.check == "document file missing"
    [summary] = [r for r in caplog.records if r.getMessage() == "consistency_checked"]
    assert summary.checked_documents == 1 and summary.mismatched_document_file_missing == 1
