"""Messages a worker lost (or never got) are swept up and sent, once."""

import datetime
import socket

import pytest
import time_machine
from django.utils import timezone

from cases.notifications import notify
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.sms.sending import sweep
from tests.support.factories import CaseFactory

from .broker import using_broker

pytestmark = pytest.mark.django_db
PHONE = "09121234567"
LATER = datetime.timedelta(minutes=10)


def lost_message(**fields) -> OutboxMessage:
    """Written and committed, but its task never reached a worker."""
    return OutboxMessage.objects.create(
        to=PHONE, body="متن", kind="case_registered", idempotency_key="lost", **fields)


def test_a_message_left_queued_is_swept_and_sent_once(twilio):
    message = lost_message()
    assert sweep() == 0  # not overdue yet: its task may still be on its way
    with time_machine.travel(timezone.now() + LATER):
        assert sweep() == 1
        assert sweep() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(twilio.messages) == 1


def test_a_message_waiting_for_its_retry_is_not_swept(twilio):
    lost_message(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert sweep() == 0
    assert twilio.messages == []


@pytest.mark.parametrize("twilio_got_it", [True, False])
def test_a_worker_that_died_mid_send_is_swept_without_a_second_send(twilio, twilio_got_it):
    message = lost_message()
    message.claim()
    message.save()  # the worker claimed it, then died while Twilio answered (or not)
    if twilio_got_it:
        from integrations.backends import load
        from django.conf import settings

        load(settings.SMS_BACKEND).client.messages.create(
            to="+989121234567", body="متن", from_="+15005550006")
    with time_machine.travel(timezone.now() + LATER):
        assert sweep() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(twilio.messages) == 1
    assert message.provider_id == twilio.messages[0]["sid"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_broker_down_at_commit_delays_the_message_but_loses_nothing(
    twilio, django_capture_on_commit_callbacks
):
    """The outage this service must survive, in-process: the broker is unreachable when the case
    commits; the request still succeeds; after recovery the sweep delivers it once and
    the case timeline shows it once."""
    case = CaseFactory(contact_phone=PHONE)
    case.register()
    case.save_registration()
    with using_broker(f"redis://127.0.0.1:{closed_port()}/1"):
        with django_capture_on_commit_callbacks(execute=True):
            message = notify(case, "inspection_approved")
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert twilio.messages == []
    with time_machine.travel(timezone.now() + LATER), \
            django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
        sweep()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(twilio.messages) == 1
    assert case.events.filter(name="sms_sent").count() == 1
