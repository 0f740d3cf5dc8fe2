"""Issued certificates: the PDF is there, unchanged, and verifies as /verify/ would say."""

from __future__ import annotations

import datetime

from django.core.files.storage import Storage

from cases.certificates import file_check, lookup
from cases.certificates.models import Certificate
from cases.certificates.services import CertificateTampered, stored_pdf
from cases.models import Case, CaseStatus

from .report import Report, Share

# What /verify/ may say of a file we issued and stored: anything else means it is not.
STORED_OUTCOMES = {file_check.GENUINE, file_check.REVOKED, file_check.BEFORE_SIGNATURES}


def check_certificates(storage: Storage, listed: dict[str, int], share: Share,
                       report: Report, now: datetime.datetime) -> None:
    certificates = Certificate.objects.select_related("issued_for").order_by("pk")
    for certificate in certificates.iterator(chunk_size=2000):
        report.count("certificates")
        where = f"certificate {certificate.pk} (case {certificate.issued_for_id})"
        if certificate.pdf.name not in listed:
            report.mismatch("certificate file missing",
                            f"{where}: {certificate.pdf.name} is not in the store")
            continue
        if certificate.preview and certificate.preview.name not in listed:
            report.mismatch("preview missing", f"{where}: {certificate.preview.name}")
        if not share.holds(certificate.pk):
            continue
        report.count("certificates verified")
        _verify(certificate, where, report, now)
    # The flow issues before it marks a case issued: such a case without one lost it.
    bare = (Case.objects.filter(status__in=[CaseStatus.ISSUED, CaseStatus.ARCHIVED],
                                certificate_versions__isnull=True)
            .values_list("pk", flat=True))
    for case_id in bare.iterator():
        report.mismatch("certificate row missing", f"case {case_id} is issued but has none")


def _verify(certificate: Certificate, where: str, report: Report,
            now: datetime.datetime) -> None:
    try:
        data = stored_pdf(certificate)
    except CertificateTampered:
        report.mismatch("certificate hash differs",
                        f"{where}: the PDF no longer has its recorded SHA-256")
        return
    found = lookup.verify(certificate.issued_for.tracking_number,
                          certificate.verification_code, now=now)
    if found is None or found.version != certificate.version:
        report.mismatch("certificate not verifiable",
                        f"{where}: /verify/ does not find it by its tracking number and code")
        return
    verdict = file_check.check_file(data, now=now)
    if verdict.outcome not in STORED_OUTCOMES or verdict.document is None \
            or verdict.document.version != certificate.version:
        report.mismatch("certificate file not verifiable",
                        f"{where}: /verify/ says {verdict.outcome!r} of the stored PDF")
