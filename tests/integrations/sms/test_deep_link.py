"""The SMS's short link brings the citizen, after logging in, straight to the case's
«آخرین وضعیت»; anyone else who follows it sees nothing of the case."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from cases.models import Case
from tests.support.pages import Page
from tests.support.transfer_driver import CitizenDriver

DEMO_PASSWORD = "demo-pass-1405"


def log_in_through(client: Client, response, username: str):
    """Fill the login page the short link led to, as the citizen would."""
    page = Page.of(response)
    form = page.form_with_button("ورود")
    data = form.data({"نام کاربری (شناسه شهروندی)": username, "کلمه عبور (رمز عبور)": DEMO_PASSWORD},
                     button="ورود")
    return client.post(response.wsgi_request.get_full_path(), data, follow=True)


@pytest.mark.django_db(transaction=True)
def test_sms_link_leads_to_the_case_after_login(demo):
    from django.contrib.auth import get_user_model

    from integrations.sms.models import OutboxMessage

    registering = Client()
    registering.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(registering)
    driver.step(driver.until_confirm(), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    body = OutboxMessage.objects.filter(kind="case_registered").latest("pk").body
    link = re.search(re.escape(settings.SITE_URL.rstrip("/")) + r"(/s/[\w-]+/)", body)
    assert link, body
    path = link.group(1)

    phone = Client()  # the citizen's phone: not logged in
    login_page = phone.get(path, follow=True)
    assert login_page.wsgi_request.path == "/accounts/login/"
    arrived = log_in_through(phone, login_page, "citizen")
    assert arrived.wsgi_request.path == f"/services/cases/{case.pk}/"
    assert Page.of(arrived).has("آخرین وضعیت")

    stranger = Client()
    refused = log_in_through(stranger, stranger.get(path, follow=True), "citizen2")
    assert refused.status_code == 404
