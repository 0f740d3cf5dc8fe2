import re

import pytest
from django.contrib.auth import get_user_model

from cases.identity import make_valid_national_id
from integrations.sms.models import OutboxMessage
from tests.support.factories import PASSWORD, UserFactory
from tests.support.pages import Page

pytestmark = pytest.mark.django_db

USERNAME = "نام کاربری"
PASSWORD_LABEL = "کلمه عبور"


def _label(form, word):
    """The login labels carry both chapters' words; find the one holding `word`."""
    return next(text for text in form.labels if word in text)


def login_through_form(client, username: str, password: str):
    home = Page.of(client.get("/"))
    login_page = Page.of(client.get(home.link("ورود شهروندان")))
    form = login_page.form_with_button("ورود")
    data = form.data(
        {_label(form, USERNAME): username, _label(form, PASSWORD_LABEL): password}
    )
    return client.post(home.link("ورود شهروندان"), data)


def test_login_page_carries_both_chapters_wordings(client):
    page = Page.of(client.get("/accounts/login/"))
    form = page.form_with_button("ورود")
    labels = " ".join(form.labels)
    for word in ("نام کاربری", "شناسه شهروندی", "کلمه عبور", "رمز عبور"):
        assert word in labels
    assert page.link("ثبت نام")


def test_citizen_logs_in_sees_dedicated_services_and_logs_out(client):
    UserFactory(username="maryam")
    response = login_through_form(client, "maryam", PASSWORD)
    assert response.status_code == 302
    services = Page.of(client.get(response["Location"]))
    for label in ("خدمات اختصاصی", "درخواست انتقال", "استعلام ادارات/ ترهین", "درخواست های پیشین"):
        assert services.has(label), label
    for label in ("درخواست انتقال", "استعلام ادارات/ ترهین", "درخواست های پیشین"):
        assert client.get(services.link(label)).status_code == 200

    logout = services.form_with_button("خروج")
    assert client.post(logout.attrs["action"], logout.data({})).status_code == 302
    assert client.get("/services/").status_code == 302  # back to the login page


def test_wrong_password_is_refused_with_a_persian_message(client):
    UserFactory(username="maryam")
    response = login_through_form(client, "maryam", "not-the-password")
    assert response.status_code == 200
    assert Page.of(response).has("نام کاربری یا کلمه عبور درست نیست")


def test_lockout_after_repeated_failures(client, settings):
    UserFactory(username="maryam")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_through_form(client, "maryam", "wrong-password")
    locked = login_through_form(client, "maryam", PASSWORD)
    assert locked.status_code == 429
    assert Page.of(locked).has("ورود موقتاً مسدود است")
    assert "_auth_user_id" not in client.session


def test_register_a_citizen_through_the_labelled_form(client):
    page = Page.of(client.get(Page.of(client.get("/accounts/login/")).link("ثبت نام")))
    form = page.form_with_button("ثبت نام")
    national_id = make_valid_national_id("123456789")
    response = client.post(
        "/accounts/register/",
        form.data(
            {
                "نام": "نرگس",
                "نام خانوادگی": "کاظمی",
                "کد ملی": "۱۲۳۴۵۶۷۸۹" + national_id[-1],  # Persian digits accepted
                "شماره همراه": "+98 912 555 1234",
                _label(form, USERNAME): "narges",
                _label(form, PASSWORD_LABEL): "Tehran-spring-1405",
                "تکرار کلمه عبور": "Tehran-spring-1405",
            }
        ),
    )
    assert response.status_code == 302, Page.of(response).text
    user = get_user_model().objects.get(username="narges")
    assert (user.national_id, user.mobile) == (national_id, "09125551234")
    assert user.check_password("Tehran-spring-1405")
    # Signed in once the mobile is proven by the code texted to it.
    assert "_auth_user_id" not in client.session
    verify = Page.of(client.get(response["Location"]))
    form = verify.form_with_button("تایید و ورود")
    sms = OutboxMessage.objects.get(to="09125551234", kind="verification_code")
    code = re.search(r"#([0-9]{6})$", sms.body).group(1)
    done = client.post(response["Location"], form.data({"کد تایید": code},
                                                       button="تایید و ورود"))
    assert done.status_code == 302 and done["Location"] == "/services/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("کد ملی", "1234567890", "کد ملی معتبر نیست"),
        ("شماره همراه", "0212345678", "شماره همراه معتبر نیست"),
    ],
)
def test_registration_rejects_bad_identity_and_keeps_what_was_typed(client, field, value, message):
    page = Page.of(client.get("/accounts/register/"))
    form = page.form_with_button("ثبت نام")
    values = {
        "نام": "نرگس",
        "نام خانوادگی": "کاظمی",
        "کد ملی": make_valid_national_id("123456789"),
        "شماره همراه": "09125551234",
        _label(form, USERNAME): "narges",
        _label(form, PASSWORD_LABEL): "Tehran-spring-1405",
        "تکرار کلمه عبور": "Tehran-spring-1405",
        field: value,
    }
    response = client.post("/accounts/register/", form.data(values))
    assert response.status_code == 200
    assert Page.of(response).has(message)
    assert 'value="narges"' in response.content.decode()
    assert not get_user_model().objects.filter(username="narges").exists()


def test_registration_refuses_weak_password_and_duplicate_national_id(client):
    existing = UserFactory()
    page = Page.of(client.get("/accounts/register/"))
    form = page.form_with_button("ثبت نام")
    response = client.post(
        "/accounts/register/",
        form.data(
            {
                "نام": "نرگس",
                "نام خانوادگی": "کاظمی",
                "کد ملی": existing.national_id,
                "شماره همراه": "09125551234",
                _label(form, USERNAME): "narges",
                _label(form, PASSWORD_LABEL): "12345678901",
                "تکرار کلمه عبور": "12345678901",
            }
        ),
    )
    page = Page.of(response)
    assert page.has("با این کد ملی پیش‌تر حساب کاربری ساخته شده است")
    assert "numeric" in page.text or "عدد" in page.text
    assert get_user_model().objects.filter(username="narges").count() == 0


def test_anonymous_visitor_is_sent_to_login_for_citizen_pages(client):
    for url in ("/services/", "/services/requests/", "/services/transfer/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_openid_connect_login_is_off_by_default(client, settings):
    assert settings.OIDC_ENABLED is False  # nothing in the test environment turns it on
    assert not Page.of(client.get("/accounts/login/")).has("ورود با حساب شهروندی")
    assert client.get("/oidc/authenticate/").status_code == 404
