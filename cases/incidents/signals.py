"""A cancelled case closes its incidents: there is nothing of it left to retry.

On the case's save, not its transition: a transition that loses a race (ConcurrentTransition
at save) must close nothing, and the save is where it is known to have happened.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from cases.models import Case, CaseStatus

from .services import close_for_cancelled_case


def _case_saved(sender, instance: Case, **kwargs) -> None:
    if instance.status == CaseStatus.CANCELLED:
        close_for_cancelled_case(instance)


def connect() -> None:
    post_save.connect(_case_saved, sender=Case, dispatch_uid="incidents.case_cancelled")
