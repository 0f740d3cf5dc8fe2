"""The transfer service end to end through HTTP, as MANUAL.md's chapter tells it."""

import pytest

from cases.models import Case, CaseStatus
from integrations.sms.models import OutboxMessage
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import A, B, PHONE, CitizenDriver, follow, post_button

# Real commits: automatic steps and SMS run on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-pass-1405"


def inspect(result: str, reason: str = "", inspector: str = "inspector"):
    client = logged_in(inspector)
    inbox = Page.of(client.get("/staff/visits/"))
    visit = client.get(inbox.link("ثبت نتیجه بازدید"))
    assert visit.status_code == 200
    values = {result: True}
    if reason:
        values["دلیل ابطال"] = reason
    response = post_button(client, visit, "ثبت نتیجه بازدید", values)
    assert response.status_code == 302, Page.of(response).text[:600]


def resume(citizen: CitizenDriver, case: Case):
    requests = Page.of(citizen.client.get("/services/requests/"))
    status = citizen.client.get(requests.link("آخرین وضعیت"))
    return status


def test_happy_path_without_debt_to_permanent_archive(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    confirm = citizen.until_confirm(A)
    assert Page.of(confirm).has("تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    assert case.tracking_number is None  # nothing exists for the municipality yet

    registered = citizen.step(confirm, "تایید و ثبت")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.tracking_number
    page = Page.of(registered)
    assert page.has("شماره پیگیری") and page.has(case.tracking_number_display)
    assert OutboxMessage.objects.filter(to=PHONE, kind="case_registered").exists()

    inspect("تأیید", inspector=case.appointments.get().slot.inspector.username)
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED
    come_back = OutboxMessage.objects.get(to=PHONE, kind="inspection_approved")
    assert "به سایت مراجعه کنید" in come_back.body

    status = resume(citizen, case)
    fees = citizen.client.get(Page.of(status).link("گام بعدی"))
    assert Page.of(fees).has("این کدنوسازی فاقد بدهی می باشد")
    issuance = citizen.step(fees, "گام بعدی")
    done = citizen.step(issuance, "صدور گواهی با امکان چاپ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert Page.of(done).has("بایگانی دائم")
    pdf = citizen.client.get(Page.of(done).link("چاپ"), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    names = list(case.events.values_list("name", flat=True))
    for expected in ("case_registered", "inspection_approved", "fees_settled", "case_issued",
                     "certificate_issued", "case_archived"):
        assert expected in names, names



def own_case(username: str) -> Case:
    return Case.objects.filter(citizen__username=username).latest("pk")


def test_debt_is_paid_through_the_sandbox_bank_then_issued(demo):
    citizen = CitizenDriver(logged_in("citizen2"))
    citizen.step(citizen.until_confirm(B), "تایید و ثبت")
    case = own_case("citizen2")
    inspect("تأیید")  # district 3: `inspector`'s
    fees = citizen.client.get(Page.of(resume(citizen, case)).link("گام بعدی"))
    page = Page.of(fees)
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال") and not page.has("این کدنوسازی فاقد بدهی می باشد")
    assert "disabled" in page.form_with_button("گام بعدی").button("گام بعدی").attrs
    refused = citizen.client.post(fees.wsgi_request.path, {"action": "next"})  # crafted
    assert refused.status_code == 400
    assert Page.of(refused).has("تا بدهی عوارض نوسازی پرداخت نشود")

    bank = follow(citizen.client, post_button(citizen.client, fees, "پرداخت آنلاین"))
    assert Page.of(bank).has("پرداخت") and Page.of(bank).has("انصراف")
    back = follow(citizen.client, post_button(citizen.client, bank, "پرداخت"))
    assert Page.of(back).has("پرداخت با موفقیت انجام شد")
    assert Page.of(back).has("این کدنوسازی فاقد بدهی می باشد")
    issuance = citizen.step(back, "گام بعدی")
    done = citizen.step(issuance, "صدور گواهی با امکان چاپ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert case.payments.get().status == "settled"
    assert citizen.client.get(Page.of(done).link("چاپ"), follow=True)["Content-Type"] == "application/pdf"


def test_inspection_cancelled_ends_in_ebtal_with_the_reason(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    case = own_case("citizen")
    inspector = case.appointments.get().slot.inspector.username
    inspect("ابطال", reason="نقشه با وضع موجود مطابقت ندارد", inspector=inspector)
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    status = Page.of(resume(citizen, case))
    assert status.has("ابطال") and status.has("نقشه با وضع موجود مطابقت ندارد")
    with pytest.raises(AssertionError):
        status.link("گام بعدی")
    sms = OutboxMessage.objects.get(to=PHONE, kind="inspection_cancelled")
    assert "نقشه با وضع موجود مطابقت ندارد" in sms.body


def test_cancelling_without_a_reason_is_refused(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    case = own_case("citizen")
    username = case.appointments.get().slot.inspector.username
    client = logged_in(username)
    visit = client.get(Page.of(client.get("/staff/visits/")).link("ثبت نتیجه بازدید"))
    response = post_button(client, visit, "ثبت نتیجه بازدید", {"ابطال": True})
    assert response.status_code == 400
    assert Page.of(response).has("برای ابطال، دلیل را بنویسید")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_the_inspector_attaches_a_photo_and_a_bad_file_loses_nothing(demo):
    from cases.documents.models import CaseDocument
    from tests.support.files import jpeg_with_gps, script_named_jpg, upload

    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    case = own_case("citizen")
    client = logged_in(case.appointments.get().slot.inspector.username)
    visit = client.get(Page.of(client.get("/staff/visits/")).link("ثبت نتیجه بازدید"))
    values = {"تأیید": True, "یادداشت کارشناس": "نما با نقشه یکسان است"}
    refused = post_button(client, visit, "ثبت نتیجه بازدید", values, files={"photo": script_named_jpg()})
    assert refused.status_code == 400 and Page.of(refused).has("فقط تصویر JPEG یا PNG")
    assert "نما با نقشه یکسان است" in refused.content.decode()  # kept
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    done = post_button(client, visit, "ثبت نتیجه بازدید", values,
                       files={"photo": upload("site.jpg", jpeg_with_gps())})
    assert done.status_code == 302
    photo = CaseDocument.objects.get(case=case, kind="inspection_photo")
    assert photo.uploaded_by.has_perm("cases.inspect_case")
    assert case.events.filter(name="inspection_photo_added").exists()
    assert case.inspection.notes == "نما با نقشه یکسان است"
