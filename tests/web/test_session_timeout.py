"""Idle session timeout by role, its warning dialog and the extend endpoint."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client

from tests.support.factories import UserFactory
from tests.support.pages import Page

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
EXPIRED = "به دلیل مدتی بی‌فعالیتی، نشست شما پایان یافت"


def minutes(n: float) -> datetime.datetime:
    return START + datetime.timedelta(minutes=n)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_stays_signed_in_while_active_and_is_sent_to_log_in_when_idle():
    client = signed_in(UserFactory())
    with time_machine.travel(minutes(0), tick=False):
        assert client.get("/services/").status_code == 200
    with time_machine.travel(minutes(29), tick=False):
        assert client.get("/services/").status_code == 200  # renews the idle period
    with time_machine.travel(minutes(58), tick=False):
        assert client.get("/services/requests/").status_code == 200
    with time_machine.travel(minutes(88.5), tick=False):
        response = client.get("/services/requests/?page=2")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/services/requests/%3Fpage%3D2"
        login = Page.of(client.get(response["Location"]))
        assert login.has(EXPIRED)
        assert "_auth_user_id" not in client.session
        assert client.get("/services/").status_code == 302


def test_staff_sessions_end_sooner_than_citizens(settings):
    citizen = signed_in(UserFactory())
    inspector = signed_in(UserFactory(staff=True, roles=["inspector"]))
    with time_machine.travel(minutes(0), tick=False):
        assert citizen.get("/services/").status_code == 200
        assert inspector.get("/staff/visits/").status_code == 200
    with time_machine.travel(minutes(16), tick=False):
        assert citizen.get("/services/").status_code == 200
        assert inspector.get("/staff/visits/").status_code == 302
        assert "_auth_user_id" not in inspector.session
    assert settings.SESSION_IDLE_SECONDS_STAFF < settings.SESSION_IDLE_SECONDS_CITIZEN


def test_the_periods_come_from_settings(settings):
    settings.SESSION_IDLE_SECONDS_CITIZEN = 60
    client = signed_in(UserFactory())
    with time_machine.travel(minutes(0), tick=False):
        assert client.get("/services/").status_code == 200
        # The stored session outlives the idle period so the next request can explain.
        assert client.session.get_expiry_age() == 60 + settings.SESSION_EXPIRED_NOTICE_SECONDS
    with time_machine.travel(minutes(1.5), tick=False):
        assert client.get("/services/").status_code == 302


def test_a_post_after_the_timeout_changes_nothing_and_goes_to_log_in():
    client = signed_in(UserFactory())
    with time_machine.travel(minutes(0), tick=False):
        client.get("/services/")
    with time_machine.travel(minutes(45), tick=False):
        response = client.post("/flows/transfer/start/", {"action": "forward"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/flows/transfer/start/"
    from cases.models import Case

    assert not Case.objects.exists()


def test_extending_needs_csrf_and_renews_the_session():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    with time_machine.travel(minutes(0), tick=False):
        page = Page.of(client.get("/services/"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.html)[1]
    with time_machine.travel(minutes(28), tick=False):
        assert client.post("/session/extend/").status_code == 403  # no CSRF token
        extended = client.post("/session/extend/", HTTP_X_CSRFTOKEN=token)
        assert extended.status_code == 200
        assert extended.json() == {"ok": True, "timeout": 1800, "warning": 120}
    with time_machine.travel(minutes(56), tick=False):
        assert client.get("/services/").status_code == 200
    with time_machine.travel(minutes(90), tick=False):
        late = client.post("/session/extend/", HTTP_X_CSRFTOKEN=token,
                           HTTP_ACCEPT="application/json")
        assert late.status_code == 401
        assert EXPIRED in late.json()["detail"]


def test_extend_refuses_get_and_anonymous_visitors():
    assert Client().post("/session/extend/").status_code == 401
    assert signed_in(UserFactory()).get("/session/extend/").status_code == 405


def test_the_warning_dialog_carries_its_numbers_in_data_attributes_only():
    html = signed_in(UserFactory(staff=True, roles=["supervisor"])).get("/").content.decode()
    dialog = re.search(r'<dialog id="session-timeout"[^>]*>', html)[0]
    assert 'data-timeout="900"' in dialog and 'data-warning="120"' in dialog
    assert "تمدید نشست" in html
    # CSP-ready: the script is a file, and nothing inline runs.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
    assert all(body.strip() == "" for body in scripts)
    assert re.search(r'<script src="[^"]*js/session-timeout\.js"', html)
    assert not re.search(r"\son[a-z]+=", html)
    assert 'id="session-timeout"' not in Client().get("/").content.decode()


def test_the_page_counts_down_from_what_the_server_will_allow():
    client = signed_in(UserFactory())

    def timeout_on_page() -> int:
        return int(re.search(r'data-timeout="(\d+)"', client.get("/services/").content.decode())[1])

    seconds = datetime.timedelta(seconds=1)
    with time_machine.travel(START, tick=False):
        assert timeout_on_page() == 1800
    with time_machine.travel(START + 10 * seconds, tick=False):
        # Activity is recorded at most every 15 s, so this page has 10 s less.
        assert timeout_on_page() == 1790
    with time_machine.travel(START + 20 * seconds, tick=False):
        assert timeout_on_page() == 1800
