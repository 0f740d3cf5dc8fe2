"""The clerks' admin of the registry and calendars (cases/admin.py)."""

import pytest

from cases.models import InspectionSlot
from tests.support.clients import logged_in
from tests.support.transfer_driver import register_transfer

pytestmark = pytest.mark.django_db


def test_a_booked_hour_cannot_be_moved_in_the_admin(demo):
    """Only appointments.reschedule moves a booked visit (it texts the citizen and moves
    the visit on the inspector's list); the admin shows the slot's hour read-only."""
    case = register_transfer("citizen")
    booked = case.appointments.get().slot
    free = InspectionSlot.objects.exclude(appointments__status__in=["held", "booked"]).first()
    client = logged_in("clerk")

    page = client.get(f"/admin/cases/inspectionslot/{booked.pk}/change/")
    assert page.status_code == 200
    assert 'name="starts_at_0"' not in page.content.decode()
    client.post(f"/admin/cases/inspectionslot/{booked.pk}/change/", {
        "inspector": booked.inspector_id, "starts_at_0": "2030-01-01", "starts_at_1": "10:00",
        "ends_at_0": "2030-01-01", "ends_at_1": "11:00"})
    booked.refresh_from_db()
    assert booked.starts_at == case.appointments.get().slot.starts_at
    assert booked.starts_at.year != 2030

    assert 'name="starts_at_0"' in client.get(
        f"/admin/cases/inspectionslot/{free.pk}/change/").content.decode()
