"""The Twilio backend through the real `twilio` client, against a stand-in of its API."""

import pytest
from twilio.request_validator import RequestValidator

from cases.notifications import notify
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.sms.outbox import enqueue
from tests.support.factories import CaseFactory

from .fake_twilio import AUTH_TOKEN

pytestmark = pytest.mark.django_db
PHONE = "09121234567"


def send(django_capture_on_commit_callbacks, body="متن آزمایشی") -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(PHONE, body, "case_registered", correlation="case:1")
    message.refresh_from_db()
    return message


def test_a_message_goes_through_twilios_messages_api(twilio, django_capture_on_commit_callbacks):
    message = send(django_capture_on_commit_callbacks)
    (sent,) = twilio.messages
    assert sent["to"] == "+989121234567" and sent["body"] == "متن آزمایشی"
    assert sent["from"] == "+15005550006"
    assert sent["status_callback"] == (
        f"https://eservices.example.ir/sms/twilio/{message.pk}/status/")
    assert message.status == MessageStatus.SENT
    assert message.provider_id == sent["sid"] and message.provider_id.startswith("SM")
    assert message.provider_status == "queued"


def test_a_messaging_service_replaces_the_sender(twilio, settings,
                                                 django_capture_on_commit_callbacks):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "b" * 32
    send(django_capture_on_commit_callbacks)
    assert twilio.messages[0]["messaging_service_sid"] == "MG" + "b" * 32


def test_provider_errors_then_success_send_exactly_once(twilio, django_capture_on_commit_callbacks):
    twilio.fail_next = 2
    message = send(django_capture_on_commit_callbacks)
    assert len(twilio.messages) == 1
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert "twilio 500 20500" in message.last_error
    assert message.provider_id == twilio.messages[0]["sid"]


def test_a_lost_reply_is_found_at_twilio_and_not_sent_again(
    twilio, django_capture_on_commit_callbacks
):
    twilio.lose_next = 1  # Twilio took the message but its answer never arrived
    message = send(django_capture_on_commit_callbacks)
    assert len(twilio.messages) == 1
    assert message.status == MessageStatus.SENT
    assert message.provider_id == twilio.messages[0]["sid"]
    assert ("GET", f"/2010-04-01/Accounts/{twilio.messages[0]['account_sid']}/Messages.json") \
        in twilio.requests


def test_a_refusal_for_good_fails_at_once(twilio, django_capture_on_commit_callbacks):
    twilio.reject_next = 1
    message = send(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "21610" in message.last_error
    assert twilio.messages == []


def test_twilio_unreachable_is_retried_then_failed(settings, twilio,
                                                   django_capture_on_commit_callbacks):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    from integrations.backends import load

    load.cache_clear()
    message = send(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == settings.SMS_MAX_ATTEMPTS
    assert "twilio unreachable" in message.last_error


# --- delivery receipts -------------------------------------------------------------


def receipt(client, message, status, sid=None, token=AUTH_TOKEN, signature=None, **extra):
    path = f"/sms/twilio/{message.pk}/status/"
    params = {"MessageSid": sid or message.provider_id, "MessageStatus": status,
              "AccountSid": "AC" + "a" * 32, "To": "+989121234567", **extra}
    url = "https://eservices.example.ir" + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(path, params, **headers)


@pytest.fixture
def case_message(twilio, django_capture_on_commit_callbacks):
    case = CaseFactory(contact_phone=PHONE)
    case.register()
    case.save_registration()
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(case, "inspection_approved")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    return case, message


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None])
def test_a_receipt_without_twilios_signature_is_refused(client, case_message, signature,
                                                        django_capture_on_commit_callbacks):
    case, message = case_message
    token = "someone-elses-token" if signature is None else AUTH_TOKEN
    with django_capture_on_commit_callbacks(execute=True):
        response = receipt(client, message, "delivered", token=token, signature=signature)
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not case.events.filter(name="sms_delivered").exists()


def test_a_signed_receipt_moves_the_status_onto_the_timeline(client, case_message,
                                                             django_capture_on_commit_callbacks):
    case, message = case_message
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, message, "delivered").status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert case.events.get(name="sms_delivered").data["message_id"] == message.pk
    # A late "sent" after "delivered" moves nothing back.
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, message, "sent").status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_an_undelivered_receipt_keeps_twilios_error(client, case_message,
                                                    django_capture_on_commit_callbacks):
    case, message = case_message
    with django_capture_on_commit_callbacks(execute=True):
        receipt(client, message, "undelivered", ErrorCode="30003")
    message.refresh_from_db()
    assert message.status == MessageStatus.UNDELIVERED
    assert case.events.get(name="sms_undelivered").data["error"] == "twilio 30003"


def test_a_receipt_for_another_message_sid_changes_nothing(client, case_message):
    case, message = case_message
    assert receipt(client, message, "failed", sid="SM" + "f" * 32).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_receipt_that_overtakes_our_own_record_is_kept(twilio, client):
    """Twilio may call back before our transaction saved the sid: the receipt wins and
    the worker then leaves the message alone."""
    from integrations.sms.sending import _sent
    from integrations.sms.base import SendResult

    message = OutboxMessage.objects.create(to=PHONE, body="x", kind="case_registered",
                                           idempotency_key="race")
    message.claim()
    message.save()
    stale = OutboxMessage.objects.get(pk=message.pk)
    receipt(client, message, "delivered", sid="SM" + "c" * 32)
    _sent(stale, SendResult("SM" + "c" * 32, "queued"))
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.provider_id == "SM" + "c" * 32


def test_the_webhook_takes_only_post(client, case_message):
    assert client.get(f"/sms/twilio/{case_message[1].pk}/status/").status_code == 405
