"""The test PKI, made once per session: the municipality's CA and signing key (what every
test's documents are signed with), a stranger's CA and key, and a TSA's certificate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys, x509
from cryptography.hazmat.primitives import serialization

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
    return TestPki(root=root, signer=signer, p12=p12, root_pem=root_pem,
                   stranger_p12=stranger_p12, tsa=tsa, tsa_root=tsa_root)
