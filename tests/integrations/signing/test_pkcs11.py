"""A key on a PKCS#11 token signs: SoftHSM2, Debian's software HSM, stands in for the
city's HSM through the same kind of vendor module."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from integrations.signing import pades
from integrations.signing.loader import get_key_backend
from tests.support.certificates import blank_pdf
from tests.support.softhsm import HSM_ORG, use_token


def validate(pdf: bytes, pki):
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[pki.asn1(pki.root)], allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context)


def test_a_softhsm2_token_signs_a_document(settings, softhsm_token, signing_pki):
    use_token(settings, softhsm_token, signing_pki)
    backend = get_key_backend()
    signed = pades.sign_pdf(blank_pdf("hsm"), backend, pades.Options(retry_seconds=0))
    status = validate(signed.data, signing_pki)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.dump() == signing_pki.asn1(softhsm_token.signer).dump()
    assert backend.signer_name() == HSM_ORG


def test_a_session_lost_under_it_is_opened_again(settings, softhsm_token, signing_pki):
    use_token(settings, softhsm_token, signing_pki)
    backend = get_key_backend()
    pades.sign_pdf(blank_pdf("first"), backend, pades.Options(retry_seconds=0))
    backend._session.close()  # the HSM restarted: the session it held is gone
    signed = pades.sign_pdf(blank_pdf("second"), backend, pades.Options(retry_seconds=0))
    assert validate(signed.data, signing_pki).intact
