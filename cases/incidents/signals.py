"""A cancelled case closes its incidents: there is nothing of it left to retry."""

from __future__ import annotations

from django_fsm.signals import post_transition

from cases.models import Case

from .services import close_for_cancelled_case


def _case_cancelled(sender, instance: Case, name: str, **kwargs) -> None:
    if name == "cancel":
        close_for_cancelled_case(instance)


def connect() -> None:
    post_transition.connect(_case_cancelled, sender=Case, dispatch_uid="incidents.case_cancelled")
