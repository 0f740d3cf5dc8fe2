"""A key that fails is tried again (its session reopened) a few times, then the signing
stops with SigningUnavailable; a broken document is not retried."""

from __future__ import annotations

import pytest

from integrations.signing import pades
from integrations.signing.base import SigningUnavailable
from tests.support.certificates import blank_pdf
from tests.support.signing import FlakyBackend

OPTIONS = pades.Options(attempts=3, retry_seconds=0)


def test_a_key_that_comes_back_within_the_tries_signs(signing_pki):
    backend = FlakyBackend(signing_pki.p12, failures=2)
    signed = pades.sign_pdf(blank_pdf("a"), backend, OPTIONS)
    assert signed.data.startswith(b"%PDF") and b"/ETSI.CAdES.detached" in signed.data
    assert (backend.asked, backend.resets, signed.level) == (3, 2, "B-B")


def test_a_key_still_down_after_the_tries_raises_unavailable(signing_pki):
    backend = FlakyBackend(signing_pki.p12, failures=99)
    with pytest.raises(SigningUnavailable, match="3 times"):
        pades.sign_pdf(blank_pdf("a"), backend, OPTIONS)
    assert backend.asked == 3


@pytest.mark.parametrize("document", ["not a pdf", "signed already"])
def test_a_broken_document_is_not_retried(signing_pki, document):
    backend = FlakyBackend(signing_pki.p12, failures=0)
    pdf = b"<html>not a pdf</html>"
    if document == "signed already":  # pyHanko's SigningError: the field is filled
        pdf = pades.sign_pdf(blank_pdf("a"), backend, OPTIONS).data
    with pytest.raises(Exception) as raised:
        pades.sign_pdf(pdf, backend, OPTIONS)
    assert not isinstance(raised.value, SigningUnavailable)
    assert backend.resets == 0


def test_the_roots_of_a_chain_are_its_self_signed_certificates_only(signing_pki):
    from integrations.signing.base import roots_of

    chain = [signing_pki.asn1(signing_pki.signer), signing_pki.asn1(signing_pki.root)]
    assert [c.dump() for c in roots_of(chain)] == [chain[1].dump()]


def test_two_processes_making_the_development_key_at_once_keep_one(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from integrations.signing.devpki import ensure_dev_key

    with ThreadPoolExecutor(max_workers=2) as pool:
        paths = list(pool.map(lambda _: ensure_dev_key(tmp_path), range(2)))
    made = paths[0].read_bytes()
    assert paths[0] == paths[1] and made == ensure_dev_key(tmp_path).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev-root.pem", "dev-signer.p12"]
