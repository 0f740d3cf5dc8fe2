"""A stand-in SMS provider for the fault tests, shared by every process through files.

Each accepted message is one JSON line (its idempotency key) in FAULT_PROVIDER_LOG.
With FAULT_PROVIDER_DELAY set, the provider accepts the message and then answers
slowly: the window in which the test kills the worker. While the file named by
FAULT_PROVIDER_DOWN exists the provider is "down": it refuses every message (logged in
FAULT_PROVIDER_LOG + ".refused") with a retryable error, as a provider outage does.
find_sent looks the message up, as a real provider's API can.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from integrations.sms.base import SendResult, SmsBackend, SmsSendError


def _log() -> Path:
    return Path(os.environ["FAULT_PROVIDER_LOG"])


def _refused_log() -> Path:
    return _log().with_name(_log().name + ".refused")


def _keys(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["key"] for line in path.read_text().splitlines()]


def accepted() -> list[str]:
    """Idempotency keys of the messages the provider took, once per acceptance."""
    return _keys(_log())


def refused() -> list[str]:
    """Idempotency keys of the sends refused while the provider was down."""
    return _keys(_refused_log())


def _is_down() -> bool:
    flag = os.environ.get("FAULT_PROVIDER_DOWN", "")
    return bool(flag) and Path(flag).exists()


class SlowProvider(SmsBackend):
    def send(self, message) -> SendResult:
        if _is_down():
            with open(_refused_log(), "a") as out:
                out.write(json.dumps({"key": message.idempotency_key}) + "\n")
            raise SmsSendError("fault provider is down")
        with open(_log(), "a") as out:
            out.write(json.dumps({"key": message.idempotency_key}) + "\n")
        time.sleep(float(os.environ.get("FAULT_PROVIDER_DELAY", "0")))
        return SendResult(provider_id=f"slow-{message.pk}", status="sent")

    def find_sent(self, message) -> SendResult | None:
        if message.idempotency_key in accepted():
            return SendResult(provider_id=f"slow-{message.pk}", status="sent")
        return None
