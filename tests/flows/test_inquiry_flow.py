"""The offices / mortgage inquiry end to end through HTTP, as MANUAL.md's chapter 2 tells it."""

import re

import pytest

from cases.models import Case, CaseStatus
from cases.property_registry import DatabaseRegistry
from integrations.sms.models import OutboxMessage
from tests.support.clients import logged_in
from tests.support.files import jpeg_with_gps, upload
from tests.support.inquiry_driver import C, LETTER, InquiryDriver
from tests.support.pages import Page, fold
from tests.support.transfer_driver import A, B, follow, post_button

pytestmark = pytest.mark.django_db(transaction=True)


def test_happy_path_property_a_to_an_issued_answer(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    records = citizen.until_records(A)
    assert Page.of(records).has("آخرین گواهی صادرشده") and Page.of(records).has("۱۲-۱۴۰۳-۷۷۸۱")
    fees = citizen.step(records, "گام بعدی")
    fees = citizen.step(fees, "تایید و ارسال", LETTER,
                        files={"kind_0": "inquiry_letter", "file_0": upload("l.jpg", jpeg_with_gps())},
                        expect=(200,))
    fees = citizen.step(fees, "گام بعدی")
    assert Page.of(fees).has("این کدنوسازی فاقد بدهی می باشد")
    case = Case.objects.get()
    assert case.tracking_number is None
    done = citizen.step(fees, "ثبت درخواست و صدور")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.tracking_number
    page = Page.of(done)
    assert page.has("شماره پیگیری") and page.has(case.tracking_number_display)
    for label in ("صدور پاسخ استعلام", "نمایش تصویر گواهی", "چاپ استعلام"):
        assert page.link(label)
    pdf = citizen.client.get(page.link("چاپ استعلام"), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    image_page = Page.of(citizen.client.get(page.link("نمایش تصویر گواهی")))
    image = citizen.client.get(f"/certificates/case/{case.pk}/png/", follow=True)
    assert "certificate-image" in image_page.html and f"/certificates/case/{case.pk}/png/" in image_page.html
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert OutboxMessage.objects.filter(kind="inquiry_issued").exists()
    requests = Page.of(citizen.client.get("/services/requests/"))
    assert requests.has(case.tracking_number_display) and requests.link("چاپ")


def test_property_c_stops_at_records_review(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    records = citizen.until_records(C)
    page = Page.of(records)
    assert page.has("گواهی پیشینی صادر نشده است") and page.has("۳۱۲۹۱۵۱۳")
    assert "disabled" in page.form_with_button("گام بعدی").button("گام بعدی").attrs
    assert post_button(citizen.client, records, "گام بعدی").status_code == 400
    assert Case.objects.get().status == CaseStatus.DRAFT


def test_the_records_page_asks_the_registry_once(demo, monkeypatch):
    citizen = InquiryDriver(logged_in("citizen"))
    records = citizen.until_records(C)
    asked, real = [], DatabaseRegistry.latest_certificate

    def counted(registry, code):
        asked.append(code)
        return real(registry, code)

    monkeypatch.setattr(DatabaseRegistry, "latest_certificate", counted)
    page = Page.of(citizen.client.get(records.wsgi_request.get_full_path()))

    # Shown and checked (the button disabled, the reason said) from one answer.
    assert page.has("گواهی پیشینی صادر نشده است")
    assert "disabled" in page.form_with_button("گام بعدی").button("گام بعدی").attrs
    assert asked == [C[0]]


def test_property_b_is_blocked_until_paid_then_issued(demo):
    citizen = InquiryDriver(logged_in("citizen2"))
    fees = citizen.until_fees(B)
    page = Page.of(fees)
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال")
    refused = post_button(citizen.client, fees, "ثبت درخواست و صدور")
    assert refused.status_code == 400 and Case.objects.get().tracking_number is None
    bank = follow(citizen.client, post_button(citizen.client, fees, "پرداخت آنلاین"))
    back = follow(citizen.client, post_button(citizen.client, bank, "پرداخت"))
    assert Page.of(back).has("این کدنوسازی فاقد بدهی می باشد")
    citizen.step(back, "ثبت درخواست و صدور")
    case = Case.objects.get()
    assert case.status == CaseStatus.ARCHIVED and case.payments.get().status == "settled"


def test_wrong_pairing_is_refused_with_the_support_phone(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    r = citizen.step(citizen.open_inquiry(), "گام بعدی", {"تمامی موارد فوق مورد تأیید است": True})
    refused = post_button(citizen.client, r, "استعلام", {"کدنوسازی": A[0], "شماره درخواست": B[1]})
    page = Page.of(refused)
    assert refused.status_code == 400 and page.has("۳۱۲۹۱۵۱۳")
    assert citizen.client.post(refused.wsgi_request.path, {"action": "next"}).status_code == 400


def test_registering_cannot_be_reached_by_skipping_steps(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    records = citizen.until_records(A)
    # A crafted POST of the fees step's button on the records step does not register.
    crafted = citizen.client.post(records.wsgi_request.path, {"action": "register"})
    assert crafted.status_code == 400
    documents = citizen.step(records, "گام بعدی")
    skipped = citizen.client.post(documents.wsgi_request.path, {"action": "next"})
    assert skipped.status_code == 400
    assert Case.objects.get().tracking_number is None


def test_a_failing_automatic_step_never_fails_the_citizen_and_is_swept_later(demo, monkeypatch):
    from cases.certificates import services as certificates
    from workflows.automation import sweep_automatic_steps

    real = certificates.issue_inquiry_answer

    def renderer_down(case):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(certificates, "issue_inquiry_answer", renderer_down)
    citizen = InquiryDriver(logged_in("citizen"))
    response = citizen.step(citizen.until_fees(A), "ثبت درخواست و صدور")
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.status == CaseStatus.REGISTERED and case.tracking_number  # registered, kept
    assert Page.of(response).has(case.tracking_number_display)

    monkeypatch.setattr(certificates, "issue_inquiry_answer", real)
    assert sweep_automatic_steps(older_than_seconds=0) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.certificate
    assert sweep_automatic_steps(older_than_seconds=0) == 0  # nothing left, nothing twice


# Check your answers before ثبت درخواست و صدور: each answer, labelled as in MANUAL.md's
# chapter 2, with a «تغییر» of its own that leads to the step where it is answered.
INQUIRY_ANSWERS = {
    "کدنوسازی": "انتخاب ملک", "شماره درخواست": "انتخاب ملک", "نشانی": "انتخاب ملک",
    "شماره نامه": "بارگذاری مدارک", "تاریخ نامه": "بارگذاری مدارک",
    "نام نهاد یا اداره استعلام کننده": "بارگذاری مدارک", "تصویرها": "بارگذاری مدارک",
}


def current_step(response) -> str:
    return fold(re.search(r'aria-current="step">([^<]+)<', response.content.decode()).group(1))


def test_fees_page_shows_the_answers_with_a_change_button_each(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    fees = citizen.until_fees(A)
    page = Page.of(fees)
    assert current_step(fees) == "تسویه عوارض"
    for label in INQUIRY_ANSWERS:
        assert re.search(rf"<dt>{label}</dt>", fees.content.decode()), label
    for shown in ("۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲", "۱۴۰۳-۱۲-۰۰۰۱۲۳", "۸۸۱۲/ب", "۱۴۰۵/۰۹/۰۱",
                  "بانک ملت شعبه ونک", "نامه استعلام", "(۱ فایل)"):
        assert page.has(shown), shown
    form = page.form_with_button("ثبت درخواست و صدور")
    buttons = {fold(b.text): b.attrs["value"] for b in form.controls
               if b.tag == "button" and b.name == "goto"}
    # The letter and its image: always changeable (the flow goes back to بارگذاری مدارک).
    for label in ("شماره نامه", "تاریخ نامه", "نام نهاد یا اداره استعلام کننده", "تصویرها"):
        assert buttons.pop(fold(f"تغییر {label}")) == "documents", label
    # The property's answers carry a button only where the flow can go back to انتخاب ملک
    # from here; none leads anywhere else.
    assert set(buttons.values()) <= {"property"}
    assert set(buttons) in (set(), {fold(f"تغییر {label}") for label in ("کدنوسازی", "شماره درخواست", "نشانی")})

    for label, value in [("تاریخ نامه", "documents")] + [(k, v) for k, v in buttons.items()][:1]:
        name = label if label.startswith("تغییر") else f"تغییر {label}"
        landed = citizen.step(fees, name)
        assert current_step(landed) == {"documents": "بارگذاری مدارک", "property": "انتخاب ملک"}[value]
        # What was answered is still there, and گام بعدی leads back to the summary.
        assert 'value="۸۸۱۲/ب"' in landed.content.decode() or value == "property"
        while current_step(landed) != "تسویه عوارض":
            landed = citizen.step(landed, "گام بعدی")
        fees = landed
    done = citizen.step(fees, "ثبت درخواست و صدور")
    assert Page.of(done).has("شماره پیگیری")
    assert Case.objects.get().status == CaseStatus.ARCHIVED


def test_a_change_to_a_step_the_flow_cannot_go_back_to_is_refused(demo):
    citizen = InquiryDriver(logged_in("citizen"))
    fees = citizen.until_fees(A)
    refused = citizen.client.post(fees.wsgi_request.path, {"goto": "records"})
    assert refused.status_code == 400 and Page.of(refused).has("این گام قابل تغییر نیست")
    assert current_step(refused) == "تسویه عوارض" and Case.objects.get().tracking_number is None
