"""A SoftHSM2 token (Debian's softhsm2) holding a signing key of the test CA: a real
PKCS#11 module, as an HSM's vendor ships one. Made once per session in a folder of its
own (SOFTHSM2_CONF), the key imported with softhsm2-util and its certificate stored
beside it, as a city's HSM holds both."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from integrations.signing.devpki import Issued, make_leaf
from tests.support.services import require_service
from tests.support.signing import TestPki

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN, LABEL = "city-hsm", "1234", "5678", "document-signer"
HSM_ORG = "شهرداری آزمایشی تهران، کلید امن"


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    pin: str
    key_label: str
    signer: Issued


def require_softhsm() -> None:
    require_service("SoftHSM2", MODULE.exists() and bool(shutil.which("softhsm2-util")),
                    f"{MODULE} or softhsm2-util is missing; `bash scripts/system-deps.sh` "
                    "installs Debian's softhsm2")


def make_token(directory: Path, pki: TestPki) -> Token:
    tokens = directory / "tokens"
    tokens.mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    # Read by the module when it is loaded: before any PKCS#11 call in this process.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    signer = make_leaf(pki.root, "Test HSM signer", organization=HSM_ORG)
    key = directory / "key.pem"
    key.write_bytes(signer.key.private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    util = ["softhsm2-util", "--pin", PIN]
    subprocess.run([*util, "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN],
                   check=True, capture_output=True)
    subprocess.run([*util, "--import", str(key), "--token", TOKEN, "--label", LABEL,
                    "--id", "01"], check=True, capture_output=True)
    key.unlink()  # the key lives in the token now
    _store_certificate(signer)
    return Token(str(MODULE), TOKEN, PIN, LABEL, signer)


def _store_certificate(signer: Issued) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(str(MODULE)).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: LABEL,
            Attribute.ID: b"\x01",
            Attribute.SUBJECT: signer.certificate.subject.public_bytes(),
            Attribute.VALUE: signer.certificate.public_bytes(serialization.Encoding.DER),
        })


def use_token(settings, token: Token, pki: TestPki, *, label: str | None = None) -> None:
    """Sign with the token (or a token of another `label`: one that is not there)."""
    settings.PDF_SIGNING_BACKEND = "integrations.signing.pkcs11.backend.Pkcs11Backend"
    settings.SIGNING_PKCS11_MODULE = token.module
    settings.SIGNING_PKCS11_TOKEN_LABEL = label or token.label
    settings.SIGNING_PKCS11_PIN = token.pin
    settings.SIGNING_PKCS11_KEY_LABEL = token.key_label
    settings.SIGNING_PKCS11_CHAIN_PATH = str(pki.root_pem)
    settings.SIGNING_RETRY_SECONDS = 0
