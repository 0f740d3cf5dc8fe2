"""Certificates made here, for development and tests only: a CA, a signing key, a TSA.

`make run` signs with a development key made on first use (`ensure_dev_key`); its names
say it is not trusted, and no PDF reader trusts its root. A city signs with a key its
national CA certified (docs/operators/signing.md).
"""

from __future__ import annotations

import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEV_CA_NAME = "DEVELOPMENT CA - NOT TRUSTED"
# Starts and ends with a Persian letter: a name mixing scripts must (RFC 4518's bidi
# rule), or validators refuse the chain when they compare names.
DEV_SIGNER_ORG = "شهرداری، کلید آزمایشی نامعتبر"
DEV_FILE = "dev-signer.p12"
DEV_PASSWORD = b"dev-signing-key"  # the file is under var/, git-ignored; never a real key


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organization: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(parts)


def _builder(subject: x509.Name, issuer: x509.Name, key, days: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            # A year back: documents issued at a frozen, earlier time in tests validate.
            .not_valid_before(now - datetime.timedelta(days=365))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False))


def _usage(**allowed: bool) -> x509.KeyUsage:
    flags = dict.fromkeys(
        ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
         "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(**{**flags, **allowed})


def make_ca(common_name: str, *, days: int = 3650) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(common_name)
    certificate = (_builder(name, name, key, days)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                   .add_extension(_usage(key_cert_sign=True, crl_sign=True), True)
                   .sign(key, hashes.SHA256()))
    return Issued(key, certificate)


def make_leaf(ca: Issued, common_name: str, *, organization: str = "", days: int = 1825,
              timestamping: bool = False) -> Issued:
    """A document-signing certificate, or a TSA's (`timestamping`), issued by `ca`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = (_builder(_name(common_name, organization), ca.certificate.subject, key, days)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   ca.key.public_key()), False))
    if timestamping:
        builder = (builder.add_extension(_usage(digital_signature=True), True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True))
    else:
        builder = builder.add_extension(
            _usage(digital_signature=True, content_commitment=True), True)
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def pkcs12_bytes(leaf: Issued, ca: Issued, password: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"signer", leaf.key, leaf.certificate, [ca.certificate],
        serialization.BestAvailableEncryption(password))


def write_atomically(path: Path, data: bytes, *, keep_existing: bool = False) -> bool:
    """Two processes starting at once (server and periodic runner) never see half a file.
    `keep_existing`: the first file written wins, and False says this one lost."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.chmod(temporary, 0o600)
    try:
        if not keep_existing:
            os.replace(temporary, path)
            return True
        try:
            os.link(temporary, path)  # fails if another process made it first
        except FileExistsError:
            return False
        return True
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def ensure_dev_key(directory: Path) -> Path:
    """The development PKCS#12 file in `directory`, made on first use (key and CA).

    Made once even when two processes ask at once: a second key would sign documents that
    the first one's root does not know."""
    path = directory / DEV_FILE
    if not path.exists():
        ca = make_ca(DEV_CA_NAME)
        signer = make_leaf(ca, "DEVELOPMENT SIGNER - NOT TRUSTED", organization=DEV_SIGNER_ORG)
        if write_atomically(path, pkcs12_bytes(signer, ca, DEV_PASSWORD), keep_existing=True):
            write_atomically(directory / "dev-root.pem", ca.pem())
    return path
