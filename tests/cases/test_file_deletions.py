"""Files whose row is gone stay through the backup window, then the sweep removes them."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from cases.file_deletions import sweep_file_deletions
from cases.models import FileDeletion
from tests.support.files import CaseDocumentFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def test_a_deleted_documents_file_waits_out_the_window_then_goes(settings):
    settings.FILE_DELETION_DELAY_HOURS = 6
    document = CaseDocumentFactory()
    name, storage = document.file.name, document.file.storage
    document.delete()
    assert FileDeletion.objects.filter(name=name).exists()
    now = timezone.now()
    assert sweep_file_deletions(now=now + 5 * HOUR) == 0
    assert storage.exists(name)
    assert sweep_file_deletions(now=now + 7 * HOUR) == 1
    assert not storage.exists(name)
    assert not FileDeletion.objects.exists()
    # Its file already gone (an earlier sweep died before forgetting the mark): no error.
    FileDeletion.objects.create(name=name, marked_at=now - 7 * HOUR)
    assert sweep_file_deletions(now=now) == 1


def test_a_rolled_back_delete_leaves_no_mark_and_keeps_the_file():
    document = CaseDocumentFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        document.delete()
        raise RuntimeError("the request failed after the delete")
    assert not FileDeletion.objects.exists()
    assert sweep_file_deletions(now=timezone.now() + 1000 * HOUR) == 0
    assert document.file.storage.exists(document.file.name)
