"""Both services end to end with a city's own registry over HTTP: the apartment and its
debt are the registry service's, not rows of the local tables, until a citizen picks it."""

import pytest

from cases.models import Case, CaseStatus, Property, RegistryRecord
from tests.support.pages import Page
from tests.support.inquiry_driver import LETTER, InquiryDriver
from tests.support.transfer_driver import CitizenDriver, follow, inspector_decides, logged_in, post_button

from .conftest import CODE, NUMBER, TOKEN

pytestmark = pytest.mark.django_db(transaction=True)

DEBT = {"id": "D-1404-88", "title": "عوارض نوسازی", "amount_rials": 2_750_000}


def pay_online(citizen: CitizenDriver, fees):
    bank = follow(citizen.client, post_button(citizen.client, fees, "پرداخت آنلاین"))
    return follow(citizen.client, post_button(citizen.client, bank, "پرداخت"))


def assert_only_the_registry_knew_it(city_registry) -> None:
    assert not Property.objects.filter(renovation_code=CODE).exists()
    assert not RegistryRecord.objects.filter(request_number=NUMBER).exists()


def assert_the_registry_was_asked_with_the_token(city_registry) -> None:
    assert city_registry.seen and {auth for auth, _ in city_registry.seen} == {f"Bearer {TOKEN}"}


def test_a_transfer_to_its_certificate(demo, city_registry):
    city_registry.debts[CODE] = [DEBT]
    assert_only_the_registry_knew_it(city_registry)
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm((CODE, NUMBER)), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.REGISTERED and case.tracking_number
    assert case.property.address == "خیابان آزادی، کوچه نسترن، پلاک ۹"
    assert case.property.owners == ("نرگس صالحی", "بهرام صالحی")

    inspector_decides(case)
    requests = Page.of(citizen.client.get("/services/requests/"))
    status = Page.of(citizen.client.get(requests.link("آخرین وضعیت")))
    fees = citizen.client.get(status.link("گام بعدی"))
    assert Page.of(fees).has("۲٬۷۵۰٬۰۰۰ ریال")
    refused = citizen.client.post(fees.wsgi_request.path, {"action": "next"})
    assert refused.status_code == 400 and Page.of(refused).has("تا بدهی عوارض نوسازی پرداخت نشود")

    back = pay_online(citizen, fees)
    # The registry still lists the debt (it learns of payments later): paid here, it stays paid.
    assert Page.of(back).has("این کدنوسازی فاقد بدهی می باشد")
    issuance = citizen.step(back, "گام بعدی")
    done = citizen.step(issuance, "صدور گواهی با امکان چاپ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.payments.get().status == "settled"
    pdf = citizen.client.get(Page.of(done).link("چاپ"), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_the_registry_was_asked_with_the_token(city_registry)


def test_an_inquiry_to_its_answer(demo, city_registry):
    city_registry.debts[CODE] = [DEBT]
    assert_only_the_registry_knew_it(city_registry)
    citizen = InquiryDriver(logged_in("citizen2"))
    records = citizen.until_records((CODE, NUMBER))
    assert Page.of(records).has("آخرین گواهی صادرشده") and Page.of(records).has("۱۲-۱۴۰۴-۳۳۱۰")
    documents = citizen.step(records, "گام بعدی")
    fees = citizen.step(documents, "تایید و ارسال", LETTER, files=_letter(), expect=(200,))
    fees = citizen.step(fees, "گام بعدی")
    assert Page.of(fees).has("۲٬۷۵۰٬۰۰۰ ریال")
    refused = post_button(citizen.client, fees, "ثبت درخواست و صدور")
    assert refused.status_code == 400 and Case.objects.get().tracking_number is None

    back = pay_online(citizen, fees)
    assert Page.of(back).has("این کدنوسازی فاقد بدهی می باشد")
    done = citizen.step(back, "ثبت درخواست و صدور")
    case = Case.objects.get()
    assert case.status == CaseStatus.ARCHIVED and case.tracking_number
    assert case.certificate and Page.of(done).has(case.tracking_number_display)
    pdf = citizen.client.get(Page.of(done).link("چاپ استعلام"), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_the_registry_was_asked_with_the_token(city_registry)


def _letter() -> dict:
    from tests.support.files import jpeg_with_gps, upload

    return {"kind_0": "inquiry_letter", "file_0": upload("letter.jpg", jpeg_with_gps())}


def test_a_registry_that_cannot_answer_gets_the_try_again_page(demo, city_registry):
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.client.raise_request_exception = False  # as a browser sees it: handler500
    search = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    city_registry.failures = [503, 503, 503]
    response = post_button(citizen.client, search, "جستجو",
                           {"کدنوسازی": CODE, "شماره درخواست یا گواهی": NUMBER})
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "سامانه موقتاً در دسترس نیست" in text and "سامانه املاک شهرداری" in text
    # Not a refusal: nothing says the code or number is wrong, and the draft is as it was.
    assert "ثبت نشده است" not in text and "یافت نشد" not in text
    assert Case.objects.get().property_id is None

    found = citizen.step(search, "جستجو", {"کدنوسازی": CODE, "شماره درخواست یا گواهی": NUMBER},
                         expect=(200,))
    assert Page.of(found).has("مطابقت دارد") and Case.objects.get().property.renovation_code == CODE
