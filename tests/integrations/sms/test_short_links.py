"""/s/<code>/: a text's short link to «آخرین وضعیت», through login, for the owner only."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from cases.notifications import case_link, notify
from integrations.sms.models import OutboxMessage
from tests.support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(settings):
    settings.SITE_URL = "https://eservices.example.ir"
    case = CaseFactory(contact_phone="09121234567")
    case.register()
    case.save_registration()
    return case


def path_of(link: str) -> str:
    return re.sub(r"^https://eservices\.example\.ir", "", link)


def test_one_case_has_one_short_link(case):
    assert case_link(case) == case_link(case)
    assert re.fullmatch(r"https://eservices\.example\.ir/s/[A-Za-z0-9]{7}/", case_link(case))
    assert case_link(CaseFactory()) != case_link(case)


def test_anonymous_visitors_are_sent_to_login_first(client, case):
    link = path_of(notify(case, "inspection_approved").body.splitlines()[-1])
    status_url = reverse("portal:case_status", args=[case.pk])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == status_url
    login = client.get(status_url)
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("accounts:login"))
    assert "next=" in login["Location"]


def test_the_owner_lands_on_the_latest_status_and_another_citizen_gets_404(demo, settings):
    """A case registered through the site, as the manual tells: its registration SMS
    carries the link; the owner lands on «آخرین وضعیت», citizen2 gets 404."""
    from tests.support.clients import logged_in
    from tests.support.transfer_driver import A, PHONE, CitizenDriver

    settings.SITE_URL = "https://eservices.example.ir"
    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    body = OutboxMessage.objects.filter(to=PHONE, kind="case_registered").get().body
    link = path_of(re.search(r"https://\S+", body).group(0))
    case = Case.objects.get()
    status_url = reverse("portal:case_status", args=[case.pk])
    landed = citizen.client.get(link, follow=True)
    assert landed.redirect_chain[-1][0] == status_url
    assert landed.status_code == 200
    assert "آخرین وضعیت" in landed.content.decode()
    assert logged_in("citizen2").get(link, follow=True).status_code == 404


def test_an_unknown_code_is_not_found(client):
    assert client.get("/s/NoSuch1/").status_code == 404
