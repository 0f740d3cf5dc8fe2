"""Periodic work for appointments (scheduled by Celery beat)."""

from celery import shared_task

from . import services


@shared_task(name="appointments.expire_holds")
def expire_appointment_holds() -> int:
    """Release holds whose time ran out; safe to run at any moment, any number of times."""
    return services.expire_holds()
