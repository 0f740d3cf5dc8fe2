"""Kavenegar's REST API (an Iranian provider reaching every Iranian operator).

`localid` is our message id: Kavenegar answers a repeated localid with the first
message instead of sending again, and `statuslocalmessageid` finds a message by it.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings

from ...base import SendResult, SmsBackend, SmsRejected, SmsSendError

logger = logging.getLogger(__name__)

# return.status values that a later try may get past: credit ran out (418), the
# service is busy or down (5xx); the rest (bad receptor 411, bad sender 412, …) won't.
TRANSIENT = {418, 429}
# entries[].status: Kavenegar's numbers for a message it holds, by its documentation.
STATUS_WORDS = {1: "queued", 2: "scheduled", 4: "sent", 5: "sent", 6: "failed",
                10: "delivered", 11: "undelivered", 13: "canceled", 14: "blocked"}


class KavenegarBackend(SmsBackend):
    def __init__(self) -> None:
        if not settings.KAVENEGAR_API_KEY:
            raise ValueError("KAVENEGAR_API_KEY must be set")
        self.session = requests.Session()

    def _call(self, method: str, data: dict) -> dict:
        url = (f"{settings.KAVENEGAR_API_BASE_URL.rstrip('/')}/v1/"
               f"{settings.KAVENEGAR_API_KEY}/sms/{method}.json")
        try:
            response = self.session.post(
                url, data=data, timeout=settings.SMS_PROVIDER_TIMEOUT_SECONDS)
            payload = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise SmsSendError(f"kavenegar unreachable: {exc.__class__.__name__}") from exc
        status = int(payload.get("return", {}).get("status", response.status_code))
        if status != 200:
            text = f"kavenegar {status}: {payload.get('return', {}).get('message', '')}"
            if status >= 500 or status in TRANSIENT:
                raise SmsSendError(text)
            raise SmsRejected(text)
        return payload

    def send(self, message) -> SendResult:
        data = {"receptor": message.to, "message": message.body, "localid": message.pk}
        if settings.KAVENEGAR_SENDER:
            data["sender"] = settings.KAVENEGAR_SENDER
        (entry,) = self._call("send", data)["entries"]
        return SendResult(str(entry["messageid"]), STATUS_WORDS.get(entry.get("status"), ""))

    def find_sent(self, message) -> SendResult | None:
        """The message Kavenegar holds under our localid, or None.

        Its answer for a localid it never saw is not pinned down by its documentation
        (an entry with messageid 0, or a refusal): either way means "not found". Sending
        then is safe, since a repeated localid brings back the first message.
        """
        try:
            payload = self._call("statuslocalmessageid", {"localid": message.pk})
        except SmsRejected as refused:
            logger.info("kavenegar_localid_unknown", extra={
                "message_id": message.pk, "answer": str(refused)})
            return None
        entries = payload.get("entries")
        for entry in entries or []:
            if int(entry.get("messageid") or 0) > 0:
                return SendResult(str(entry["messageid"]),
                                  STATUS_WORDS.get(entry.get("status"), ""))
        return None
