"""A stand-in SMS provider for the fault tests, shared by every process through a file.

Each accepted message is one JSON line (its idempotency key). With FAULT_PROVIDER_DELAY
set, the provider accepts the message and then answers slowly: the window in which the
test kills the worker. find_sent looks the message up, as a real provider's API can.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from integrations.sms.base import SendResult, SmsBackend


def _log() -> Path:
    return Path(os.environ["FAULT_PROVIDER_LOG"])


def accepted() -> list[str]:
    if not _log().exists():
        return []
    return [json.loads(line)["key"] for line in _log().read_text().splitlines()]


class SlowProvider(SmsBackend):
    def send(self, message) -> SendResult:
        with open(_log(), "a") as out:
            out.write(json.dumps({"key": message.idempotency_key}) + "\n")
        time.sleep(float(os.environ.get("FAULT_PROVIDER_DELAY", "0")))
        return SendResult(provider_id=f"slow-{message.pk}", status="sent")

    def find_sent(self, message) -> SendResult | None:
        if message.idempotency_key in accepted():
            return SendResult(provider_id=f"slow-{message.pk}", status="sent")
        return None
