"""A stand-in for Twilio's REST API on 127.0.0.1, so the real `twilio` client runs.

Responses follow Twilio's Message resource and error shapes as the twilio-python
package's own fixtures show them (tests/integration/api/v2010/account/test_message.py).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import datetime

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\.json$")


@dataclass
class FakeTwilio:
    url: str = ""
    messages: list[dict] = field(default_factory=list)  # every message Twilio accepted
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail_next: int = 0  # answer this many creates with a 500
    reject_next: int = 0  # answer this many creates with a 400 (an opted-out recipient)
    lose_next: int = 0  # accept this many creates, then answer 500 as if the reply was lost
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies_to(self, to: str) -> list[str]:
        return [m["body"] for m in self.messages if m["to"] == to]


def message_resource(sid: str, to: str, from_: str, body: str, service: str | None) -> dict:
    now = format_datetime(datetime.datetime.now(datetime.timezone.utc))
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}"
    return {
        "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": body,
        "date_created": now, "date_sent": None, "date_updated": now,
        "direction": "outbound-api", "error_code": None, "error_message": None,
        "from": from_, "messaging_service_sid": service, "num_media": "0",
        "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid,
        "status": "queued", "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": to, "uri": f"{uri}.json",
    }


def error(status: int, code: int, message: str) -> dict:
    return {"code": code, "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}


def handler_for(fake: FakeTwilio):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _reply(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            fake.requests.append(("POST", path))
            if not MESSAGES.match(path) or not self._authorised():
                return self._reply(401, error(401, 20003, "Authenticate"))
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            with fake.lock:
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._reply(500, error(500, 20500, "Internal Server Error"))
                if fake.reject_next:
                    fake.reject_next -= 1
                    return self._reply(400, error(
                        400, 21610, "Attempt to send to unsubscribed recipient"))
                if not re.fullmatch(r"\+[1-9][0-9]{7,14}", form.get("To", "")):
                    return self._reply(400, error(
                        400, 21211, f"The 'To' number {form.get('To')} is not a valid phone number."))
                if not form.get("Body"):
                    return self._reply(400, error(400, 21602, "Message body is required."))
                sid = "SM" + secrets.token_hex(16)
                resource = message_resource(sid, form["To"], form.get("From", "+15005550006"),
                                            form["Body"], form.get("MessagingServiceSid"))
                resource["status_callback"] = form.get("StatusCallback")
                fake.messages.append(resource)
                if fake.lose_next:
                    fake.lose_next -= 1
                    return self._reply(500, error(500, 20500, "Internal Server Error"))
            self._reply(201, {k: v for k, v in resource.items() if k != "status_callback"})

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            fake.requests.append(("GET", parts.path))
            if not MESSAGES.match(parts.path) or not self._authorised():
                return self._reply(401, error(401, 20003, "Authenticate"))
            to = parse_qs(parts.query).get("To", [None])[0]
            found = [
                {k: v for k, v in m.items() if k != "status_callback"}
                for m in reversed(fake.messages) if to is None or m["to"] == to
            ]
            page = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?PageSize=50&Page=0"
            self._reply(200, {
                "end": max(len(found) - 1, 0), "first_page_uri": page, "messages": found,
                "next_page_uri": None, "page": 0, "page_size": 50,
                "previous_page_uri": None, "start": 0, "uri": page,
            })

    return Handler


def start() -> tuple[FakeTwilio, ThreadingHTTPServer]:
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
