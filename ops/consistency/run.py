"""One consistency run over everything, and the nightly one with its rotating share."""

from __future__ import annotations

import datetime
import logging
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from cases.storage import private_storage
from integrations.storage.listing import list_files

from .certificates import check_certificates
from .files import check_documents
from .report import Report, Share
from .rows import check_cases, check_open_tasks, check_payments, check_sms

log = logging.getLogger(__name__)
LOGGED_MISMATCHES = 200  # the rest counted per kind in consistency_checked


def check_consistency(share: Share = Share(), now: datetime.datetime | None = None) -> Report:
    """Every check; the files' bytes (and certificates' signatures) only for `share`."""
    now = now or timezone.now()
    report = Report()
    storage = private_storage()

    def timed(name: str, work) -> None:
        started = time.monotonic()
        work()
        report.seconds[name] = time.monotonic() - started

    listed: dict[str, int] = {}
    # One listing of the whole store: a million cases' files are a few thousand S3 list
    # requests, where asking for each file would be millions.
    timed("listing", lambda: listed.update(list_files(storage)))
    report.count("stored files", len(listed))
    timed("cases", lambda: check_cases(report))
    timed("documents", lambda: check_documents(storage, listed, share, report))
    timed("certificates", lambda: check_certificates(storage, listed, share, report, now))
    timed("payments", lambda: check_payments(report))
    timed("open tasks", lambda: check_open_tasks(report))
    timed("sms", lambda: check_sms(report, now))
    return report


def tonights_share(today: datetime.date, nights: int) -> Share:
    """Night after night a different slice: every file's bytes within `nights` nights."""
    return Share(part=today.toordinal() % nights, of=nights)


@shared_task(name="ops.check_consistency_nightly")
def check_consistency_nightly() -> int:
    share = tonights_share(timezone.localdate(), settings.CONSISTENCY_REHASH_NIGHTS)
    report = check_consistency(share)
    # Each one, up to a point: a systematic fault must not flood the logs nightly.
    for what, message in report.mismatches[:LOGGED_MISMATCHES]:
        log.error("consistency_mismatch", extra={"check": what, "detail": message})
    log.info("consistency_checked", extra={
        "mismatches": len(report.mismatches), "share": f"{share.part}/{share.of}",
        **{f"mismatched_{k.replace(' ', '_')}": v for k, v in report.by_kind().items()},
        **{f"checked_{k.replace(' ', '_')}": v for k, v in report.checked.items()},
        **{f"seconds_{k.replace(' ', '_')}": round(v, 1) for k, v in report.seconds.items()}})
    return len(report.mismatches)
