from celery import shared_task

from . import housekeeping


@shared_task(name="cases.send_visit_reminders")
def send_visit_reminders() -> int:
    return housekeeping.send_visit_reminders()


@shared_task(name="cases.purge_drafts")
def purge_drafts() -> int:
    return housekeeping.purge_drafts()


@shared_task(name="workflows.fire_due_timers")
def fire_due_timers() -> int:
    """viewflow's flow.Timer tasks whose time has come (the Celery target viewflow's
    docs name is not in the open wheel, so beat calls the dispatcher through this)."""
    from viewflow.workflow.timers import fire_due_timers as fire

    return fire()
