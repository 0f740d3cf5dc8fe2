"""Documents and certificates on a real S3 API (moto's server): stored privately,
read only through short-lived presigned URLs handed out after the permission check,
deleted with their document."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from botocore.exceptions import ClientError

from cases.certificates.services import certificate_pdf, issue_transfer_certificate
from cases.documents.links import signed_url
from cases.documents.services import remove_document, store_document
from cases.file_deletions import sweep_file_deletions
from cases.storage import private_storage
from integrations.storage.s3 import PrivateS3Storage
from tests.integrations.storage.conftest import LINK_SECONDS
from tests.support import files
from tests.support.certificates import APPROVED, NO_FEES, RECORDING_RENDERER, ready_case
from tests.support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture
def on_s3(s3_bucket, s3_client):
    return s3_bucket, s3_client


@pytest.fixture
def stored(on_s3):
    case = CaseFactory(applicant_role="owner")
    photo = files.upload("کارت ملی.jpg", files.jpeg_with_gps())
    return store_document(case, "national_card", photo, case.citizen)


def body(s3_client, bucket: str, key: str) -> bytes:
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_settings_switch_the_private_storage_to_s3(on_s3):
    assert isinstance(private_storage(), PrivateS3Storage)


def test_upload_lands_in_the_bucket_cleaned_under_a_random_name(on_s3, stored):
    bucket, s3 = on_s3
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f-]{36}\.jpg", stored.file.name)
    data = body(s3, bucket, stored.file.name)
    assert data.startswith(b"\xff\xd8")
    assert b"PhoneMaker" not in data and b"Exif" not in data  # re-encoded before upload
    assert hashlib.sha256(data).hexdigest() == stored.sha256


def test_object_is_private_and_anonymous_get_is_refused(on_s3, stored):
    bucket, s3 = on_s3
    grants = s3.get_object_acl(Bucket=bucket, Key=stored.file.name)["Grants"]
    grantees = {g["Grantee"].get("URI") for g in grants}
    assert ALL_USERS not in grantees and AUTHENTICATED_USERS not in grantees
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    # The object's plain address, without a signature, opens nothing.
    plain = f"{s3.meta.endpoint_url}/{bucket}/{stored.file.name}"
    assert requests.get(plain, timeout=10).status_code == 403


def test_owner_is_redirected_to_a_short_presigned_url_that_serves_the_file(client, on_s3, stored):
    bucket, s3 = on_s3
    client.force_login(stored.case.citizen)

    response = client.get(signed_url(stored, stored.case.citizen))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(LINK_SECONDS)]
    assert "X-Amz-Signature" in query
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == body(s3, bucket, stored.file.name)
    assert fetched.headers["Content-Type"] == "image/jpeg"
    assert fetched.headers["Content-Disposition"].startswith("inline")
    # moto checks no signature or expiry (AWS does); the signed lifetime is asserted above.


def test_stranger_gets_no_presigned_url(client, on_s3, stored):
    stranger = UserFactory()
    client.force_login(stranger)
    for url in (signed_url(stored, stored.case.citizen), signed_url(stored, stranger)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Location" not in response


def test_removing_a_document_deletes_the_object(on_s3, stored, django_capture_on_commit_callbacks):
    bucket, s3 = on_s3
    name = stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(stored, stored.case.citizen)
    s3.head_object(Bucket=bucket, Key=name)  # kept through the backup window
    assert sweep_file_deletions(now=files.past_backup_window()) == 1
    with pytest.raises(ClientError) as missing:
        s3.head_object(Bucket=bucket, Key=name)
    assert missing.value.response["Error"]["Code"] in {"404", "NoSuchKey"}


def test_certificate_round_trip_on_s3(settings, on_s3):
    bucket, s3 = on_s3
    settings.PDF_RENDERER = RECORDING_RENDERER
    case = ready_case()
    certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)

    assert re.fullmatch(r"certificates/\d{4}/[0-9a-f-]{36}\.pdf", certificate.pdf.name)
    assert body(s3, bucket, certificate.pdf.name) == certificate_pdf(case)
    grants = s3.get_object_acl(Bucket=bucket, Key=certificate.pdf.name)["Grants"]
    assert all(g["Grantee"].get("URI") is None for g in grants)


def test_certificate_links_redirect_to_short_presigned_urls(client, on_s3):
    """The certificate's PDF and preview, as documents: after the link's checks, the
    store serves the bytes through a URL signed for the configured lifetime."""
    from cases.certificates.links import signed_url as certificate_link
    from cases.certificates.preview import PNG_SIGNATURE

    bucket, s3 = on_s3
    case = ready_case()
    certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    client.force_login(case.citizen)

    for kind, content_type in (("pdf", "application/pdf"), ("png", "image/png")):
        response = client.get(certificate_link(case.pk, case.citizen, kind))
        assert response.status_code == 302, kind
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        location = response["Location"]
        assert location.startswith(s3.meta.endpoint_url)
        query = parse_qs(urlsplit(location).query)
        assert query["X-Amz-Expires"] == [str(LINK_SECONDS)]
        assert "X-Amz-Signature" in query
        fetched = requests.get(location, timeout=10)
        assert fetched.status_code == 200
        assert fetched.headers["Content-Type"] == content_type
        assert fetched.headers["Content-Disposition"].startswith("inline")
        if kind == "pdf":
            assert fetched.content == certificate_pdf(case)
        else:
            certificate.refresh_from_db()  # the preview was drawn and stored on first use
            assert fetched.content.startswith(PNG_SIGNATURE)
            assert fetched.content == body(s3, bucket, certificate.preview.name)

    # Embedded in the case page (<object>), the redirect would break the page's CSP.
    embedded = client.get(certificate_link(case.pk, case.citizen, "pdf"),
                          headers={"Sec-Fetch-Dest": "object"})
    assert embedded.status_code == 200 and embedded.content == certificate_pdf(case)

    stranger = UserFactory()
    client.force_login(stranger)
    for url in (certificate_link(case.pk, case.citizen, "pdf"),
                certificate_link(case.pk, stranger, "pdf")):
        refused = client.get(url)
        assert refused.status_code == 404 and "Location" not in refused


def test_without_direct_links_the_app_streams_from_s3(client, settings, on_s3, stored):
    bucket, s3 = on_s3
    settings.PRIVATE_STORAGE_DIRECT_LINKS = False
    client.force_login(stored.case.citizen)
    response = client.get(signed_url(stored, stored.case.citizen))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body(s3, bucket, stored.file.name)
    assert response["Cache-Control"] == "private, no-store"


def test_presigned_url_is_signed_now_for_the_configured_lifetime(on_s3, stored):
    import datetime

    import time_machine

    from integrations.storage.links import temporary_url

    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        url = temporary_url(stored.file.storage, stored.file.name,
                            filename="card.jpg", content_type="image/jpeg")
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Date"] == ["20260301T093000Z"]
    assert query["X-Amz-Expires"] == [str(LINK_SECONDS)]
    assert query["response-content-type"] == ["image/jpeg"]


def test_filesystem_storage_gives_no_direct_url():
    from cases.storage import PrivateFileSystemStorage
    from integrations.storage.links import temporary_url

    assert temporary_url(PrivateFileSystemStorage(), "x.jpg", filename="x.jpg",
                         content_type="image/jpeg") is None
