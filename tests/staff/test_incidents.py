"""A forced PDF failure at issuance becomes an incident the supervisor sees under
«رخدادها», on the dashboard and in /metrics; «تلاش دوباره» issues the answer once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.certificates.models import Certificate
from cases.incidents.models import Incident, IncidentStatus
from cases.models import Case, CaseStatus
from integrations.pdf.base import PdfRenderer, PdfRenderingError
from tests.support.certificates import RECORDING_RENDERER
from tests.support.clients import logged_in
from tests.support.inquiry_driver import A, InquiryDriver
from tests.support.pages import Page

pytestmark = pytest.mark.django_db


class BrokenRenderer(PdfRenderer):
    def render(self, html: str, base_url: str) -> bytes:
        raise PdfRenderingError("font missing: Vazirmatn-Bold.woff2")


@pytest.fixture
def failed_issue(demo, settings, django_capture_on_commit_callbacks):
    settings.PDF_RENDERER = f"{__name__}.BrokenRenderer"
    citizen = InquiryDriver(logged_in("citizen"))
    fees = citizen.until_fees(A)
    with django_capture_on_commit_callbacks(execute=True):  # the automatic step runs
        citizen.step(fees, "ثبت درخواست و صدور")
    case = Case.objects.get()
    assert case.status == CaseStatus.REGISTERED
    return case


def test_the_failed_step_is_listed_with_its_case_node_and_error(failed_issue):
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.OPEN and incident.attempts >= 1
    assert (incident.flow_label, incident.node_name) == ("inquiry", "issue")
    page = Page.of(logged_in("supervisor").get(reverse("staff:incidents")))
    row = page.text
    assert failed_issue.tracking_number_display in row
    assert "صدور و چاپ پاسخ استعلام" in row and "font missing" in row
    assert "تلاش دوباره" in row
    assert logged_in("inspector").get(reverse("staff:incidents")).status_code == 403


def test_retry_issues_the_answer_once(failed_issue, settings, django_capture_on_commit_callbacks):
    settings.PDF_RENDERER = RECORDING_RENDERER  # the font is back
    supervisor = logged_in("supervisor")
    incident = Incident.objects.get()
    retry = reverse("staff:incident_retry", args=[incident.pk])
    with django_capture_on_commit_callbacks(execute=True):
        supervisor.post(retry)
    again = supervisor.post(retry, follow=True)
    assert "در حال تلاش دوباره است یا برطرف شده" in again.content.decode()
    failed_issue.refresh_from_db()
    assert failed_issue.status == CaseStatus.ARCHIVED
    assert Certificate.objects.filter(case=failed_issue).count() == 1
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED
    names = list(failed_issue.events.filter(name__startswith="incident_").values_list("name", flat=True))
    assert names == ["incident_opened", "incident_retried", "incident_resolved"]
    assert "رخداد بازی نیست" in supervisor.get(reverse("staff:incidents")).content.decode()


def test_a_retry_that_fails_again_stays_listed_with_one_more_attempt(
        failed_issue, django_capture_on_commit_callbacks):
    incident = Incident.objects.get()
    before = incident.attempts
    with django_capture_on_commit_callbacks(execute=True):
        logged_in("supervisor").post(reverse("staff:incident_retry", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN and incident.attempts == before + 1


def test_the_dashboard_and_metrics_count_open_incidents(failed_issue, settings):
    page = logged_in("supervisor").get(reverse("staff:dashboard", args=["inquiry"]))
    diagram = page.context["diagram"]
    issue = [n for n in diagram["nodes"] if n["id"] == "Node_issue"][0]
    assert issue["incidents"] == 1 and issue["incidents_url"] == reverse("staff:incidents")
    assert "رخدادهای باز: ۱" in page.content.decode()
    from ops.metrics import business_registry

    text = __import__("prometheus_client").generate_latest(business_registry()).decode()
    assert 'eservices_incidents_open{kind="automatic_step"} 1.0' in text


def test_retrying_an_incident_that_is_not_there_is_not_found(demo):
    assert logged_in("supervisor").post(reverse("staff:incident_retry", args=[999])).status_code == 404


def test_an_incident_of_a_draft_names_no_case_page(demo):
    from cases.incidents import services
    from cases.incidents.models import IncidentKind
    from tests.support.factories import CaseFactory

    draft = CaseFactory()
    services.record_failure(IncidentKind.TASK_ERROR, "task:999999", case=draft,
                            flow_label="transfer", error="ValueError: rule")
    body = logged_in("supervisor").get(reverse("staff:incidents")).content.decode()
    assert "پیش‌نویس شهروند (هنوز ثبت نشده)" in body
    # A draft has no staff case page (404): no link to it, nor to cancelling it.
    assert reverse("staff:case", args=[draft.pk]) not in body
