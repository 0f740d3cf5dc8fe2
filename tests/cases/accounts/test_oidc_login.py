"""Login through a real OpenID Connect provider (authorization-code flow with PKCE).

Our side is driven by Django's test client; the person's browser at the provider by a
`requests` session (sign in, follow redirects) until the provider sends them back to
http://testserver/oidc/callback/, which the test client then opens.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from tests.support.factories import PASSWORD as LOCAL_PASSWORD
from tests.support.factories import UserFactory
from tests.support.pages import Page

from .conftest import CALLBACK, PASSWORD, PEOPLE

pytestmark = pytest.mark.django_db
User = get_user_model()
BUTTON = "ورود با حساب شهروندی"


def sign_in_at_provider(client, username: str, next_url: str = ""):
    """The whole round trip; returns our callback's response."""
    start = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    url = start["Location"]
    assert "code_challenge=" in url  # PKCE
    browser = requests.Session()
    for _ in range(10):
        if url.startswith(CALLBACK):
            parts = urlsplit(url)
            return client.get(f"{parts.path}?{parts.query}")
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="password"' in response.text:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
            nxt = re.search(r'name="next" value="([^"]*)"', response.text)[1]
            response = browser.post(
                url, allow_redirects=False, timeout=10,
                data={"csrfmiddlewaretoken": token, "username": username,
                      "password": PASSWORD, "next": nxt.replace("&amp;", "&")},
            )
        assert response.status_code == 302, response.text[:500]
        location = response.headers["Location"]
        url = location if location.startswith("http") else urlsplit(url)._replace(
            path=location.split("?")[0], query=location.partition("?")[2]).geturl()
    raise AssertionError("the provider never sent the person back")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_button_and_urls_absent_while_oidc_is_off(client, settings):
    settings.OIDC_ENABLED = False
    assert not Page.of(client.get("/accounts/login/")).has(BUTTON)
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_a_new_citizen_is_created_with_the_providers_national_id(client, oidc_settings):
    page = Page.of(client.get("/accounts/login/"))
    assert client.get(page.link(BUTTON)).status_code == 302

    response = sign_in_at_provider(client, "sara")
    assert response.status_code == 302
    assert response["Location"] == "/services/"
    user = signed_in_user(client)
    assert user.national_id == PEOPLE["sara"]["national_id"]
    assert (user.first_name, user.last_name) == ("سارا", "رضایی")
    assert user.is_citizen and not user.has_usable_password()
    assert Page.of(client.get("/services/")).has("خدمات اختصاصی")

    # The second time the same account is found, not another made.
    client.logout()
    sign_in_at_provider(client, "sara")
    assert signed_in_user(client) == user
    assert User.objects.filter(national_id=user.national_id).count() == 1


def test_an_existing_citizen_is_matched_by_national_id(client, oidc_settings):
    local = UserFactory(username="reza-local", national_id=PEOPLE["reza"]["national_id"])
    before = User.objects.count()
    sign_in_at_provider(client, "reza", next_url="/services/requests/")
    assert signed_in_user(client) == local
    assert User.objects.count() == before


def test_the_next_page_is_kept_and_foreign_ones_refused(client, oidc_settings):
    UserFactory(username="reza-local", national_id=PEOPLE["reza"]["national_id"])
    assert sign_in_at_provider(client, "reza", "/services/requests/")["Location"] == (
        "/services/requests/")
    client.logout()
    assert sign_in_at_provider(client, "reza", "https://evil.example/")["Location"] == (
        "/services/")


def test_existing_staff_matched_by_username_but_never_created(client, oidc_settings):
    inspector = UserFactory(username="oidc-inspector", staff=True, roles=["inspector"])
    assert sign_in_at_provider(client, "oidc-inspector")["Location"] == "/staff/visits/"
    assert signed_in_user(client) == inspector
    assert client.get("/staff/visits/").status_code == 200

    client.logout()
    before = User.objects.count()
    response = sign_in_at_provider(client, "stranger")  # no national ID, no staff account
    assert response["Location"] == "/accounts/login/"
    assert signed_in_user(client) is None
    assert User.objects.count() == before
    assert Page.of(client.get("/accounts/login/")).has("ورود با حساب شهروندی انجام نشد")


def test_a_citizen_account_with_the_staff_username_is_not_staff(client, oidc_settings):
    UserFactory(username="stranger")  # a citizen, not staff: the username alone is no match
    sign_in_at_provider(client, "stranger")
    assert signed_in_user(client) is None


def test_an_invalid_national_id_claim_is_refused(client, oidc_settings):
    before = User.objects.count()
    sign_in_at_provider(client, "typo")
    assert signed_in_user(client) is None
    assert User.objects.count() == before


def test_a_forged_callback_logs_nobody_in(client, oidc_settings):
    client.get("/oidc/authenticate/")
    response = client.get("/oidc/callback/?code=forged&state=not-ours")
    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_local_accounts_still_work_with_oidc_on(client, oidc_settings):
    UserFactory(username="maryam")
    page = Page.of(client.get("/accounts/login/"))
    assert page.has(BUTTON)
    response = client.post("/accounts/login/", {"username": "maryam",
                                                "password": LOCAL_PASSWORD})
    assert response.status_code == 302
    assert signed_in_user(client).username == "maryam"
