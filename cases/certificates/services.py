"""Issuing certificates: render once, store privately, record it on the case timeline."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import ApplicantRole, Case, CaseEvent, CaseStatus, ServiceKind
from cases.payments.services import has_open_debt
from cases.properties import refresh_debts
from cases.tracking import generate_verification_code
from integrations.pdf.loader import get_renderer
from integrations.registry.loader import get_registry

from .models import Certificate, CertificateKind, certificate_validity
from .rendering import (
    INSPECTION_RESULT_LABELS,
    inquiry_answer_html,
    site_base_url,
    transfer_certificate_html,
)
from .signing import sign_issued

TRANSFER_ISSUABLE = {CaseStatus.FEES_SETTLED, CaseStatus.ISSUED}
INQUIRY_ISSUABLE = {CaseStatus.REGISTERED, CaseStatus.ISSUED}


class CertificateNotIssuable(ValueError):
    """The case or the facts given do not allow a certificate (a bug upstream)."""


class CertificateTampered(Exception):
    """The stored file no longer matches the hash taken when it was issued."""


def issue_transfer_certificate(case: Case, *, inspection: dict, fees: dict) -> Certificate:
    """The case's transfer certificate, issued now or earlier (a retried step gets the same).

    inspection: {"visited_at": datetime, "result": "approved", "inspector": name};
    fees: {"amount_rials": int, "reference": str} (amount 0: the code had no debt).
    Does not change the case's status: the flow does that.
    """
    existing = Certificate.objects.filter(case=case).first()
    if existing is not None:
        return existing
    facts = _transfer_facts(case, inspection, fees)
    return issue_certificate(
        case,
        kind=CertificateKind.TRANSFER,
        build_html=html_builder(case, CertificateKind.TRANSFER, stored_facts(facts)),
        facts=stored_facts(facts),
    )


def issue_inquiry_answer(case: Case) -> Certificate:
    """The inquiry case's answer, issued now or earlier (a retried step gets the same).

    Needs a registered inquiry with its property and the institution's letter, an
    earlier certificate in the registry to rest on, and no open renovation debt.
    Does not change the case's status: the flow does that.
    """
    existing = Certificate.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return issue_certificate(
        case,
        kind=CertificateKind.INQUIRY_ANSWER,
        build_html=html_builder(case, CertificateKind.INQUIRY_ANSWER, {}),
    )


def issue_certificate(
    case: Case, *, kind: str, build_html: Callable[[Certificate], str], facts: dict | None = None
) -> Certificate:
    """Issue `case`'s one certificate of `kind`, its HTML built from the unsaved row.

    The callers above return the case's certificate when it has one already; under
    concurrency the case row is locked while storing, and the loser of a race gets the
    winner's certificate; its own file is deleted.
    """
    issued_at = timezone.now()
    certificate = Certificate(
        case=case,
        issued_for=case,
        facts=facts or {},
        kind=kind,
        verification_code=generate_verification_code(),
        issued_at=issued_at,
        valid_until=issued_at + certificate_validity(),
    )
    return _store(certificate, render_pdf(certificate, build_html))


def render_pdf(certificate: Certificate, build_html: Callable[[Certificate], str]) -> bytes:
    """The document's PDF, signed (signing.sign_issued records how on `certificate`).

    Rendering takes a good fraction of a second: callers do it before taking any lock.
    """
    pdf = get_renderer().render(build_html(certificate), base_url=site_base_url())
    return sign_issued(certificate, pdf)


def html_builder(case: Case, kind: str, facts: dict) -> Callable[[Certificate], str]:
    """How to write `case`'s document of `kind` from the facts kept with it (facts
    for a transfer: stored_facts' output; an inquiry answer reads the registry now)."""
    if kind == CertificateKind.TRANSFER:
        if not facts:
            raise CertificateNotIssuable(f"case {case.pk}: no facts kept to write it from")
        values = {**facts, "visited_at": datetime.datetime.fromisoformat(facts["visited_at"])}
        return lambda certificate: transfer_certificate_html(certificate, **values)
    earlier = _inquiry_facts(case)
    return lambda certificate: inquiry_answer_html(certificate, earlier=earlier)


def stored_facts(facts: dict) -> dict:
    """_transfer_facts' values as JSON can keep them."""
    return {**facts, "visited_at": facts["visited_at"].isoformat()}


def certificate_pdf(case: Case) -> bytes:
    """The stored PDF of the case's certificate (Certificate.DoesNotExist if none)."""
    return stored_pdf(Certificate.objects.get(case=case))


def stored_pdf(certificate: Certificate) -> bytes:
    """The bytes of `certificate`'s PDF, checked against the hash taken when issued."""
    with certificate.pdf.open("rb") as file:
        data = file.read()
    if hashlib.sha256(data).hexdigest() != certificate.sha256:
        raise CertificateTampered(f"certificate {certificate.pk}: stored file changed")
    return data


class _AlreadyIssued(Exception):
    pass


def _store(certificate: Certificate, pdf: bytes) -> Certificate:
    certificate.sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            list(Case.objects.select_for_update().filter(pk=certificate.case_id).values("pk"))
            if Certificate.objects.filter(case_id=certificate.case_id).exists():
                raise _AlreadyIssued
            certificate.save()
            record_issued(certificate, actor=None)
    except (_AlreadyIssued, IntegrityError):
        certificate.pdf.delete(save=False)
        winner = Certificate.objects.filter(case_id=certificate.case_id).first()
        if winner is None:
            raise
        return winner
    except BaseException:
        certificate.pdf.delete(save=False)
        raise
    return certificate


def record_issued(certificate: Certificate, *, actor, replaces: Certificate | None = None) -> None:
    data = {"certificate_id": certificate.pk, "kind": certificate.kind,
            "version": certificate.version, "verification_code": certificate.verification_code}
    if replaces is not None:
        data["replaces"] = replaces.pk
    CaseEvent.objects.create(case_id=certificate.issued_for_id, actor=actor,
                             name="certificate_issued", data=data)


def _transfer_facts(case: Case, inspection: dict, fees: dict) -> dict:
    """Check that `case` may get a transfer certificate; the values the template shows."""
    if case.service != ServiceKind.TRANSFER or case.status not in TRANSFER_ISSUABLE:
        raise CertificateNotIssuable(
            f"case {case.pk}: a {case.service} case in status {case.status}"
        )
    if case.property_id is None or case.applicant_role not in ApplicantRole.values:
        raise CertificateNotIssuable(f"case {case.pk}: no property or applicant role")
    visited_at = inspection.get("visited_at")
    result = inspection.get("result")
    inspector = str(inspection.get("inspector") or "").strip()
    if not isinstance(visited_at, datetime.datetime) or not inspector:
        raise CertificateNotIssuable("inspection needs visited_at (datetime) and inspector")
    if result not in INSPECTION_RESULT_LABELS:
        raise CertificateNotIssuable(f"no certificate after an inspection result {result!r}")
    amount = fees.get("amount_rials")
    reference = str(fees.get("reference") or "").strip()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise CertificateNotIssuable("fees need amount_rials, an int >= 0")
    if amount > 0 and not reference:
        raise CertificateNotIssuable("settled fees need their payment reference")
    return {
        "visited_at": visited_at,
        "result": result,
        "inspector": inspector,
        "amount_rials": amount,
        "reference": reference,
    }


def _inquiry_facts(case: Case):
    """Check that `case` may get its answer; the earlier certificate the answer cites.

    A case that has its answer already (a reissue) may be in any later status.
    """
    reissue = Certificate.objects.filter(case=case).exists()
    if case.service != ServiceKind.INQUIRY or not (reissue or case.status in INQUIRY_ISSUABLE):
        raise CertificateNotIssuable(
            f"case {case.pk}: a {case.service} case in status {case.status}"
        )
    if case.property_id is None:
        raise CertificateNotIssuable(f"case {case.pk}: no property")
    if not (case.letter_institution.strip() and case.letter_number.strip() and case.letter_date):
        raise CertificateNotIssuable(f"case {case.pk}: the institution's letter is incomplete")
    # The answer states "no debt": never print it while the registry lists one that was
    # not paid here.
    refresh_debts(case)
    if has_open_debt(case):
        raise CertificateNotIssuable(f"case {case.pk}: the renovation code has open debts")
    earlier = get_registry().latest_certificate(case.property.renovation_code)
    if earlier is None:
        raise CertificateNotIssuable(f"case {case.pk}: no earlier certificate to rest on")
    return earlier
