"""A city's registry service, as a small WSGI app on a thread, speaking the JSON API of
docs/developers/property-registry.md; its data is in none of the local tables."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

TOKEN = "city-registry-token"
# District 12: both demo inspectors visit it, and seed_demo opens its hours.
CODE, NUMBER, CERTIFICATE = "12-501-3-4-0-0-9", "1404-05-007777", "12-1404-3310"
OTHER_CODE, OTHER_NUMBER = "12-777-1-1-0-0-4", "1404-06-002468"
PREFIX = "/registry/v1"  # the base URL's own path: every look-up is under it


def apartment(code: str = CODE, **changes) -> dict:
    return {
        "renovation_code": code,
        "district": 12,
        "address": "خیابان آزادی، کوچه نسترن، پلاک ۹",
        "registry_plate": "۹۱۲۳/۴۵",
        "area_m2": "73.40",
        "floor": "۲",
        "unit": "۴",
        "owner_names": ["نرگس صالحی", "بهرام صالحی"],
        **changes,
    }


@dataclass
class FakeRegistry:
    properties: dict = field(default_factory=dict)  # code → property JSON
    numbers: dict = field(default_factory=dict)  # request or certificate number → code
    certificates: dict = field(default_factory=dict)  # code → latest certificate JSON
    debts: dict = field(default_factory=dict)  # code → [debt JSON]
    failures: list = field(default_factory=list)  # statuses to answer next, in order
    delay: float = 0.0
    seen: list = field(default_factory=list)  # (authorization, path) per request

    def answer(self, path: str) -> tuple[int, dict]:
        if not path.startswith(PREFIX + "/"):
            return 404, {"detail": "not found"}
        parts = [unquote(p) for p in path.removeprefix(PREFIX).strip("/").split("/")]
        if len(parts) < 2 or parts[0] != "properties" or parts[1] not in self.properties:
            return 404, {"detail": "not found"}
        code, rest = parts[1], parts[2:]
        if not rest:
            return 200, self.properties[code]
        if rest[0] == "pairing" and len(rest) == 2:
            owner = self.numbers.get(rest[1])
            if owner is None:
                return 200, {"problem": "unknown_number", "property": None}
            if owner != code:
                return 200, {"problem": "number_of_another_property", "property": None}
            return 200, {"problem": None, "property": self.properties[code]}
        if rest == ["latest-certificate"]:
            found = self.certificates.get(code)
            return (200, found) if found else (404, {"detail": "no certificate"})
        if rest == ["debts"]:
            return 200, {"debts": self.debts.get(code, [])}
        return 404, {"detail": "not found"}

    def __call__(self, environ, start_response):
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        self.seen.append((authorization, environ["PATH_INFO"]))
        if self.delay:
            time.sleep(self.delay)
        if self.failures:
            status, body = self.failures.pop(0), {"detail": "failure"}
        elif authorization != f"Bearer {TOKEN}":
            status, body = 401, {"detail": "unauthorised"}
        else:
            status, body = self.answer(environ["PATH_INFO"])
        reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [json.dumps(body, ensure_ascii=False).encode()]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def city_registry(settings):
    """The city's registry serving one apartment (CODE, paired with NUMBER and its
    certificate number), with PROPERTY_REGISTRY_BACKEND pointed at the HTTP client."""
    registry = FakeRegistry()
    registry.properties[CODE] = apartment()
    registry.numbers.update({NUMBER: CODE, CERTIFICATE: CODE})
    registry.certificates[CODE] = {
        "request_number": NUMBER, "certificate_number": CERTIFICATE,
        "kind": "گواهی پایان کار", "issued_on": "2025-08-11",
    }
    registry.properties[OTHER_CODE] = apartment(OTHER_CODE)
    registry.numbers[OTHER_NUMBER] = OTHER_CODE
    server = make_server("127.0.0.1", 0, registry, server_class=WSGIServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PROPERTY_REGISTRY_BACKEND = "integrations.registry.http.HttpRegistry"
    settings.PROPERTY_REGISTRY_URL = f"http://127.0.0.1:{server.server_port}{PREFIX}/"
    settings.PROPERTY_REGISTRY_TOKEN = TOKEN
    settings.PROPERTY_REGISTRY_TIMEOUT_SECONDS = 2
    registry.url = settings.PROPERTY_REGISTRY_URL
    yield registry
    server.shutdown()
    server.server_close()
