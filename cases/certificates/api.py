"""The verification API for institutions' systems (a bank checking an inquiry answer).

The same check as the /verify/ page, with the same rate limit and the same single
answer for every wrong pair; the OpenAPI document is generated from this module
(/api/v1/openapi.json). No interactive docs page: it would load scripts from a CDN.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, NinjaAPI, Schema, Status, UploadedFile

from ops.client_address import client_address

from .file_check import OUTCOMES, check_file
from .file_messages import MSG_TOO_LARGE, verdict_lines
from .lookup import VALID, VerifiedDocument, lookup_allowed, verify
from .views_verify import MSG_NO_MATCH, MSG_TOO_MANY

api = NinjaAPI(
    title="بررسی اصالت گواهی‌ها",
    version="1",
    description=(
        "Check a certificate or inquiry answer by the tracking number and verification "
        "code printed on it, or by its PDF file (its PAdES signature and our records). "
        "Every wrong pair gets the same 404 answer; look-ups are limited per client "
        "address (429)."
    ),
    urls_namespace="verify_api",
    docs_url=None,
)


class VerifyIn(Schema):
    tracking_number: str = Field(
        max_length=40, description="شماره پیگیری (10 digits; Persian digits and spaces accepted)"
    )
    verification_code: str = Field(max_length=40, description="کد تصدیق (8 digits)")


class PropertyOut(Schema):
    renovation_code: str
    address: str
    owners: list[str]


class LetterOut(Schema):
    institution: str
    number: str


class VerifiedOut(Schema):
    valid: bool = Field(description="true only if neither revoked nor expired")
    state: Literal["valid", "revoked", "expired"]
    revoked: bool
    replaced: bool = Field(description="a newer version of this document was issued; "
                                       "only the newest can be valid")
    kind: Literal["transfer", "inquiry_answer"]
    kind_label: str
    version: int
    tracking_number: str
    issued_at: datetime.datetime
    valid_until: datetime.datetime
    property: PropertyOut
    letter: LetterOut | None = Field(
        description="the institution's letter an inquiry answer replies to"
    )


class Problem(Schema):
    code: Literal["no_match", "too_many_requests", "too_large"]
    detail: str


class FileVerdictOut(Schema):
    outcome: Literal[OUTCOMES] = Field(description=(
        "genuine: ours and unchanged (see document.state); revoked: ours and unchanged, "
        "but revoked; before_signatures: issued before signatures, byte for byte as "
        "stored; altered: changed after our signature; signed_after: our signature "
        "intact, then signed by someone else; not_ours; unreadable"))
    messages: list[str] = Field(description="what a person is told, in Persian")
    signer: str
    later_changes: Literal["none", "timestamps", "signatures", "form", "annotations", "other"]
    later_signers: list[str]
    current_version: int | None = Field(description="the version that replaced this one")
    document: VerifiedOut | None = Field(description="what our records say of the document")


class InvalidRequest(Schema):
    detail: list[dict] | str


@api.post(
    "/verify",
    response={200: VerifiedOut, 400: InvalidRequest, 404: Problem, 422: InvalidRequest,
              429: Problem},
    summary="Verify an issued certificate or inquiry answer",
    operation_id="verify_document",
)
def verify_document(request: HttpRequest, payload: VerifyIn):
    if not lookup_allowed(client_address(request)):
        return Status(429, {"code": "too_many_requests", "detail": MSG_TOO_MANY})
    document = verify(payload.tracking_number, payload.verification_code, now=timezone.now())
    if document is None:
        return Status(404, {"code": "no_match", "detail": MSG_NO_MATCH})
    return Status(200, _out(document))


@api.post(
    "/verify/file",
    response={200: FileVerdictOut, 400: InvalidRequest, 413: Problem, 422: InvalidRequest,
              429: Problem},
    summary="Verify an issued document by its PDF file",
    operation_id="verify_file",
)
def verify_file(request: HttpRequest, file: File[UploadedFile]):
    if file.size > settings.VERIFY_UPLOAD_MAX_BYTES:
        return Status(413, {"code": "too_large", "detail": MSG_TOO_LARGE})
    if not lookup_allowed(client_address(request)):
        return Status(429, {"code": "too_many_requests", "detail": MSG_TOO_MANY})
    verdict = check_file(file.read(), now=timezone.now())
    return Status(200, {
        "outcome": verdict.outcome, "messages": verdict_lines(verdict),
        "signer": verdict.signer, "later_changes": verdict.later_changes,
        "later_signers": list(verdict.later_signers),
        "current_version": verdict.current_version,
        "document": _out(verdict.document) if verdict.document else None,
    })


def _out(document: VerifiedDocument) -> dict:
    return {
        "valid": document.state == VALID,
        "state": document.state,
        "revoked": document.state == "revoked",
        "replaced": document.replaced,
        "kind": document.kind,
        "kind_label": document.kind_label,
        "version": document.version,
        "tracking_number": document.tracking_number,
        "issued_at": document.issued_at,
        "valid_until": document.valid_until,
        "property": {"renovation_code": document.renovation_code,
                     "address": document.address, "owners": list(document.owners)},
        "letter": ({"institution": document.letter_institution, "number": document.letter_number}
                   if document.letter_institution else None),
    }
