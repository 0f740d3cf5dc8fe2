"""What the service asks of a signing key, wherever it lives (a PKCS#12 file, an HSM).

A backend only gives pyHanko a signer holding the key and its certificate chain; the
PAdES work (field, time-stamp, validation data) is the same for all (`pades.py`).
"""

from __future__ import annotations

import abc

from asn1crypto import x509
from pyhanko.sign.signers import Signer


class SigningUnavailable(Exception):
    """The key cannot be used now (token unreachable, session lost, not configured).

    Issuing stops with this: a document is never issued unsigned. Trying again may work.
    """


class KeyBackend(abc.ABC):
    @abc.abstractmethod
    def signer(self) -> Signer:
        """A pyHanko signer for the configured key; SigningUnavailable if it cannot be had."""

    def reset(self) -> None:
        """Forget any session after a failure, so the next signer() opens a fresh one."""

    def signer_name(self) -> str:
        """Who signs, as a reader's signature panel names it (the certificate's subject)."""
        return subject_name(self.signer().signing_cert)

    def chain(self) -> list[x509.Certificate]:
        """The signing certificate and the CA certificates embedded with it."""
        signer = self.signer()
        return [signer.signing_cert, *signer.cert_registry]


def subject_name(certificate: x509.Certificate) -> str:
    """The organisation's name if the certificate has one, else its common name."""
    native = certificate.subject.native
    return str(native.get("organization_name") or native.get("common_name") or "")


def roots_of(chain: list[x509.Certificate]) -> list[x509.Certificate]:
    """The self-signed certificates of `chain`: what a validator trusts by default."""
    # asn1crypto answers "no", "maybe" (issuer is subject) or "yes": a string, never False.
    return [cert for cert in chain if cert.self_signed != "no"]
