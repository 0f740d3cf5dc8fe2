from celery import shared_task

from . import housekeeping


@shared_task(name="cases.send_visit_reminders")
def send_visit_reminders() -> int:
    return housekeeping.send_visit_reminders()


@shared_task(name="cases.purge_drafts")
def purge_drafts() -> int:
    return housekeeping.purge_drafts()
