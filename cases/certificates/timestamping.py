"""Time-stamping later what was signed while the TSA did not answer.

A document-time-stamp is appended to the stored file (an incremental update): every byte
signed at issue stays as it was, so a copy handed out before still verifies, and the file
now proves when it existed (PAdES B-T with a document time-stamp). Run by beat every
SIGNING_TIMESTAMP_EVERY_SECONDS (`certificates.add_pending_timestamps`).
"""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from pyhanko.sign.timestamps import TimestampRequestError

from cases.file_deletions import delete_later
from integrations.signing.loader import get_timestamper
from integrations.signing.pades import add_document_timestamp

from .models import TIMESTAMP_FIELDS, Certificate
from .services import stored_pdf

log = logging.getLogger(__name__)
BATCH = 50


@shared_task(name="certificates.add_pending_timestamps")
def add_pending_timestamps(limit: int = BATCH) -> int:
    """Time-stamp up to `limit` documents waiting for one; stops at the first TSA failure
    (it is still away: the next run tries again). Returns how many were time-stamped."""
    timestamper = get_timestamper()
    if timestamper is None:
        return 0
    done = 0
    waiting = Certificate.objects.filter(timestamp_pending=True).order_by("pk")
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        certificate = Certificate.objects.get(pk=pk)
        try:
            stamped = add_document_timestamp(stored_pdf(certificate), timestamper)
        except TimestampRequestError as error:
            log.warning("TSA still does not answer (%s): %s documents wait", error,
                        Certificate.objects.filter(timestamp_pending=True).count())
            break
        done += _store(certificate, stamped)
    return done


def _store(certificate: Certificate, stamped: bytes) -> int:
    old_name = certificate.pdf.name
    signed = stored_pdf(certificate)
    if not stamped.startswith(signed):  # never replace what was signed, only extend it
        raise ValueError(f"certificate {certificate.pk}: the time-stamped file changed bytes")
    certificate.pdf.save("certificate.pdf", ContentFile(stamped), save=False)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.timestamp_pending:  # another run got there first: keep its file
            certificate.pdf.delete(save=False)
            return 0
        locked.pdf = certificate.pdf
        locked.sha256 = hashlib.sha256(stamped).hexdigest()
        locked.signature_level = "B-T"
        locked.timestamp_pending = False
        locked._timestamp_appended = True
        locked.save(update_fields=sorted(TIMESTAMP_FIELDS))
        # The file without the time-stamp goes after the backup window, as every file does.
        delete_later([old_name])
    return 1
