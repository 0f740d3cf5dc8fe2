"""A text given up after its retries becomes an incident; «تلاش دوباره» sends it and the
incident closes."""

from __future__ import annotations

import pytest

from cases.incidents import services
from cases.incidents.models import Incident, IncidentKind, IncidentStatus
from cases.notifications import notify
from integrations.backends import load as backend_loader
from integrations.sms.base import SendResult, SmsBackend, SmsSendError
from integrations.sms.models import MessageStatus, OutboxMessage
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(SmsBackend):
    down = True
    sent: list[int] = []

    def send(self, message) -> SendResult:
        if FlakyBackend.down:
            raise SmsSendError("provider unreachable")
        FlakyBackend.sent.append(message.pk)
        return SendResult(provider_id=f"flaky-{message.pk}", status="sent")


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = f"{__name__}.FlakyBackend"
    settings.SMS_RETRY_BASE_SECONDS = 0.01
    FlakyBackend.down, FlakyBackend.sent = True, []
    backend_loader.cache_clear()
    yield FlakyBackend
    backend_loader.cache_clear()


def test_a_text_given_up_is_an_incident_and_a_retry_sends_it(flaky, django_capture_on_commit_callbacks):
    case = CaseFactory(advanced_to="registered", contact_phone="09121234567")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(case, "inspection_approved")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    incident = Incident.objects.get(kind=IncidentKind.SMS_FAILED)
    assert (incident.subject, incident.case_id) == (f"sms:{message.pk}", case.pk)
    assert "provider unreachable" in incident.error

    flaky.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry(incident.pk, None)
    assert flaky.sent == [message.pk]
    message.refresh_from_db()
    incident.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert incident.status == IncidentStatus.RESOLVED


def test_a_text_sent_at_once_opens_nothing(flaky, django_capture_on_commit_callbacks):
    flaky.down = False
    case = CaseFactory(advanced_to="registered", contact_phone="09121234567")
    with django_capture_on_commit_callbacks(execute=True):
        notify(case, "inspection_approved")
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert not Incident.objects.exists()
