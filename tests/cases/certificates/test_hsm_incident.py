"""An HSM that stays unreachable never lets a document out unsigned: the issuing step
tries the key a few times, fails, and the supervisors see it among the incidents; once
the HSM is back, «تلاش دوباره» issues the document signed by it."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from cases.certificates.models import Certificate
from cases.certificates.services import certificate_pdf
from cases.incidents.models import Incident, IncidentKind, IncidentStatus
from cases.models import Case, CaseStatus
from tests.support.certificates import RECORDING_RENDERER
from tests.support.clients import logged_in
from tests.support.inquiry_driver import A, InquiryDriver
from tests.support.pages import Page
from tests.support.softhsm import use_token

pytestmark = pytest.mark.django_db


def test_an_unreachable_hsm_is_a_failed_step_then_a_retry_signs(
        demo, settings, softhsm_token, signing_pki, django_capture_on_commit_callbacks):
    use_token(settings, softhsm_token, signing_pki, label="hsm-unplugged")
    settings.PDF_RENDERER = RECORDING_RENDERER  # each of the step's tries renders first
    citizen = InquiryDriver(logged_in("citizen"))
    fees = citizen.until_fees(A)
    with django_capture_on_commit_callbacks(execute=True):  # the automatic step runs
        citizen.step(fees, "ثبت درخواست و صدور")
    case = Case.objects.get()
    assert case.status == CaseStatus.REGISTERED  # not issued: no unsigned answer left
    assert not Certificate.objects.exists()
    incident = Incident.objects.get()
    assert incident.kind == IncidentKind.AUTOMATIC_STEP and incident.status == IncidentStatus.OPEN
    assert "SigningUnavailable" in incident.error and "PKCS#11" in incident.error
    supervisor = logged_in("supervisor")
    assert "SigningUnavailable" in Page.of(supervisor.get(reverse("staff:incidents"))).text

    use_token(settings, softhsm_token, signing_pki)  # the HSM is back
    with django_capture_on_commit_callbacks(execute=True):
        supervisor.post(reverse("staff:incident_retry", args=[incident.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    signature = PdfFileReader(BytesIO(certificate_pdf(case))).embedded_signatures[0]
    assert signature.signer_cert.dump() == signing_pki.asn1(softhsm_token.signer).dump()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
