"""Every page carries one <meta name="description">, in Persian, saying what the page is for
(jinja2/base.html's block, web/descriptions.py by URL name)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.support.clients import user
from tests.support.inquiry_driver import InquiryDriver
from tests.support.transfer_driver import A, CitizenDriver
from web.descriptions import SITE

PERSIAN = set("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")


class _Descriptions(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or "").lower() == "description":
            self.found.append(attrs.get("content") or "")


def descriptions(response) -> list[str]:
    parser = _Descriptions()
    parser.feed(response.content.decode())
    return parser.found


def the_description(response) -> str:
    found = descriptions(response)
    assert len(found) == 1, found
    [text] = found
    assert text.strip() and PERSIAN & set(text), text
    return text


class RecordingClient(Client):
    """Keeps every HTML page it was answered with (redirects have no page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages: list[tuple[str, object]] = []

    def request(self, **request):
        response = super().request(**request)
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and not response.streaming and not 300 <= response.status_code < 400:
            self.pages.append((f"{request['REQUEST_METHOD']} {request['PATH_INFO']}", response))
        return response


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/", "/verify/"])
def test_each_public_page_says_what_it_is_for(path):
    text = the_description(Client().get(path))
    assert str(text) != str(SITE), f"{path} has only the site's description"


@pytest.mark.django_db
def test_the_public_pages_describe_themselves_differently():
    texts = [the_description(Client().get(path))
             for path in ("/", "/accounts/login/", "/accounts/register/", "/verify/")]
    assert len(set(texts)) == len(texts), texts


def test_the_services_menu_has_its_own_description(demo):
    client = Client()
    client.force_login(user("citizen"))
    assert the_description(client.get("/services/")) != str(SITE)


def test_a_page_without_its_own_description_has_the_sites(demo):
    client = Client()
    client.force_login(user("citizen"))
    assert the_description(client.get("/flows/transfer/start/")) == str(SITE)
    assert the_description(client.get("/no-such-page/")) == str(SITE)  # the 404 page


@pytest.mark.django_db(transaction=True)
def test_every_page_of_the_citizens_walk_has_one_description(demo):
    """Both services as the manual's citizen walks them, through registration, then the
    pages around them: each page, error pages included, has exactly one."""
    client = RecordingClient()
    client.force_login(user("citizen"))
    client.get("/")
    transfer = CitizenDriver(client)
    transfer.step(transfer.until_confirm(A), "تایید و ثبت")
    inquiry = InquiryDriver(client)
    inquiry.step(inquiry.until_fees(A), "ثبت درخواست و صدور")
    client.get("/services/requests/")
    client.post("/flows/transfer/start/", {"action": "next"})  # the commitments unticked: 400
    assert len(client.pages) > 10
    problems = []
    for name, response in client.pages:
        try:
            the_description(response)
        except AssertionError as error:
            problems.append(f"{name} ({response.status_code}): {error}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_english_site_describes_itself_in_english(settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    [text] = descriptions(client.get("/"))
    assert text.startswith("Get an apartment transfer certificate"), text
