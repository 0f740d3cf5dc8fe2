"""The SMS outbox: written with the change, sent after commit, at most once, retried."""

import datetime
import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.persian import to_persian_digits
from integrations.sms.backends.outbox import OutboxOnlyBackend
from integrations.sms.base import SendResult, SmsBackend, SmsSendError
from integrations.sms.models import MessageStatus, OutboxMessage
from integrations.sms.outbox import enqueue
from integrations.backends import load as _backend
from integrations.sms.loader import get_backend
from integrations.sms.signals import sms_status_changed
from integrations.sms.tasks import send_outbox_message
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "09121234567"


class RecordingBackend(SmsBackend):
    """Records every call; fails the first `failures` calls, optionally slowly."""

    calls: list[int] = []
    failures = 0
    delay = 0.0

    def send(self, message) -> SendResult:
        type(self).calls.append(message.pk)
        time.sleep(self.delay)
        if len(type(self).calls) <= type(self).failures:
            raise SmsSendError("provider unreachable")
        return SendResult(provider_id=f"rec-{message.pk}", status="queued")


@pytest.fixture
def recording(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.calls, RecordingBackend.failures, RecordingBackend.delay = [], 0, 0.0
    _backend.cache_clear()
    yield RecordingBackend
    _backend.cache_clear()


@pytest.fixture
def status_changes():
    seen = []

    def listener(sender, message, previous, **kwargs):
        seen.append((message.pk, previous, message.status))

    sms_status_changed.connect(listener)
    yield seen
    sms_status_changed.disconnect(listener)


def test_the_default_backend_is_the_outbox_itself(django_capture_on_commit_callbacks):
    _backend.cache_clear()
    assert isinstance(get_backend(), OutboxOnlyBackend)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(PHONE, "سلام", "case_registered", correlation="case:7")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == f"outbox-{message.pk}"
    assert message.sent_at is not None


def test_a_message_is_sent_only_after_its_transaction_commits(
    recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = enqueue(PHONE, "متن", "case_registered")
        assert recording.calls == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert recording.calls == [message.pk]


def test_a_message_written_in_a_rolled_back_transaction_is_never_sent(
    recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(PHONE, "متن", "case_registered")
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert recording.calls == []
    assert not OutboxMessage.objects.exists()


def test_the_same_idempotency_key_gives_the_same_message_and_one_send(
    recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(PHONE, "یک", "case_registered", idempotency_key="case_registered:1:")
        second = enqueue(PHONE, "دو", "case_registered", idempotency_key="case_registered:1:")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert recording.calls == [first.pk]


@pytest.mark.parametrize("to", ["+989121234567", "9121234567", "۰۹۱۲۱۲۳۴۵۶۷", "0212345678"])
def test_the_outbox_takes_only_the_normal_mobile_form(to):
    with pytest.raises(ValidationError):
        enqueue(to, "متن", "case_registered")
    assert not OutboxMessage.objects.exists()


def test_status_cannot_be_assigned_directly():
    message = enqueue(PHONE, "متن", "case_registered")
    with pytest.raises(AttributeError):
        message.status = MessageStatus.DELIVERED


def test_a_redelivered_task_does_not_send_twice(
    recording, status_changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(PHONE, "متن", "case_registered")
    assert recording.calls == [message.pk]
    assert send_outbox_message.delay(message.pk).get() == MessageStatus.SENT
    assert send_outbox_message.apply(args=[message.pk]).get() == MessageStatus.SENT
    assert recording.calls == [message.pk]
    # The claim (queued → sending) is internal and not announced; the send is, once.
    assert status_changes == [(message.pk, MessageStatus.SENDING, MessageStatus.SENT)]


def test_provider_errors_are_retried_and_recorded(recording, django_capture_on_commit_callbacks):
    recording.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(PHONE, "متن", "case_registered")
    message.refresh_from_db()
    assert recording.calls == [message.pk] * 3
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == "provider unreachable"
    assert message.provider_id == f"rec-{message.pk}"


def test_retries_back_off_exponentially_with_jitter(recording, monkeypatch, settings):
    from celery.exceptions import Retry

    settings.SMS_RETRY_BASE_SECONDS = 2.0
    recording.failures = 10
    with transaction.atomic():  # keep the automatic send from running
        message = enqueue(PHONE, "متن", "case_registered")
    countdowns = []

    def fake_retry(exc=None, countdown=None, **kwargs):
        # As on a worker: the retry is scheduled and the task run ends.
        countdowns.append(countdown)
        raise Retry(exc=exc, when=countdown)

    monkeypatch.setattr(send_outbox_message, "retry", fake_retry)
    for _ in range(3):
        with pytest.raises(Retry):
            send_outbox_message.run(message.pk)
    # base·2^(n−1) plus up to one base of jitter.
    for countdown, floor in zip(countdowns, [2, 4, 8]):
        assert floor <= countdown <= floor + 2
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at > timezone.now()


def test_the_jitter_spreads_messages_failing_together(settings):
    from integrations.sms.sending import backoff

    settings.SMS_RETRY_BASE_SECONDS = 2.0
    assert len({round(backoff(1), 3) for _ in range(20)}) > 10
    settings.SMS_RETRY_MAX_SECONDS = 60
    assert backoff(30) <= 62


def test_after_the_last_retry_the_message_is_failed(
    recording, status_changes, django_capture_on_commit_callbacks, settings
):
    recording.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(PHONE, "متن", "case_registered")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == settings.SMS_MAX_ATTEMPTS
    assert len(recording.calls) == settings.SMS_MAX_ATTEMPTS
    assert status_changes == [(message.pk, MessageStatus.SENDING, MessageStatus.FAILED)]
    send_outbox_message.delay(message.pk)
    assert len(recording.calls) == settings.SMS_MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_concurrent_tasks_for_one_message_call_the_provider_once(postgres, recording):
    recording.delay = 0.3  # the first holds the row lock while the provider answers
    # Written directly, so no automatic send runs before the race.
    fresh = OutboxMessage.objects.create(
        to=PHONE, body="متن", kind="case_registered", idempotency_key="race"
    )
    results = []

    def run():
        try:
            results.append(send_outbox_message.apply(args=[fresh.pk]).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert recording.calls == [fresh.pk]
    # The loser of the claim finds the message taken (sending, or sent by then).
    assert MessageStatus.SENT in results
    assert set(results) <= {MessageStatus.SENT, MessageStatus.SENDING}
    fresh.refresh_from_db()
    assert fresh.status == MessageStatus.SENT


def _messages(*bodies):
    now = timezone.now()
    made = []
    for i, body in enumerate(bodies):
        made.append(OutboxMessage.objects.create(
            to=f"0912000000{i}", body=body, kind="case_registered",
            idempotency_key=f"k{i}", created_at=now + datetime.timedelta(seconds=i),
        ))
    return made


def test_the_command_prints_one_line_per_message_newest_first():
    _messages("اول", "دوم\nخط دوم", "سوم")
    out = io.StringIO()
    call_command("sms_outbox", stdout=out)
    assert out.getvalue().splitlines() == [
        "09120000002\tqueued\tسوم",
        "09120000001\tqueued\tدوم / خط دوم",
        "09120000000\tqueued\tاول",
    ]


def test_the_command_limits_and_filters():
    _messages("اول", "دوم", "سوم")
    out = io.StringIO()
    call_command("sms_outbox", "--limit", "2", stdout=out)
    assert [line.split("\t")[2] for line in out.getvalue().splitlines()] == ["سوم", "دوم"]
    out = io.StringIO()
    call_command("sms_outbox", "--to", "۰۹۱۲۰۰۰۰۰۰۱", stdout=out)
    assert out.getvalue().splitlines() == ["09120000001\tqueued\tدوم"]


def test_the_dev_page_is_not_found_without_debug(client, settings):
    settings.DEBUG = False
    _messages("کد تایید: ۱۲۳۴۵۶")
    response = client.get("/dev/sms/")
    assert response.status_code == 404
    assert "۱۲۳۴۵۶" not in response.content.decode()


def test_the_dev_page_lists_whole_texts_newest_first(client, settings):
    settings.DEBUG = True
    _messages("کد تایید شما: ۱۲۳۴۵۶\n@host #123456", "درخواست شما ثبت شد")
    response = client.get(reverse("sms:outbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "@host #123456" in html
    assert html.index("درخواست شما ثبت شد") < html.index("کد تایید شما")
    assert to_persian_digits("09120000000") in html
    assert "در صف ارسال" in html


def test_the_admin_shows_messages_but_cannot_change_them(client):
    admin = UserFactory(staff=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    (message,) = _messages("متن پیامک")
    listing = client.get(reverse("admin:sms_outboxmessage_changelist"), {"q": message.to})
    assert listing.status_code == 200
    assert message.to in listing.content.decode()
    assert client.get(reverse("admin:sms_outboxmessage_add")).status_code == 403
    change_url = reverse("admin:sms_outboxmessage_change", args=[message.pk])
    assert client.get(change_url).status_code == 200
    client.post(change_url, {"body": "تغییر"})
    message.refresh_from_db()
    assert message.body == "متن پیامک"


def test_staff_find_failed_messages_and_can_send_them_again(
    client, recording, django_capture_on_commit_callbacks
):
    recording.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        failed = enqueue(PHONE, "متن", "case_registered")
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED
    client.force_login(UserFactory(staff=True, is_staff=True, is_superuser=True))
    changelist = reverse("admin:sms_outboxmessage_changelist")
    listing = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "ناموفق" in listing
    assert f"/{failed.pk}/change/" in listing
    recording.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {
            "action": "send_failed_again", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT
