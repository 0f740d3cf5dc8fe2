"""insert_unless_duplicate (integrations/db.py): one statement, no savepoint, and a
duplicate — even one a concurrent transaction is writing — is a no-op, never an error
that would poison the caller's transaction."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from integrations.db import insert_unless_duplicate
from integrations.sms.models import OutboxMessage, ShortLink

PHONE = "09120000000"


def message(key: str, body: str = "متن") -> OutboxMessage:
    return OutboxMessage(to=PHONE, body=body, kind="case_registered", idempotency_key=key)


@pytest.mark.django_db
def test_a_new_row_is_one_statement_and_gets_its_pk():
    fresh = message("k1")
    with CaptureQueriesContext(connection) as captured:
        assert insert_unless_duplicate(fresh) is True
    assert len(captured) == 1 and "SAVEPOINT" not in captured[0]["sql"]
    stored = OutboxMessage.objects.get(pk=fresh.pk)
    assert (stored.idempotency_key, stored.body, stored.status) == ("k1", "متن", "queued")
    assert stored.created_at is not None  # auto_now_add filled as by save()


@pytest.mark.django_db
def test_a_duplicate_is_a_no_op_and_the_transaction_goes_on():
    first = message("k2", "اول")
    assert insert_unless_duplicate(first)
    with transaction.atomic():
        again = message("k2", "دوم")
        assert insert_unless_duplicate(again) is False
        assert again.pk is None
        # No IntegrityError was raised: the transaction is still usable.
        assert OutboxMessage.objects.get(idempotency_key="k2").body == "اول"


@pytest.mark.django_db
def test_any_unique_value_counts_as_a_duplicate():
    ShortLink.objects.create(code="abcdefg", target="/a/")
    assert insert_unless_duplicate(ShortLink(code="abcdefg", target="/b/")) is False
    assert insert_unless_duplicate(ShortLink(code="hijklmn", target="/a/")) is False
    assert ShortLink.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_key_write_one_row_without_an_error(postgres):
    """The second writer waits for the first's transaction, then does nothing."""
    first_written, results, errors = threading.Event(), {}, []

    def writer(name: str, wait_before_commit: bool) -> None:
        try:
            with transaction.atomic():
                results[name] = insert_unless_duplicate(message("race", name))
                if wait_before_commit:
                    first_written.set()
                    threading.Event().wait(0.3)  # the other writer blocks meanwhile
        except Exception as exc:  # noqa: BLE001 — what the test is about
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=writer, args=("a", True))
    a.start()
    first_written.wait(5)
    b = threading.Thread(target=writer, args=("b", False))
    b.start()
    a.join()
    b.join()
    assert errors == []
    assert results == {"a": True, "b": False}
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["a"]
