"""The configured signing key and time-stamp authority (settings in config/settings/signing.py)."""

from __future__ import annotations

from functools import lru_cache

from asn1crypto import pem, x509
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from .base import KeyBackend, roots_of

DEFAULT_BACKEND = "integrations.signing.pkcs12.backend.Pkcs12Backend"


def get_key_backend() -> KeyBackend:
    """One backend per configuration and process: it keeps the key or the token's session."""
    return _backend(getattr(settings, "PDF_SIGNING_BACKEND", DEFAULT_BACKEND), _key_settings())


def get_timestamper() -> TimeStamper | None:
    """The TSA's client when SIGNING_TSA_URL is set, else None (signatures stay B-B)."""
    url = getattr(settings, "SIGNING_TSA_URL", "")
    if not url:
        return None
    return RequestsHTTPTimeStamper(url, timeout=getattr(settings, "SIGNING_TSA_TIMEOUT_SECONDS", 5))


def trust_roots() -> list[x509.Certificate]:
    """Whose signatures are ours: SIGNING_TRUST_ROOTS (PEM files, e.g. the old root after a
    change of CA), else the root that came with the configured key."""
    paths = getattr(settings, "SIGNING_TRUST_ROOTS", [])
    if not paths:
        return roots_of(get_key_backend().chain())
    return [cert for path in paths for cert in read_certificates(str(path))]


def tsa_roots() -> list[x509.Certificate]:
    """SIGNING_TSA_ROOTS: the TSA's root(s), for the validation data of B-LT and B-LTA."""
    return [cert for path in getattr(settings, "SIGNING_TSA_ROOTS", [])
            for cert in read_certificates(str(path))]


def _key_settings() -> tuple:
    # The values a backend reads: a test or a reconfigured process gets a fresh backend.
    names = sorted(name for name in dir(settings) if name.startswith("SIGNING_"))
    return tuple((name, str(getattr(settings, name))) for name in names)


@lru_cache(maxsize=4)
def _backend(path: str, _key: tuple) -> KeyBackend:
    return import_string(path)()


@lru_cache(maxsize=8)
def read_certificates(path: str) -> tuple[x509.Certificate, ...]:
    with open(path, "rb") as file:
        data = file.read()
    if pem.detect(data):
        return tuple(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
    return (x509.Certificate.load(data),)
