"""The public verification page: a genuine pair shows the document's own facts and
state; every other input gets one and the same answer; lookups are rate-limited."""

import datetime
import re

import pytest
import time_machine

from cases.certificates.services import issue_inquiry_answer
from cases.certificates.versions import revoke_certificate
from cases.persian import to_persian_digits
from tests.support.certificates import (
    INSTITUTION,
    ISSUED,
    NO_MATCH,
    TEHRAN,
    inquiry_case,
    other_code,
    other_tracking,
)
from tests.support.pages import Page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verification")]

URL = "/verify/"


def check(client, tracking, code):
    return client.get(URL, {"t": tracking, "c": code})


def test_empty_page_offers_the_labelled_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    form = Page.of(response).form_with_button("بررسی")
    assert form.field_name("شماره پیگیری") == "t"
    assert form.field_name("کد تصدیق") == "c"


def test_genuine_pair_shows_the_document_and_valid_but_not_the_citizen(client, transfer):
    case = transfer.case
    with time_machine.travel(ISSUED + datetime.timedelta(days=1), tick=False):
        response = check(client, case.tracking_number, transfer.verification_code)
    html = response.content.decode()

    assert response.status_code == 200
    assert "معتبر" in html and "باطل شده" not in html and "منقضی" not in html
    assert "گواهی انتقال آپارتمان" in html
    assert case.property.address in html
    assert case.tracking_number_display in html
    assert "۱۴۰۵/۰۹/۰۳" in html and "۱۴۰۵/۱۲/۰۳" in html
    assert case.citizen.get_full_name() not in html
    assert case.citizen.last_name not in html
    assert to_persian_digits(case.citizen.mobile) not in html
    assert case.citizen.mobile not in html
    assert response["Cache-Control"] == "no-store"


def test_inquiry_answer_shows_institution_and_letter(client):
    case = inquiry_case()
    answer = issue_inquiry_answer(case)
    response = check(client, case.tracking_number, answer.verification_code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "پاسخ استعلام" in html and INSTITUTION in html and "۲۴۵۱/ب" in html
    assert "معتبر" in html


def test_revoked_certificate_says_so(client, transfer):
    revoke_certificate(transfer, actor=None, reason="خطا در مشخصات ملک")
    response = check(client, transfer.case.tracking_number, transfer.verification_code)
    assert response.status_code == 200
    assert "باطل شده" in response.content.decode()
    assert "معتبر<" not in response.content.decode()
    assert "نسخه جدیدتری" not in response.content.decode()  # revoked, not replaced


def test_expired_certificate_says_so(client, transfer):
    with time_machine.travel(ISSUED + datetime.timedelta(days=91), tick=False):
        response = check(client, transfer.case.tracking_number, transfer.verification_code)
    assert response.status_code == 200
    assert "منقضی" in response.content.decode()


def test_persian_digits_and_spaces_are_accepted(client, transfer):
    tracking = to_persian_digits(transfer.case.tracking_number)
    code = to_persian_digits(transfer.verification_code)
    spaced = f" {tracking[:3]} {tracking[3:6]} {tracking[6:]} "
    response = check(client, spaced, f"{code[:4]} {code[4:]}")
    assert response.status_code == 200
    assert "معتبر" in response.content.decode()


def test_every_failure_gets_the_same_answer(client, transfer):
    tracking, code = transfer.case.tracking_number, transfer.verification_code
    attempts = [
        (tracking, other_code(code)),  # forged code
        (other_tracking(tracking), code),  # wrong (but well-formed) tracking number
        (tracking[:-1] + str((int(tracking[-1]) + 1) % 10), code),  # check digit wrong
        ("abc", "12"),  # malformed
        ("", ""),
    ]
    bodies = set()
    for t, c in attempts:
        response = check(client, t, c)
        assert response.status_code == 404, (t, c)
        html = response.content.decode()
        assert NO_MATCH in html
        assert "معتبر" not in html
        # Only input fields (the echoed values, CSRF tokens, the page address) may differ.
        bodies.add(re.sub(r"<input[^>]*>", "", html))
    assert len(bodies) == 1


def test_twenty_first_lookup_in_ten_minutes_is_refused(client, transfer):
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=TEHRAN)
    with time_machine.travel(start, tick=False):
        for _ in range(20):
            assert check(client, "1234567890", "00000000").status_code == 404
        response = check(client, transfer.case.tracking_number, transfer.verification_code)
    assert response.status_code == 429
    assert "چند دقیقه دیگر" in response.content.decode()
    assert "معتبر" not in response.content.decode()

    # Another address has its own allowance; the form alone is not a lookup.
    response = client.get(URL, {"t": transfer.case.tracking_number,
                                "c": transfer.verification_code}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert client.get(URL).status_code == 200


def test_after_a_reissue_the_old_code_says_revoked_and_the_new_one_valid(client, transfer):
    from cases.certificates.versions import reissue_certificate

    case = transfer.case
    fresh = reissue_certificate(case, actor=None, reason="اصلاح نشانی")

    old = check(client, case.tracking_number, transfer.verification_code).content.decode()
    assert "باطل شده" in old and "معتبر<" not in old
    assert "نسخه جدیدتری از این گواهی انتقال آپارتمان صادر شده است" in old
    new = check(client, case.tracking_number, fresh.verification_code).content.decode()
    assert "معتبر" in new and "باطل شده" not in new and "نسخه جدیدتری" not in new
    assert "مریم احمدی" in new  # the owners the certificate prints
    forged = check(client, case.tracking_number, other_code(fresh.verification_code))
    assert forged.status_code == 404 and NO_MATCH in forged.content.decode()
