"""Periodic work: visit reminders the day before, and the purge of abandoned drafts."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from cases.documents.models import CaseDocument
from cases.file_deletions import sweep_file_deletions
from cases.housekeeping import purge_drafts, send_visit_reminders
from cases.models import Case, CaseStatus
from integrations.sms.models import OutboxMessage
from tests.support.clients import logged_in
from tests.support.files import past_backup_window
from tests.support.transfer_driver import A, PHONE, CitizenDriver

pytestmark = pytest.mark.django_db(transaction=True)



def test_reminder_goes_the_day_before_and_only_once(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    case = Case.objects.get()
    visit = case.appointments.get().slot.starts_at
    two_days_before = visit - datetime.timedelta(days=2)
    with time_machine.travel(two_days_before):
        assert send_visit_reminders() == 0
    day_before = timezone.localtime(visit) - datetime.timedelta(days=1, hours=1)
    with time_machine.travel(day_before):
        assert send_visit_reminders() == 1
        send_visit_reminders()  # the periodic task runs again: no second SMS
    reminders = OutboxMessage.objects.filter(to=PHONE, kind="visit_reminder")
    assert reminders.count() == 1
    assert "فردا" in reminders.get().body
    assert case.events.filter(name="sms_queued").exists()


def test_old_drafts_are_purged_with_process_tasks_and_files(demo, _private_files):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.upload_documents(citizen.until_documents(A))
    draft = Case.objects.get()
    files = [_private_files / d.file.name for d in draft.documents.all()]
    assert all(f.exists() for f in files) and len(files) == 3
    process_pk = draft.process.pk

    registered = CitizenDriver(logged_in("citizen2"))
    registered.step(registered.until_confirm(A, phone="09121110002"), "تایید و ثبت")

    assert purge_drafts() == 0  # too young
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        call_command("purge_drafts")
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not Process.objects.filter(pk=process_pk).exists()
    assert not Task.objects.filter(process_id=process_pk).exists()
    assert not CaseDocument.objects.filter(case_id=draft.pk).exists()
    assert all(f.exists() for f in files)  # kept through the backup window
    # Marked 15 days ahead (the travel above): the window runs from then.
    later = past_backup_window() + datetime.timedelta(days=15)
    assert sweep_file_deletions(now=later) == 3
    assert not any(f.exists() for f in files)
    assert Case.objects.get().status == CaseStatus.REGISTERED  # never a registered case
