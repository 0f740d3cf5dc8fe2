"""Pages travel compressed to browsers that ask: a slow phone line gets a few KB, not 30."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.support.transfer_driver import CitizenDriver

pytestmark = pytest.mark.django_db


def test_a_wizard_page_is_sent_gzipped_to_a_browser_that_asks(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="citizen"))
    page = CitizenDriver(client).until_appointment()  # the heaviest page: the calendar
    url = page.request["PATH_INFO"]

    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(url)

    assert packed.status_code == plain.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "انتخاب کارشناس بازدید" in html and "دریافت کد تایید" in html
    assert "Content-Encoding" not in plain
    assert len(packed.content) * 3 < len(plain.content)
