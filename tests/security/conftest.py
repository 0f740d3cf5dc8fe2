"""The victim of the attack suite: citizen A («citizen») with a case in every state.

Built once for the whole package through the site (tests/support/citizen_a.py's
build_citizen_a), committed, and flushed at the end; each test runs in a transaction
rolled back onto it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import override_settings

from cases.demo.seed import seed
from cases.certificates.models import Certificate
from cases.documents.thumbnails import may_have_thumbnail, render_thumbnail
from cases.persian import to_persian_digits
from tests.support.citizen_a import CitizenA, build_citizen_a
from tests.support.database import flush_and_reseed


@dataclass
class Secrets:
    """What of A's must never reach anyone not entitled to it, in text and in bytes."""

    texts: dict[str, str]  # what → the string as a page could show it
    blobs: dict[str, bytes]  # what → a distinctive slice of a stored file

    @classmethod
    def of(cls, a: CitizenA) -> "Secrets":
        person = a.user
        texts = {"national id": person.national_id,
                 "national id (Persian digits)": to_persian_digits(person.national_id),
                 "full name": f"{person.first_name} {person.last_name}"}
        for case in a.cases:
            if case.tracking_number:
                texts[f"tracking number of case {case.pk}"] = case.tracking_number
                texts[f"tracking number of case {case.pk} (shown)"] = case.tracking_number_display
        for payment in a.payments:
            texts[f"order {payment.pk}"] = payment.order_id
            if payment.reference:
                texts[f"bank reference of payment {payment.pk}"] = payment.reference
        blobs = {}
        for document in a.documents:
            with document.file.open("rb") as stored:
                content = stored.read()
            blobs[f"document {document.pk}"] = content[len(content) // 2:][:48]
            if may_have_thumbnail(document):  # the same picture, made the same way
                thumbnail = render_thumbnail(content)[0]
                blobs[f"thumbnail of document {document.pk}"] = thumbnail[len(thumbnail) // 2:][:48]
        for certificate in Certificate.objects.filter(case__in=a.cases):
            with certificate.pdf.open("rb") as stored:
                blobs[f"certificate {certificate.pk}"] = stored.read()[-32:]
        return cls(texts, blobs)

    def found_in(self, body: bytes) -> list[str]:
        text = body.decode("utf-8", "replace")
        return ([what for what, value in self.texts.items() if value and value in text]
                + [what for what, value in self.blobs.items() if value in body])


@pytest.fixture(autouse=True)
def _victims_files(_private_files, settings, request):
    """A's stored files stay readable, so a leak of their bytes would show."""
    if "victim" in request.fixturenames:
        settings.PRIVATE_STORAGE_ROOT = request.getfixturevalue("_victim_root")


@pytest.fixture(scope="package")
def _victim_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(scope="package")
def victim(_victim_root, django_db_setup, django_db_blocker, tmp_path_factory) -> CitizenA:
    with override_settings(
        PRIVATE_STORAGE_ROOT=_victim_root,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PDF_RENDERER="tests.support.citizen_a.StandInRenderer",
    ):
        try:
            with django_db_blocker.unblock():
                seed()
                state = build_citizen_a()
                state.secrets = Secrets.of(state)
            yield state
        finally:
            with django_db_blocker.unblock():
                flush_and_reseed()
