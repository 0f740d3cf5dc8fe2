"""Revoking and reissuing: an issued certificate never changes, a new version replaces it.

Both are recorded on the case's timeline: "certificate_revoked" for the old version and
"certificate_issued" (with "replaces") for the new one.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.tracking import generate_verification_code

from .models import Certificate, certificate_validity
from .services import CertificateNotIssuable, html_builder, record_issued, render_pdf

REASON_MAX = 200


def revoke_certificate(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke `certificate` now; revoking a revoked one again changes nothing."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is None:
            _revoke(locked, actor=actor, reason=reason, keep_current=True)
    return locked


def reissue_certificate(case: Case, *, actor, reason: str,
                        replacing: Certificate | None = None) -> Certificate:
    """A new version of the case's certificate, the current one revoked.

    `replacing`: the version the person asking looked at. If another reissue replaced
    it meanwhile (a double click, two clerks), that newer version is returned and
    nothing else is issued.
    """
    current = Certificate.objects.filter(case=case).first()
    if current is None:
        raise CertificateNotIssuable(f"case {case.pk} has no certificate to reissue")
    if replacing is not None and replacing.pk != current.pk:
        return current
    issued_at = timezone.now()
    # Printed on the new version. Any other reissue meanwhile changes the current
    # version, which the locked check below notices, so the number cannot clash.
    version = (case.certificate_versions.aggregate(v=Max("version"))["v"] or 0) + 1
    fresh = Certificate(
        issued_for=case, kind=current.kind, facts=current.facts, version=version,
        verification_code=generate_verification_code(),
        issued_at=issued_at, valid_until=issued_at + certificate_validity(),
    )
    pdf = render_pdf(fresh, html_builder(case, current.kind, current.facts))
    fresh.sha256 = hashlib.sha256(pdf).hexdigest()
    fresh.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            list(Case.objects.select_for_update().filter(pk=case.pk).values("pk"))
            locked = Certificate.objects.select_for_update().filter(case=case).first()
            if locked is None or locked.pk != current.pk:
                raise _Superseded
            _revoke(locked, actor=actor, reason=reason, keep_current=False)
            fresh.case = case
            fresh.save()
            record_issued(fresh, actor=actor, replaces=locked)
    except _Superseded:
        fresh.pdf.delete(save=False)
        return Certificate.objects.get(case=case)
    except BaseException:
        fresh.pdf.delete(save=False)
        raise
    return fresh


class _Superseded(Exception):
    pass


def _revoke(certificate: Certificate, *, actor, reason: str, keep_current: bool) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason.strip()[:REASON_MAX]
    fields = ["revoked_at", "revocation_reason"]
    if not keep_current:
        certificate.case = None
        fields.append("case")
    certificate.save(update_fields=fields)
    CaseEvent.objects.create(
        case_id=certificate.issued_for_id, actor=actor, name="certificate_revoked",
        data={"certificate_id": certificate.pk, "version": certificate.version,
              "reason": certificate.revocation_reason},
    )
