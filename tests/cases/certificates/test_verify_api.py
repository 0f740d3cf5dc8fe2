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
from django.core.wsgi import get_wsgi_application
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

@pytest.fixture
def api_schema(settings, transfer):
    settings.VERIFY_LOOKUPS_PER_WINDOW = 1_000_000
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def test_api_matches_its_openapi_document_under_fuzzing(api_schema):
    # Driven by hand rather than by schemathesis' pytest plugin, which does not support
    # this pytest version's fixtures; the checks are schemathesis' own.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert [op.path for op in operations] == ["/api/v1/verify"]
    calls = []

    @hypothesis_settings(max_examples=80, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(operations[0].as_strategy(GenerationMode.POSITIVE),
                          operations[0].as_strategy(GenerationMode.NEGATIVE)))
    def fuzz(case):
        # Uncompressed: schemathesis asks for gzip like a browser, but its WSGI transport
        # does not inflate the answer before checking it against the document.
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"},
                                          environ_base={"REMOTE_ADDR": "192.0.2.1"})
        calls.append(response.status_code)

    fuzz()
    assert len(calls) >= 40 and 500 not in calls
    assert {404, 422} <= set(calls)  # both well-formed misses and malformed bodies came
