"""A key on a PKCS#11 token (an HSM in production; SoftHSM2 in the tests).

The key never leaves the token: pyHanko asks it for each signature. The session is kept
between documents and opened again after a failure (an HSM restarted, a network HSM's
link dropped): `reset()`; the retries are pades.sign's.

SIGNING_PKCS11_MODULE (the vendor's .so), SIGNING_PKCS11_TOKEN_LABEL, SIGNING_PKCS11_PIN,
SIGNING_PKCS11_KEY_LABEL, SIGNING_PKCS11_CERT_LABEL (default: the key's label) and
SIGNING_PKCS11_CHAIN_PATH (a PEM file with the CA certificates, when the token lacks them).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from pkcs11.exceptions import UserAlreadyLoggedIn
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from ..base import KeyBackend, SigningUnavailable
from ..loader import read_certificates

log = logging.getLogger(__name__)


class Pkcs11Backend(KeyBackend):
    def __init__(self) -> None:
        self._signer: PKCS11Signer | None = None
        self._session = None
        # One PKCS#11 session per process: two threads must not open it twice.
        self._lock = threading.Lock()

    def signer(self) -> PKCS11Signer:
        with self._lock:
            if self._signer is None:
                self._signer = self._open()
            return self._signer

    def reset(self) -> None:
        with self._lock:
            session, self._session, self._signer = self._session, None, None
        if session is not None:
            try:
                session.close()
            except Exception as error:  # noqa: BLE001 — a dead session cannot be closed either
                log.info("closing a failed PKCS#11 session: %r", error)

    def _open(self) -> PKCS11Signer:
        module = getattr(settings, "SIGNING_PKCS11_MODULE", "")
        if not module:
            raise SigningUnavailable("SIGNING_PKCS11_MODULE is not set")
        key_label = settings.SIGNING_PKCS11_KEY_LABEL
        chain_path = getattr(settings, "SIGNING_PKCS11_CHAIN_PATH", "")
        criteria = TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL)
        try:
            try:
                self._session = open_pkcs11_session(module, token_criteria=criteria,
                                                    user_pin=settings.SIGNING_PKCS11_PIN)
            except UserAlreadyLoggedIn:
                # Login is per process and token, not per session: another session of
                # this process (a backend before a reconfiguration) is logged in already.
                self._session = open_pkcs11_session(module, token_criteria=criteria)
            return PKCS11Signer(
                self._session, key_label=key_label,
                cert_label=getattr(settings, "SIGNING_PKCS11_CERT_LABEL", "") or key_label,
                ca_chain=read_certificates(chain_path) if chain_path else None)
        except Exception as error:
            self._session = None
            raise SigningUnavailable(f"PKCS#11 token unavailable: {error!r}") from error
