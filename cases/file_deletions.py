"""Deleting private files late: marked now, removed by a sweep past the backup window.

A backup dumps the database first and mirrors the store after. A file deleted in between
(a draft's document removed, retention) would be named by a dumped row yet missing from
the mirror. So nothing that a committed row named is deleted at once: the name is marked
in the transaction that drops the row, and `sweep_file_deletions` removes it once
FILE_DELETION_DELAY_HOURS have passed — longer than a backup takes.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import FileDeletion
from .storage import private_storage

log = logging.getLogger(__name__)
SWEEP_BATCH = 1000


def delete_later(names: Iterable[str]) -> None:
    """Mark private files for deletion; call inside the transaction that drops their row."""
    marks = [FileDeletion(name=name) for name in names if name]
    # A name marked twice (a retried purge) keeps its first mark: the window runs from it.
    FileDeletion.objects.bulk_create(marks, ignore_conflicts=True)


def sweep_file_deletions(now: datetime.datetime | None = None) -> int:
    """Delete the files marked longer ago than the backup window; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.FILE_DELETION_DELAY_HOURS)
    due = list(FileDeletion.objects.filter(marked_at__lt=cutoff)
               .order_by("marked_at").values_list("pk", "name")[:SWEEP_BATCH])
    storage = private_storage()
    done = []
    for pk, name in due:
        try:
            storage.delete(name)  # deleting a missing file is no error in either store
        except Exception:  # the store is away: the next sweep tries again
            log.exception("file_deletion_failed", extra={"file": name})
            break
        done.append(pk)
    FileDeletion.objects.filter(pk__in=done).delete()
    if done:
        log.info("files_deleted", extra={"count": len(done)})
    return len(done)


@shared_task(name="cases.sweep_file_deletions")
def sweep_file_deletions_task() -> int:
    return sweep_file_deletions()
