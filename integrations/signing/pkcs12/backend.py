"""A key in a PKCS#12 file (small deployments; `make run`'s development key).

SIGNING_PKCS12_PATH and SIGNING_PKCS12_PASSWORD name it; with neither and DEBUG on, the
development key under SIGNING_DEV_DIR is made on first use.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers import SimpleSigner

from ..base import KeyBackend, SigningUnavailable
from ..devpki import DEV_PASSWORD, ensure_dev_key


class _LoadedKeySigner(SimpleSigner):
    """pyHanko's SimpleSigner parses the private key on every signature (35 ms for RSA
    2048, checks included); this one signs with the key parsed once."""

    def __init__(self, *, loaded_key, **kwargs) -> None:
        super().__init__(**kwargs)
        self._loaded = loaded_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._loaded, rsa.RSAPrivateKey):
            return self._loaded.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._loaded, ec.EllipticCurvePrivateKey):
            return self._loaded.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


class Pkcs12Backend(KeyBackend):
    def __init__(self) -> None:
        self._signer: SimpleSigner | None = None

    def signer(self) -> SimpleSigner:
        if self._signer is None:
            path, password = _configured_file()
            loaded = SimpleSigner.load_pkcs12(str(path), passphrase=password)
            if loaded is None:
                raise SigningUnavailable(f"cannot read the PKCS#12 file {path}")
            key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)
            self._signer = _LoadedKeySigner(
                loaded_key=key, signing_key=loaded.signing_key,
                signing_cert=loaded.signing_cert, cert_registry=loaded.cert_registry,
                signature_mechanism=None)
        return self._signer


def _configured_file() -> tuple[Path, bytes | None]:
    path = getattr(settings, "SIGNING_PKCS12_PATH", "")
    if path:
        password = getattr(settings, "SIGNING_PKCS12_PASSWORD", "")
        return Path(path), (password.encode() if password else None)
    if settings.DEBUG:
        return ensure_dev_key(Path(settings.SIGNING_DEV_DIR)), DEV_PASSWORD
    raise SigningUnavailable("no signing key configured: set SIGNING_PKCS12_PATH or the HSM")
