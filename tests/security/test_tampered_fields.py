"""Hidden and chosen values edited in the browser before posting: case id, amount, slot,
step. Each is refused, and nothing of anyone's changes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.appointments import services as appointments
from cases.appointments.models import Appointment
from cases.models import Case, CaseStatus, RenovationDebt
from cases.payments.models import Payment
from flows.transfer_flow import TransferFlow
from integrations.payments.sandbox.gateway import bank_decision
from tests.support.citizen_a import inspect, latest_case, snapshot
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import A, B, CitizenDriver, post_button

pytestmark = pytest.mark.django_db
PHONE_LABEL = "شماره تماس مالک جهت هماهنگی کارشناس"


def test_paying_for_another_citizens_case_by_its_id_is_refused(victim):
    b = logged_in("citizen2")
    before = snapshot(victim)
    for case in victim.cases:
        response = b.post(f"/payments/start/{case.pk}/", {"next": "/services/"})
        assert response.status_code == 404, (case.pk, response.status_code)
    assert snapshot(victim) == before


def own_case_at_fees(debt_rials: int):
    """citizen2's own case on property B, visited and back at the fees step, owing a debt."""
    citizen = CitizenDriver(logged_in("citizen2"))
    citizen.step(citizen.until_confirm(B, phone="09121117777"), "تایید و ثبت")
    case = latest_case("citizen2")
    inspect(case, "تأیید")
    RenovationDebt.objects.create(property=case.property, amount_rials=debt_rials,
                                  **_debt_defaults())
    status = citizen.client.get(f"/services/cases/{case.pk}/")
    return citizen, case, citizen.client.get(Page.of(status).link("گام بعدی"))


def _debt_defaults() -> dict:
    fields = {f.name for f in RenovationDebt._meta.get_fields()}
    return {"title": "عوارض نوسازی ۱۴۰۵"} if "title" in fields else {}


def test_a_tampered_amount_or_return_address_is_refused(victim):
    citizen, case, fees = own_case_at_fees(debt_rials=4_200_000)
    assert Page.of(fees).has("پرداخت آنلاین")
    # The amount is never taken from the form: a posted one is ignored.
    form = Page.of(fees).form_with_button("پرداخت آنلاین")
    data = form.data({}, button="پرداخت آنلاین") | {"amount": "10", "amount_rials": "10"}
    evil = citizen.client.post(form.attrs["action"], data | {"next": "https://evil.example/"})
    assert evil.status_code == 400 and "نشانی بازگشت معتبر نیست" in evil.content.decode()
    bank = citizen.client.post(form.attrs["action"], data)
    assert bank.status_code == 302
    payment = Payment.objects.filter(case=case).latest("pk")
    assert payment.amount_rials == 4_200_000
    # The bank's answer, with its amount edited on the way back, settles nothing.
    answer = bank_decision(payment.gateway_token, "pay") | {"amount": "10"}
    refused = citizen.client.get("/payments/callback/", answer)
    assert refused.status_code == 400
    assert "پاسخ بانک معتبر نیست" in refused.content.decode()
    payment.refresh_from_db()
    assert payment.status != "settled" and not payment.reference
    assert RenovationDebt.objects.filter(property=case.property, amount_rials=4_200_000,
                                         ).exclude(status="paid").exists()


def test_a_slot_never_offered_is_refused(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.until_appointment(B)
    case = latest_case("citizen2")
    taken = appointments.current(victim.registered).slot.starts_at  # A's booked hour
    past = timezone.now() - datetime.timedelta(days=3)
    far = timezone.now() + datetime.timedelta(days=400)
    for starts_at in (taken.isoformat(), past.isoformat(), far.isoformat(), "1' OR 1=1",
                      "2026-13-45T99:00"):
        answer = citizen.step(page, "دریافت کد تایید", {PHONE_LABEL: "09121116666"},
                              files={"starts_at": starts_at}, expect=(200, 400))
        assert not Appointment.objects.filter(case=case).exists(), starts_at
        assert Page.of(answer).has("خطا") or "error" in answer.content.decode(), starts_at
    assert appointments.current(victim.registered).case_id == victim.registered.pk


def test_a_finished_step_cannot_be_posted_again_to_change_the_property(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.until_documents(A)
    case = latest_case("citizen2")
    apartment = Task.objects.get(process__caseprocess__case=case,  # the done step
                                 flow_task=TransferFlow.apartment)
    before = (case.property_id, case.status)
    response = citizen.client.post(apartment.reverse("execute"), {
        "renovation_code": B[0], "request_number": B[1], "action": "next"})
    # Refused with the notice that the step is no longer open (workflows/task_urls.py).
    assert response.status_code == 409
    assert Page.of(response).has("اکنون باز نیست")
    case.refresh_from_db()
    assert (case.property_id, case.status) == before == (case.property_id, CaseStatus.DRAFT)
    # Skipping ahead: "گام بعدی" on the documents step with nothing uploaded stays put.
    stay = post_button(citizen.client, page, "گام بعدی")
    assert stay.status_code in (200, 400)
    assert Page.of(stay).has("بارگذاری مدارک")
    assert not Case.objects.get(pk=case.pk).tracking_number
