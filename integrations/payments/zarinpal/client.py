"""A client of Zarinpal's payment gateway REST API, version 4 (request, verify, inquiry).

Request and response shapes as Zarinpal documents them: every answer is JSON with
`data` and `errors`; success has data.code 100 (verify: 101 when already verified),
failure an `errors` object {code, message, validations} and an empty `data`.
Only connecting is retried: a request that never reached Zarinpal cannot have been
acted on, while a read timeout may hide one that was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..base import GatewayError

logger = logging.getLogger(__name__)

OK, ALREADY_VERIFIED = 100, 101


class ZarinpalError(GatewayError):
    """Zarinpal answered with an error code (a definite answer, not a lost one)."""

    def __init__(self, code: int, message: str):
        super().__init__(f"zarinpal error {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class Verification:
    code: int  # 100 verified now, 101 verified before
    ref_id: str
    card_pan: str


class ZarinpalClient:
    def __init__(self, merchant_id: str, base_url: str, timeout: float = 10.0):
        if not merchant_id:
            raise GatewayError("ZARINPAL_MERCHANT_ID is not set")
        self.merchant_id = merchant_id
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        retry = Retry(total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.3)
        self.session.mount(self.base_url, HTTPAdapter(max_retries=retry))
        self.session.headers.update({"Accept": "application/json"})

    def start_pay_url(self, authority: str) -> str:
        return f"{self.base_url}/pg/StartPay/{authority}"

    def request_payment(
        self, amount_rials: int, callback_url: str, description: str, order_id: str
    ) -> str:
        """The authority of a new payment."""
        data = self._post(
            "/pg/v4/payment/request.json",
            {
                "merchant_id": self.merchant_id,
                "amount": amount_rials,
                "currency": "IRR",
                "callback_url": callback_url,
                "description": description,
                "metadata": {"order_id": order_id},
            },
        )
        authority = data.get("authority")
        if data.get("code") != OK or not isinstance(authority, str) or not authority:
            raise GatewayError(f"zarinpal request answered without an authority: {data!r}")
        return authority

    def verify(self, authority: str, amount_rials: int) -> Verification:
        """Confirm (capture) a payment; raises ZarinpalError when it was not paid."""
        data = self._post(
            "/pg/v4/payment/verify.json",
            {"merchant_id": self.merchant_id, "authority": authority, "amount": amount_rials},
        )
        if data.get("code") not in (OK, ALREADY_VERIFIED):
            raise ZarinpalError(int(data.get("code") or 0), str(data.get("message", "")))
        return Verification(
            code=data["code"], ref_id=str(data.get("ref_id", "")), card_pan=data.get("card_pan", "")
        )

    def inquiry(self, authority: str) -> str:
        """VERIFIED, PAID (not verified), IN_BANK, FAILED or REVERSED."""
        data = self._post(
            "/pg/v4/payment/inquiry.json",
            {"merchant_id": self.merchant_id, "authority": authority},
        )
        return str(data.get("status", ""))

    def _post(self, path: str, payload: dict) -> dict:
        try:
            response = self.session.post(self.base_url + path, json=payload, timeout=self.timeout)
        except requests.RequestException as error:  # timeouts, refused connections, TLS
            raise GatewayError(f"zarinpal unreachable at {path}: {error}") from error
        try:
            body = response.json()
        except ValueError as error:
            raise GatewayError(f"zarinpal {path}: HTTP {response.status_code}, not JSON") from error
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            first = errors[0] if isinstance(errors, list) else errors
            raise ZarinpalError(int(first.get("code", 0)), str(first.get("message", "")))
        data = body.get("data") if isinstance(body, dict) else None
        if response.status_code >= 500 or not isinstance(data, dict):
            raise GatewayError(f"zarinpal {path}: HTTP {response.status_code}, no data")
        return data
