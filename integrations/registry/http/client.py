"""HttpRegistry: PropertyRegistry over GET requests to the city's registry service.

Every call is a GET, so retrying a failed one is safe: connection errors and 502/503/504
are retried with a short backoff, then reported as RegistryUnavailable. 404 is an answer
("no such property", "no certificate"), not a failure.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..base import (
    Debt,
    EarlierCertificate,
    PairingCheck,
    PairingProblem,
    PropertyInfo,
    PropertyRegistry,
    RegistryUnavailable,
)

RETRIED_STATUSES = (502, 503, 504)


class HttpRegistry(PropertyRegistry):
    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        retries: int = 2,
    ):
        base_url = base_url or getattr(settings, "PROPERTY_REGISTRY_URL", "")
        if not base_url:
            raise ImproperlyConfigured("HttpRegistry needs PROPERTY_REGISTRY_URL")
        self.base_url = base_url.rstrip("/")
        token = getattr(settings, "PROPERTY_REGISTRY_TOKEN", "") if token is None else token
        self.timeout = timeout or getattr(settings, "PROPERTY_REGISTRY_TIMEOUT_SECONDS", 5.0)
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        retry = Retry(
            total=retries,
            backoff_factor=0.2,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,  # the last answer is reported below, with its status
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    # -- PropertyRegistry -------------------------------------------------------------

    def find_property(self, renovation_code: str) -> PropertyInfo | None:
        body = self._get("properties", renovation_code)
        return None if body is None else self._parse(_property, body)

    def check_pairing(self, renovation_code: str, number: str) -> PairingCheck:
        body = self._get("properties", renovation_code, "pairing", number)
        if body is None:
            return PairingCheck(None, PairingProblem.UNKNOWN_CODE)
        return self._parse(_pairing, body)

    def latest_certificate(self, renovation_code: str) -> EarlierCertificate | None:
        body = self._get("properties", renovation_code, "latest-certificate")
        return None if body is None else self._parse(_certificate, body)

    def open_debts(self, renovation_code: str) -> list[Debt]:
        body = self._get("properties", renovation_code, "debts")
        return [] if body is None else self._parse(_debts, body)

    # -- transport --------------------------------------------------------------------

    def _get(self, *segments: str) -> dict | None:
        """The JSON object the registry answered, or None for 404."""
        url = "/".join([self.base_url, *(quote(s, safe="") for s in segments)])
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as error:
            raise RegistryUnavailable(f"GET {url}: {type(error).__name__}: {error}") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RegistryUnavailable(f"GET {url}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise RegistryUnavailable(f"GET {url}: the answer is not JSON") from error
        if not isinstance(body, dict):
            raise RegistryUnavailable(f"GET {url}: the answer is not a JSON object")
        return body

    @staticmethod
    def _parse(parse, body: dict):
        """A well-formed answer, or RegistryUnavailable naming what was wrong with it."""
        try:
            return parse(body)
        except (KeyError, TypeError, ValueError) as error:
            raise RegistryUnavailable(f"malformed answer: {type(error).__name__}: {error}") from error


def _property(body: dict) -> PropertyInfo:
    if not isinstance(body["owner_names"], list):
        raise TypeError("owner_names is not a list")
    return PropertyInfo(
        renovation_code=str(body["renovation_code"]),
        district=int(body["district"]),
        address=str(body["address"]),
        registry_plate=str(body["registry_plate"]),
        area_m2=str(body["area_m2"]),
        floor=str(body["floor"]),
        unit=str(body["unit"]),
        owner_names=tuple(str(name) for name in body["owner_names"]),
    )


def _pairing(body: dict) -> PairingCheck:
    problem = body.get("problem")
    if problem is not None:
        return PairingCheck(None, PairingProblem(problem))
    return PairingCheck(_property(body["property"]))


def _certificate(body: dict) -> EarlierCertificate:
    return EarlierCertificate(
        request_number=str(body["request_number"]),
        certificate_number=str(body["certificate_number"]),
        kind=str(body["kind"]),
        issued_on=datetime.date.fromisoformat(body["issued_on"]),
    )


def _debts(body: dict) -> list[Debt]:
    return [
        Debt(id=str(d["id"]), title=str(d["title"]), amount_rials=int(d["amount_rials"]))
        for d in body["debts"]
    ]
