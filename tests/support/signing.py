"""The test PKI, made once per session: the municipality's CA and signing key (what every
test's documents are signed with), a stranger's CA and key, and a TSA's certificate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys, x509
from cryptography.hazmat.primitives import serialization
from pkcs11.exceptions import DeviceError
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import SimpleSigner

from integrations.signing.base import KeyBackend
from integrations.signing.devpki import Issued, make_ca, make_leaf, pkcs12_bytes

PASSWORD = "test-signing-password"
SIGNER_ORG = "شهرداری آزمایشی تهران"
STRANGER_ORG = "دفترخانه ناشناس"


@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a test class, whatever its name

    root: Issued
    signer: Issued
    p12: Path
    root_pem: Path
    stranger_p12: Path
    tsa: Issued
    tsa_root: Issued
    tsa_root_pem: Path

    def asn1(self, issued: Issued) -> x509.Certificate:
        return x509.Certificate.load(
            issued.certificate.public_bytes(serialization.Encoding.DER))

    @staticmethod
    def asn1_key(issued: Issued) -> keys.PrivateKeyInfo:
        return keys.PrivateKeyInfo.load(issued.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))


def make_test_pki(directory: Path) -> TestPki:
    directory.mkdir(parents=True, exist_ok=True)
    root = make_ca("Test Municipality Root CA")
    signer = make_leaf(root, "Test document signer", organization=SIGNER_ORG)
    stranger_root = make_ca("Stranger Root CA")
    stranger = make_leaf(stranger_root, "Stranger signer", organization=STRANGER_ORG)
    tsa_root = make_ca("Test TSA Root")
    tsa = make_leaf(tsa_root, "Test TSA", timestamping=True)
    p12, stranger_p12, root_pem = (directory / "signer.p12", directory / "stranger.p12",
                                   directory / "root.pem")
    p12.write_bytes(pkcs12_bytes(signer, root, PASSWORD.encode()))
    stranger_p12.write_bytes(pkcs12_bytes(stranger, stranger_root, PASSWORD.encode()))
    root_pem.write_bytes(root.pem())
    tsa_root_pem = directory / "tsa-root.pem"
    tsa_root_pem.write_bytes(tsa_root.pem())
    return TestPki(root=root, signer=signer, p12=p12, root_pem=root_pem,
                   stranger_p12=stranger_p12, tsa=tsa, tsa_root=tsa_root,
                   tsa_root_pem=tsa_root_pem)


def sign_as(p12: Path, pdf: bytes, field: str = "Stranger") -> bytes:
    """`pdf` signed (again) with the key in `p12`, in a new field: what a notary's or a
    forger's software does, appending an incremental update."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    return signers.PdfSigner(meta, signer).sign_pdf(writer).getvalue()


def with_byte_changed(pdf: bytes, marker: bytes = b"/Subject") -> bytes:
    """`pdf` with one byte changed inside what the first signature covers: a character
    of the text after `marker` (the recording renderer's subject, a hex digest)."""
    at = pdf.index(marker) + len(marker) + 4
    changed = b"0" if pdf[at:at + 1] != b"0" else b"1"
    return pdf[:at] + changed + pdf[at + 1:]


class FlakyBackend(KeyBackend):
    """The test key, failing as a token does its first `failures` times."""

    def __init__(self, p12, failures: int) -> None:
        self.real = SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
        self.failures, self.resets, self.asked = failures, 0, 0

    def signer(self):
        self.asked += 1
        if self.asked <= self.failures:
            # What pyHanko makes of a token's error when it opens a session.
            raise SigningError("PKCS#11 error while opening session") from DeviceError()
        return self.real

    def reset(self) -> None:
        self.resets += 1
