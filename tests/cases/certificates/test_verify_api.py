"""The verification API for institutions: the /verify/ page's check as JSON, described
by an OpenAPI document generated from the code, rate-limited with the page's limiter,
one answer for every wrong pair — and fuzzed against its own schema by schemathesis."""

from __future__ import annotations

import datetime
import json

import pytest
import schemathesis
from schemathesis import GenerationMode
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from hypothesis import settings as hypothesis_settings

from cases.certificates.services import issue_inquiry_answer
from cases.certificates.versions import reissue_certificate, revoke_certificate
from tests.support.certificates import (
    INSTITUTION,
    ISSUED,
    NO_MATCH,
    inquiry_case,
    other_code,
    other_tracking,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verification")]
URL = "/api/v1/verify"


def ask(client, tracking, code, **extra):
    return client.post(URL, {"tracking_number": tracking, "verification_code": code},
                       content_type="application/json", **extra)


def test_genuine_certificate_is_valid_with_what_it_prints(client, transfer):
    case = transfer.case
    with time_machine.travel(ISSUED + datetime.timedelta(days=1), tick=False):
        response = ask(client, case.tracking_number, transfer.verification_code)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["revoked"] is False and body["state"] == "valid"
    assert body["kind"] == "transfer" and body["version"] == 1
    assert body["tracking_number"] == case.tracking_number
    assert body["property"] == {"renovation_code": "12-345-67-8-0-0-12",
                                "address": case.property.address,
                                "owners": ["مریم احمدی", "علی‌رضا کریمی"]}
    assert body["letter"] is None
    assert datetime.datetime.fromisoformat(body["issued_at"]) == ISSUED
    # Never the applicant: only what the certificate itself prints.
    assert case.citizen.mobile not in response.content.decode()
    assert case.citizen.last_name not in response.content.decode()


def test_inquiry_answer_names_the_institution(client):
    case = inquiry_case()
    answer = issue_inquiry_answer(case)
    body = ask(client, case.tracking_number, answer.verification_code).json()
    assert body["kind"] == "inquiry_answer" and body["valid"] is True
    assert body["letter"]["institution"] == INSTITUTION


def test_revoked_certificate_is_reported_revoked(client, transfer):
    revoke_certificate(transfer, actor=None, reason="ابطال")
    body = ask(client, transfer.case.tracking_number, transfer.verification_code).json()
    assert body["valid"] is False and body["revoked"] is True and body["state"] == "revoked"
    assert body["replaced"] is False  # revoked outright: no newer version to ask for


def test_replaced_version_is_revoked_and_the_new_one_valid(client, transfer):
    fresh = reissue_certificate(transfer.case, actor=None, reason="اصلاح")
    old = ask(client, transfer.case.tracking_number, transfer.verification_code).json()
    new = ask(client, transfer.case.tracking_number, fresh.verification_code).json()
    assert (old["revoked"], old["replaced"], old["version"]) == (True, True, 1)
    assert (new["valid"], new["replaced"], new["version"]) == (True, False, 2)


def test_every_wrong_pair_gets_one_and_the_same_answer(client, transfer):
    tracking, code = transfer.case.tracking_number, transfer.verification_code
    answers = set()
    for t, c in [(tracking, other_code(code)),  # forged code
                 (other_tracking(tracking), code),  # someone else's number
                 (tracking[:-1] + str((int(tracking[-1]) + 1) % 10), code),  # check digit
                 ("abc", "12"), ("", ""), ("' OR 1=1 --", "%00")]:
        response = ask(client, t, c)
        assert response.status_code == 404, (t, c)
        answers.add(response.content)
    assert len(answers) == 1
    assert json.loads(answers.pop()) == {"code": "no_match", "detail": NO_MATCH}


def test_page_and_api_share_one_allowance_per_address(client, transfer, settings):
    settings.VERIFY_LOOKUPS_PER_WINDOW = 3
    assert client.get("/verify/", {"t": "1", "c": "2"}).status_code == 404
    assert ask(client, "1", "2").status_code == 404
    assert ask(client, "1", "2").status_code == 404
    refused = ask(client, transfer.case.tracking_number, transfer.verification_code)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests" and "valid" not in refused.json()
    other = ask(client, transfer.case.tracking_number, transfer.verification_code,
                REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 200


def test_a_body_that_is_not_the_schema_is_422(client):
    response = client.post(URL, {"tracking_number": 5}, content_type="application/json")
    assert response.status_code == 422


def test_openapi_document_is_generated_from_the_code(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/verify"]["post"]
    assert operation["operationId"] == "verify_document"
    assert set(operation["responses"]) >= {"200", "404", "422", "429"}
    schemas = document["components"]["schemas"]
    assert {"tracking_number", "verification_code"} <= set(schemas["VerifyIn"]["properties"])
    assert {"valid", "revoked", "kind", "issued_at", "property"} <= set(
        schemas["VerifiedOut"]["properties"])


# --- fuzzing: every response, for any input schemathesis makes up, is one the document
# describes (status, content type, body schema), and no input gets a server error.

def _not_an_empty_file(case) -> bool:
    # Django's form parser drops an empty file, and the request then lacks its field.
    file = case.body.get("file") if isinstance(case.body, dict) else None
    return getattr(file, "data", file) not in (b"", "")


@pytest.fixture
def api_schema(settings, transfer):
    settings.VERIFY_LOOKUPS_PER_WINDOW = 1_000_000
    # Called as a WSGI application, Django closes the database connection around each
    # request; inside the test's transaction that leaves a closed one for the next query
    # (the file check queries first). Django's own test client disconnects these too.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    for signal in signals:
        signal.connect(close_old_connections)


def test_api_matches_its_openapi_document_under_fuzzing(api_schema):
    # Driven by hand rather than by schemathesis' pytest plugin, which does not support
    # this pytest version's fixtures; the checks are schemathesis' own.
    operations = {result.ok().path: result.ok() for result in api_schema.get_all_operations()}
    assert sorted(operations) == ["/api/v1/verify", "/api/v1/verify/file"]
    calls = {path: [] for path in operations}

    def fuzzer(path: str, examples: int, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
        operation = operations[path]

        @hypothesis_settings(max_examples=examples, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(*(operation.as_strategy(mode) for mode in modes))
               .filter(_not_an_empty_file))
        def fuzz(case):
            # Uncompressed: schemathesis asks for gzip like a browser, but its WSGI transport
            # does not inflate the answer before checking it against the document.
            response = case.call_and_validate(headers={"Accept-Encoding": "identity"},
                                              environ_base={"REMOTE_ADDR": "192.0.2.1"})
            calls[path].append(response.status_code)

        return fuzz

    # Files: any bytes, in a well-formed form. A malformed multipart body is only a form
    # without its file to Django's lenient parser (a 422 that schemathesis would call
    # accepting bad data, or refusing good data when the file was empty).
    fuzzer("/api/v1/verify/file", 30, modes=(GenerationMode.POSITIVE,))()
    fuzzer("/api/v1/verify", 80)()
    codes, files = calls["/api/v1/verify"], calls["/api/v1/verify/file"]
    assert len(codes) >= 40 and 500 not in codes
    assert {404, 422} <= set(codes)  # both well-formed misses and malformed bodies came
    # Made-up files are read as files: every one answered with a verdict or refused.
    assert len(files) >= 15 and 500 not in files and 200 in files
