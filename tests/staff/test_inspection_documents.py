"""The visit page shows the case's images as thumbnails that open the full file
(jinja2/staff/_document_gallery.html), PDFs as labelled links, in a constant number of
queries whatever the number of documents."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from cases.documents.links import read_token
from tests.support import files
from tests.support.clients import logged_in, user
from tests.support.files import CaseDocumentFactory
from tests.support.pages import Page
from tests.support.template_queries import no_queries_while_rendering
from tests.support.transfer_driver import register_a_case_for_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _activity_recorded_once(monkeypatch):
    # As in tests/project/test_query_budget.py: no session write lands on one request only.
    from web import session_timeout

    monkeypatch.setattr(session_timeout, "RESOLUTION_SECONDS", 10**9)


class Gallery(HTMLParser):
    """The gallery's items: (link href, the <img>'s attributes or None, link text)."""

    def __init__(self, html: str):
        super().__init__()
        self.items: list[tuple[str, dict | None, str]] = []
        self._depth = 0  # inside <ul class="document-gallery">
        self._link: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "ul" and "document-gallery" in attrs.get("class", ""):
            self._depth = 1
        elif tag == "ul" and self._depth:
            self._depth += 1
        elif tag == "a" and self._depth:
            self._link = [attrs["href"], None, ""]
        elif tag == "img" and self._link is not None:
            self._link[1] = attrs

    def handle_endtag(self, tag):
        if tag == "ul" and self._depth:
            self._depth -= 1
        elif tag == "a" and self._link is not None:
            self.items.append(tuple(self._link))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[2] += data


def visit_page(client):
    inbox = Page.of(client.get("/staff/visits/"))
    return client.get(inbox.link("ثبت نتیجه بازدید"))


def signed_for(url: str, view: str) -> int:
    """The document a link of `view` ("serve", "thumbnail") opens, signed for `inspector`."""
    match = resolve(url)
    assert match.view_name == f"documents:{view}"
    document_pk, user_pk = read_token(match.kwargs["token"])
    assert user_pk == user("inspector").pk
    return document_pk


def test_the_visit_shows_thumbnails_that_open_the_full_file(demo):
    case = register_a_case_for_today()
    client = logged_in("inspector")

    items = Gallery(visit_page(client).content.decode()).items

    documents = list(case.documents.order_by("uploaded_at"))
    assert len(items) == len(documents) == 3
    for (href, img, _), document in zip(items, documents, strict=True):
        assert signed_for(href, "serve") == signed_for(img["src"], "thumbnail") == document.pk
        assert img["alt"] == document.get_kind_display()
        assert img["loading"] == "lazy"
        assert (img["width"], img["height"]) == ("320", "320")  # made on its first request
    thumbnail = client.get(items[0][1]["src"])
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    full = client.get(items[0][0])
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
    b"".join(full.streaming_content)

    # Once made, the page gives its real size: the browser reserves exactly that space.
    href, img, _ = Gallery(visit_page(client).content.decode()).items[0]
    assert (img["width"], img["height"]) == ("320", "240")


def test_a_pdf_and_a_corrupt_image_are_links_and_the_page_stands(demo):
    case = register_a_case_for_today()
    CaseDocumentFactory(case=case, kind="other", content_type="application/pdf",
                        file=ContentFile(files.pdf_bytes(), name="x.pdf"))
    corrupt = CaseDocumentFactory(case=case, kind="other", content_type="image/jpeg",
                                  file=ContentFile(b"\xff\xd8\xff broken", name="x.jpg"))
    client = logged_in("inspector")

    *_, pdf, broken = Gallery(visit_page(client).content.decode()).items
    assert pdf[1] is None and pdf[2] == "سایر مدارک (فایل پی‌دی‌اف)"
    assert client.get(broken[1]["src"]).status_code == 404  # its first request finds out

    page = visit_page(client)
    assert page.status_code == 200
    *_, broken = Gallery(page.content.decode()).items
    assert broken[1] is None and broken[2].strip() == "سایر مدارک"
    assert signed_for(broken[0], "serve") == corrupt.pk


def test_more_documents_cost_no_more_queries(demo):
    case = register_a_case_for_today()
    client = logged_in("inspector")
    visit = visit_page(client).wsgi_request.get_full_path()
    client.get(visit)  # caches filled

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(visit).status_code == 200
        return len(captured)

    three = queries()
    for _ in range(4):
        CaseDocumentFactory(case=case, kind="other")
    assert len(Gallery(client.get(visit).content.decode()).items) == 7
    assert queries() == three
    with no_queries_while_rendering() as seen:
        client.get(visit)
    # The gallery reads nothing while it renders (the page's facts still do: the case's
    # property is first read by the template).
    assert [sql for _, sql in seen if "documents_casedocument" in sql] == []


def test_the_case_file_shows_the_same_gallery_to_a_supervisor(demo):
    case = register_a_case_for_today()
    client = logged_in("supervisor")
    items = Gallery(client.get(f"/staff/cases/{case.pk}/").content.decode()).items
    documents = list(case.documents.order_by("uploaded_at"))
    assert len(items) == len(documents) == 3
    for (href, img, _), document in zip(items, documents, strict=True):
        match = resolve(img["src"])
        assert match.view_name == "documents:thumbnail"
        assert read_token(match.kwargs["token"]) == (document.pk, user("supervisor").pk)
        assert resolve(href).view_name == "documents:serve"
    assert client.get(items[0][1]["src"])["Content-Type"] == "image/jpeg"
