"""HTML and script typed into every free-text field come back as text, never as markup.

Each payload is typed where a person types (registration names, the documents step's
letter fields, the inspector's cancel reason and notes, a supervisor's reassign reason and
cancel explanation, a certificate's revocation reason, an SMS text's title and body), then
every page that shows it is read: the raw markup must be absent and its escaped form present
(so the text was shown). The last test enumerates the text fields of every form of the site
and fails on one no test here covers.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import Client

from cases.certificates.models import Certificate
from cases.models import CaseEvent, CaseStatus
from integrations.sms.models import OutboxMessage, SmsTemplate
from tests.support.citizen_a import inspection_task, latest_case
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import A, B, CitizenDriver, post_button

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def assert_harmless(response, where: str, shown: bool = True) -> None:
    body = b"".join(response) if response.streaming else response.content
    html = body.decode()
    assert SCRIPT not in html and "<img src=x" not in html, f"raw markup on {where}"
    if shown:
        assert all(escaped in html for escaped in ESCAPED), f"{where} does not show the text"


def valid_national_id(first_nine: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return first_nine + str(total if total < 2 else 11 - total)


def test_names_typed_at_registration_are_shown_as_text(victim):
    browser = Client()
    form = browser.get("/accounts/register/")
    done = post_button(browser, form, "ثبت نام", {
        "نام": PAYLOAD, "نام خانوادگی": ATTRIBUTE + SCRIPT,
        "کد ملی": valid_national_id("004567891"), "شماره همراه": "09127776655",
        "نام کاربری (شناسه شهروندی)": "xss-citizen", "کلمه عبور (رمز عبور)": "a-Long-pass-1405",
        "تکرار کلمه عبور": "a-Long-pass-1405"})
    assert done.status_code == 302, Page.of(done).text[:600]
    # Signed in once the mobile is proven by its code.
    sms = OutboxMessage.objects.filter(to="09127776655", kind="verification_code").first()
    code = re.search(r"#([0-9]{6})$", sms.body).group(1)
    verified = browser.post(done["Location"], {"action": "check_code", "mobile": "09127776655",
                                               "code": code})
    assert verified.status_code == 302, Page.of(verified).text[:600]
    for path in ("/services/", "/services/requests/", "/services/transfer/"):
        assert_harmless(browser.get(path), path)


def test_letter_fields_of_the_documents_step_are_shown_as_text(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.until_documents(A)
    values = {"مالک": True, "شماره": PAYLOAD, "نام نهاد استعلام کننده": PAYLOAD,
              "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
    answer = citizen.step(page, "تأیید و ارسال", values, expect=(200, 400))
    assert_harmless(answer, "the documents step after sending")
    again = citizen.client.get(answer.wsgi_request.get_full_path())
    assert_harmless(again, "the documents step reopened", shown=False)


def test_cancel_reason_and_notes_are_shown_as_text_to_citizen_and_staff(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    citizen.step(citizen.until_confirm(B, phone="09121118888"), "تایید و ثبت")
    case = latest_case("citizen2")
    assert case.status == CaseStatus.REGISTERED
    task = inspection_task(case)
    inspector = Client()
    inspector.force_login(task.owner)
    visit = inspector.get(task.reverse("execute"))
    done = post_button(inspector, visit, "ثبت نتیجه بازدید",
                       {"ابطال": True, "دلیل ابطال": PAYLOAD, "یادداشت کارشناس": PAYLOAD})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert_harmless(citizen.client.get(f"/services/cases/{case.pk}/"), "the citizen's status")
    supervisor = logged_in("supervisor")
    case_file = supervisor.get(f"/staff/cases/{case.pk}/")
    assert_harmless(case_file, "the staff case file")
    assert case_file.content.decode().count(ESCAPED[0]) >= 2, "reason and notes both shown"
    assert_harmless(supervisor.get("/staff/search/", {"q": PAYLOAD}), "staff search",
                    shown=False)


def test_a_typed_login_name_is_shown_back_as_text(victim):
    refused = Client().post("/accounts/login/", {"username": PAYLOAD, "password": "wrong-pass"})
    assert refused.status_code == 200
    assert_harmless(refused, "the login page after a failure")


def test_an_identifier_typed_for_a_password_reset_is_shown_as_text(victim):
    browser = Client()
    asked = browser.post("/accounts/password/reset/", {"identifier": PAYLOAD})
    assert asked.status_code == 302
    assert_harmless(browser.get(asked["Location"]), "the reset code page", shown=False)
    too_long = PAYLOAD + "x" * 150  # refused by the form: shown back in its field
    refused = browser.post("/accounts/password/reset/", {"identifier": too_long})
    assert refused.status_code == 200
    assert_harmless(refused, "the reset page after a refusal")


def test_a_name_typed_at_the_admins_login_is_shown_back_as_text(victim):
    refused = Client().post("/admin/login/", {"username": PAYLOAD, "password": "wrong-pass"})
    assert refused.status_code == 200
    assert_harmless(refused, "the admin's login page after a failure")


def test_the_property_steps_number_is_shown_back_as_text(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    answer = citizen.step(page, "جستجو", {"کدنوسازی": A[0], "شماره درخواست یا گواهی": PAYLOAD},
                          expect=(200, 400))
    assert_harmless(answer, "the property step after a search")


def test_a_reassign_reason_is_shown_as_text_on_the_case_file(victim):
    task = inspection_task(victim.registered)
    supervisor = logged_in("supervisor")
    to = get_user_model().objects.get(username="inspector2")
    done = supervisor.post("/staff/tasks/", {"task": [task.pk], "to_user": to.pk,
                                             "reason": PAYLOAD})
    assert done.status_code == 302, Page.of(done).text[:600]
    assert CaseEvent.objects.filter(case=victim.registered, name="task_reassigned").exists()
    assert_harmless(supervisor.get(f"/staff/cases/{victim.registered.pk}/"),
                    "the staff case file")


def test_a_cancel_explanation_is_shown_as_text_to_the_citizen(
        victim, django_capture_on_commit_callbacks):
    case = victim.registered
    supervisor = logged_in("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        done = supervisor.post(f"/staff/cases/{case.pk}/cancel/",
                               {"reason_code": "other", "details": PAYLOAD})
    assert done.status_code == 302, Page.of(done).text[:600]
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert_harmless(logged_in("citizen").get(f"/services/cases/{case.pk}/"),
                    "the citizen's status page")
    assert_harmless(supervisor.get(f"/staff/cases/{case.pk}/"), "the staff case file")
    # The SMS carries it as plain text (no HTML there); the admin shows it escaped.
    sms = OutboxMessage.objects.filter(kind="case_cancelled").latest("pk")
    assert PAYLOAD in sms.body
    assert_harmless(admin().get(f"/admin/sms/outboxmessage/{sms.pk}/change/"),
                    "the outbox message in the admin")


def test_a_certificate_revocation_reason_is_shown_as_text(victim):
    certificate = Certificate.objects.get(case=victim.archived)
    clerk = admin()
    done = clerk.post("/admin/certificates/certificate/", {
        "action": "revoke", "_selected_action": [certificate.pk], "reason": PAYLOAD,
        "index": 0})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == PAYLOAD
    # Shown on the case file's timeline. (The admin's change page of a certificate cannot
    # be opened at all today: its read-only pdf field asks the private storage for a URL.)
    assert_harmless(logged_in("supervisor").get(f"/staff/cases/{victim.archived.pk}/"),
                    "the staff case file")


def test_an_sms_templates_title_and_body_are_shown_as_text(
        victim, django_capture_on_commit_callbacks):
    template = SmsTemplate.objects.get(kind="case_cancelled")
    clerk = admin()
    url = f"/admin/sms/smstemplate/{template.pk}/change/"
    saved = clerk.post(url, {"title": PAYLOAD, "body": PAYLOAD + " {{ reason }}"})
    assert saved.status_code == 302, Page.of(saved).text[:600]
    assert_harmless(clerk.get(url), "the template's page with its preview")
    with django_capture_on_commit_callbacks(execute=True):
        assert logged_in("supervisor").post(
            f"/staff/cases/{victim.registered.pk}/cancel/",
            {"reason_code": "duplicate"}).status_code == 302
    sms = OutboxMessage.objects.filter(kind="case_cancelled").latest("pk")
    assert sms.body.startswith(PAYLOAD)  # an SMS is text: sent as typed
    assert_harmless(clerk.get(f"/admin/sms/outboxmessage/{sms.pk}/change/"),
                    "the outbox message in the admin")
    # Its title names the SMS on the case file's timeline.
    assert_harmless(logged_in("supervisor").get(f"/staff/cases/{victim.registered.pk}/"),
                    "the staff case file")


def admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser(
        "xss-admin", password="a-Long-pass-1405"))
    return client


# ---------------------------------------------------------------- every free-text field

# Each free-text field of the site's forms → the test above that types markup into it,
# or why markup typed there is never shown back. A new field fails the test below
# until it is added here.
FREE_TEXT_FIELDS = {
    "cases.accounts.forms.CitizenRegistrationForm.first_name":
        test_names_typed_at_registration_are_shown_as_text,
    "cases.accounts.forms.CitizenRegistrationForm.last_name":
        test_names_typed_at_registration_are_shown_as_text,
    "cases.accounts.forms.CitizenRegistrationForm.username":
        "letters, digits and @.+-_ only (Django's username validator)",
    "cases.accounts.forms.CitizenRegistrationForm.password1": "a password is never shown",
    "cases.accounts.forms.CitizenRegistrationForm.password2": "a password is never shown",
    "cases.accounts.forms.CitizenRegistrationForm.national_id": "ten digits with a checksum",
    "cases.accounts.forms.CitizenRegistrationForm.mobile": "an Iranian mobile number",
    "cases.accounts.forms.CitizenLoginForm.username":
        test_a_typed_login_name_is_shown_back_as_text,
    "cases.accounts.forms.CitizenLoginForm.password": "a password is never shown",
    "cases.accounts.forms.AdminLoginForm.username":
        test_a_name_typed_at_the_admins_login_is_shown_back_as_text,
    "cases.accounts.forms.AdminLoginForm.password": "a password is never shown",
    "cases.accounts.forms.CodeForm.code":
        "a one-time code is never shown back: OneTimeCodeInput is always drawn empty",
    "cases.accounts.forms.MobileVerificationForm.code":
        "a one-time code is never shown back: OneTimeCodeInput is always drawn empty",
    "cases.accounts.forms.MobileVerificationForm.mobile": "an Iranian mobile number",
    "cases.accounts.reset_forms.PasswordResetRequestForm.identifier":
        test_an_identifier_typed_for_a_password_reset_is_shown_as_text,
    "cases.accounts.reset_forms.NewPasswordForm.password1": "a password is never shown",
    "cases.accounts.reset_forms.NewPasswordForm.password2": "a password is never shown",
    "workflows.steps.documents.LetterForm.letter_number":
        test_letter_fields_of_the_documents_step_are_shown_as_text,
    "workflows.steps.documents.LetterForm.letter_institution":
        test_letter_fields_of_the_documents_step_are_shown_as_text,
    "workflows.steps.documents.LetterForm.letter_date": "a Jalali date",
    "workflows.steps.property.PropertyForm.renovation_code": "the renovation code's digits",
    "workflows.steps.property.PropertyForm.number":
        test_the_property_steps_number_is_shown_back_as_text,
    "workflows.steps.inspection.InspectionForm.reason":
        test_cancel_reason_and_notes_are_shown_as_text_to_citizen_and_staff,
    "workflows.steps.inspection.InspectionForm.notes":
        test_cancel_reason_and_notes_are_shown_as_text_to_citizen_and_staff,
    "staff.forms.SearchForm.q": test_cancel_reason_and_notes_are_shown_as_text_to_citizen_and_staff,
    "staff.forms.SearchForm.date_from": "a Jalali date",
    "staff.forms.SearchForm.date_to": "a Jalali date",
    "staff.forms.PeriodForm.date_from": "a Jalali date",
    "staff.forms.PeriodForm.date_to": "a Jalali date",
    "staff.forms.ReassignForm.reason": test_a_reassign_reason_is_shown_as_text_on_the_case_file,
    "staff.forms.CancelForm.details": test_a_cancel_explanation_is_shown_as_text_to_the_citizen,
    "cases.certificates.admin.ReasonActionForm.reason":
        test_a_certificate_revocation_reason_is_shown_as_text,
    "integrations.sms.admin.SmsTemplateForm.title":
        test_an_sms_templates_title_and_body_are_shown_as_text,
    "integrations.sms.admin.SmsTemplateForm.body":
        test_an_sms_templates_title_and_body_are_shown_as_text,
}
PROJECT_PACKAGES = ("cases", "staff", "workflows", "flows", "integrations", "ops")


def free_text_fields() -> set[str]:
    """Every text field of every form class the project defines (its modules imported)."""
    for package in PROJECT_PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, package + "."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = set()
    for form in subclasses(forms.BaseForm):
        if form.__module__.startswith(PROJECT_PACKAGES):
            found |= {f"{form.__module__}.{form.__qualname__}.{name}"
                      for name, field in form.base_fields.items()
                      if isinstance(field, forms.CharField)}
    return found


def test_every_free_text_field_of_a_form_is_covered():
    found = free_text_fields()
    assert "staff.forms.ReassignForm.reason" in found  # the walk finds forms at all
    assert found - set(FREE_TEXT_FIELDS) == set(), "type markup into these in a test above"
    assert set(FREE_TEXT_FIELDS) - found == set(), "these fields are gone: drop them here"
    for field, covered_by in FREE_TEXT_FIELDS.items():
        assert callable(covered_by) or isinstance(covered_by, str), field
