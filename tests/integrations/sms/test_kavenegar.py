"""The Kavenegar backend against a stand-in of its REST API (documented JSON shapes)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from integrations.backends import load as _backend
from integrations.sms.models import MessageStatus
from integrations.sms.outbox import enqueue

pytestmark = pytest.mark.django_db
KEY = "4D4B2F6E6F2B"


class FakeKavenegar:
    def __init__(self):
        self.sent: dict[str, dict] = {}  # localid → entry
        self.calls: list[str] = []
        self.fail_next = 0
        self.lose_next = 0
        self.refuse_receptor = False
        self.refuse_unknown_localid = False  # the other answer its documentation allows


def serve(fake: FakeKavenegar):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status, entries, http=200, message="تایید شد"):
            data = json.dumps({"return": {"status": status, "message": message},
                               "entries": entries}).encode()
            self.send_response(http)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            form = {k: v[0] for k, v in parse_qs(
                self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
            method = self.path.rsplit("/", 1)[-1]
            fake.calls.append(method)
            if not self.path.startswith(f"/v1/{KEY}/sms/"):
                return self.reply(403, None, 403, "apikey نامعتبر است")
            if method == "statuslocalmessageid.json":
                entry = fake.sent.get(form["localid"])
                if entry is None and fake.refuse_unknown_localid:
                    return self.reply(100, None, 200, "شناسه پیامک نامعتبر است")
                return self.reply(200, [entry or {"messageid": 0, "localid": form["localid"],
                                                  "status": 100, "statustext": "نامعتبر"}])
            if fake.fail_next:
                fake.fail_next -= 1
                return self.reply(502, None, 502, "خطای سرور")
            if fake.refuse_receptor:
                return self.reply(411, None, 411, "دریافت کننده نامعتبر است")
            entry = fake.sent.setdefault(form["localid"], {
                "messageid": 8792343 + len(fake.sent), "message": form["message"],
                "status": 1, "statustext": "در صف ارسال", "sender": "10004346",
                "receptor": form["receptor"], "date": 1356619709, "cost": 120,
            })
            if fake.lose_next:
                fake.lose_next -= 1
                return self.reply(502, None, 502, "خطای سرور")
            self.reply(200, [entry])

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def kavenegar(settings):
    fake = FakeKavenegar()
    server = serve(fake)
    settings.SMS_BACKEND = "integrations.sms.backends.kavenegar.KavenegarBackend"
    settings.KAVENEGAR_API_KEY = KEY
    settings.KAVENEGAR_API_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_RETRY_BASE_SECONDS = 0.01
    _backend.cache_clear()
    yield fake
    _backend.cache_clear()
    server.shutdown()
    server.server_close()


def send(capture):
    with capture(execute=True):
        message = enqueue("09121234567", "متن", "case_registered")
    message.refresh_from_db()
    return message


def test_a_message_is_sent_with_our_id_as_localid(kavenegar, django_capture_on_commit_callbacks):
    message = send(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.SENT
    assert kavenegar.sent[str(message.pk)]["receptor"] == "09121234567"
    assert message.provider_id == str(kavenegar.sent[str(message.pk)]["messageid"])


def test_a_lost_reply_is_found_by_localid_not_sent_again(kavenegar,
                                                        django_capture_on_commit_callbacks):
    kavenegar.lose_next = 1
    message = send(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert kavenegar.calls == ["send.json", "statuslocalmessageid.json"]


def test_a_bad_receptor_fails_at_once(kavenegar, django_capture_on_commit_callbacks):
    kavenegar.refuse_receptor = True
    message = send(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.FAILED and "411" in message.last_error


@pytest.mark.parametrize("refuses", [False, True], ids=["empty-entry", "refusal"])
def test_a_send_lost_before_kavenegar_got_it_is_sent_once(
        kavenegar, django_capture_on_commit_callbacks, refuses):
    """The worker died mid-call and the sweep hands the message over again: Kavenegar
    never saw it, however it says so, so it is sent now, once, and not failed."""
    from django.utils import timezone

    from integrations.sms.models import OutboxMessage
    from integrations.sms.sending import deliver

    kavenegar.refuse_unknown_localid = refuses
    with django_capture_on_commit_callbacks(execute=False):
        message = enqueue("09121234567", "متن", "case_registered")
    message.claim()  # taken by a worker that then died before calling Kavenegar
    message.save()
    message.requeue_lost(now=timezone.now())
    message.save()

    deliver(message.pk)
    message = OutboxMessage.objects.get(pk=message.pk)
    assert message.status == MessageStatus.SENT, message.last_error
    assert kavenegar.calls == ["statuslocalmessageid.json", "send.json"]
    assert list(kavenegar.sent) == [str(message.pk)]
