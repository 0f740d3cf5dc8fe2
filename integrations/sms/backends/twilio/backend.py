"""Twilio's Messages API through the official client, with a delivery-status callback."""

from __future__ import annotations

import datetime

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ...base import SendResult, SmsBackend, SmsRejected, SmsSendError, e164

# Statuses worth another try: Twilio's own trouble or our rate; the rest of 4xx mean
# this message will never go (a bad number 21211, an opted-out one 21610, …).
TRANSIENT_HTTP = {408, 409, 429}
LOOKBACK = datetime.timedelta(minutes=5)


def status_callback_url(message_id: int) -> str:
    """The public address Twilio posts receipts to; the signature covers it exactly."""
    return settings.SITE_URL.rstrip("/") + reverse("sms_twilio_status", args=[message_id])


class TwilioBackend(SmsBackend):
    def __init__(self) -> None:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set")
        if not (settings.TWILIO_FROM or settings.TWILIO_MESSAGING_SERVICE_SID):
            raise ValueError("set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.SMS_PROVIDER_TIMEOUT_SECONDS),
        )
        if settings.TWILIO_API_BASE_URL:
            # The api domain's base URL is where the client builds every Messages URL:
            # a stand-in for Twilio (tests, a staging proxy) replaces only the host.
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, message) -> SendResult:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID else {"from_": settings.TWILIO_FROM}
        )
        try:
            sent = self.client.messages.create(
                to=e164(message.to), body=message.body,
                status_callback=status_callback_url(message.pk), **sender,
            )
        except TwilioRestException as exc:
            raise _error(exc) from exc
        except requests.RequestException as exc:
            raise SmsSendError(f"twilio unreachable: {exc.__class__.__name__}") from exc
        return SendResult(provider_id=sent.sid, status=sent.status or "")

    def find_sent(self, message) -> SendResult | None:
        """Twilio keeps no idempotency key for messages, so ask its message list: the
        newest messages to this number since our first try, with the same text."""
        since = (message.claimed_at or message.created_at) - LOOKBACK
        try:
            recent = self.client.messages.list(to=e164(message.to), limit=20)
        except TwilioRestException as exc:
            raise _error(exc, transient=True) from exc
        except requests.RequestException as exc:
            raise SmsSendError(f"twilio unreachable: {exc.__class__.__name__}") from exc
        for sent in recent:
            created = sent.date_created
            if sent.body == message.body and (created is None or created >= since):
                return SendResult(provider_id=sent.sid, status=sent.status or "")
        return None


def _error(exc: TwilioRestException, transient: bool = False) -> SmsSendError:
    text = f"twilio {exc.status} {exc.code or ''}: {exc.msg}".strip()
    if transient or exc.status >= 500 or exc.status in TRANSIENT_HTTP:
        return SmsSendError(text)
    return SmsRejected(text)
