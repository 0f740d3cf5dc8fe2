"""The signed-in person read from Redis (cases/accounts/backends.py): no SQL for the user
on a page, and every change to the person — deactivated, a new password, deleted — on
their very next request, never later; only after the change commits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.accounts.backends import cache_key
from tests.support.factories import UserFactory
from tests.support.services import use_redis_sessions

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept(settings):
    cache = use_redis_sessions(settings, "user-cache")
    yield cache
    cache.clear()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user_reads(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/services/").status_code == 200
    # The user's row, not the role flags' query (read once per session, role_flags.py).
    return sum(q["sql"].startswith('SELECT "accounts_user"."id", "accounts_user"."password"')
               for q in captured.captured_queries)


def signed_in_on_next_page(client: Client) -> bool:
    response = client.get("/services/")
    return response.status_code == 200


def test_a_page_reads_the_user_once_then_from_redis(kept):
    client = signed_in(UserFactory())
    assert user_reads(client) == 1
    assert user_reads(client) == 0
    assert user_reads(client) == 0


def test_a_deactivated_person_is_out_on_the_next_request(kept):
    citizen = UserFactory()
    client = signed_in(citizen)
    assert signed_in_on_next_page(client) and signed_in_on_next_page(client)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert not signed_in_on_next_page(client)


def test_a_new_password_signs_the_other_sessions_out(kept):
    citizen = UserFactory()
    phone, laptop = signed_in(citizen), signed_in(citizen)
    assert signed_in_on_next_page(phone) and signed_in_on_next_page(laptop)
    citizen.set_password("another-pass-1405")
    citizen.save()
    assert not signed_in_on_next_page(laptop)


def test_a_deleted_person_is_out_on_the_next_request(kept):
    citizen = UserFactory()
    client = signed_in(citizen)
    assert signed_in_on_next_page(client)
    get_user_model().objects.filter(pk=citizen.pk).delete()
    assert not signed_in_on_next_page(client)


def test_the_copy_is_dropped_when_the_change_commits_not_before(kept):
    """Dropped inside the transaction, a request in between would keep the old row again."""
    citizen = UserFactory()
    client = signed_in(citizen)
    assert signed_in_on_next_page(client)
    with transaction.atomic():
        citizen.is_active = False
        citizen.save(update_fields=["is_active"])
        assert kept.get(cache_key(citizen.pk)) is not None
    assert kept.get(cache_key(citizen.pk)) is None
    assert not signed_in_on_next_page(client)


def test_the_copy_expires_after_the_configured_seconds(kept, settings):
    """What bounds a change made behind the application (raw SQL)."""
    settings.AUTH_USER_CACHE_SECONDS = 120
    client = signed_in(UserFactory())
    assert signed_in_on_next_page(client)
    redis = kept._cache.get_client(cache_key(0))
    ttl = max(redis.ttl(key) for key in redis.scan_iter(f"*{cache_key('')}*"))
    assert 100 < ttl <= 120


def test_an_unreachable_redis_reads_the_user_from_the_database(kept, settings):
    from cases.accounts.backends import CachedModelBackend

    citizen = UserFactory()
    settings.CACHES = {**settings.CACHES, "default": {
        **settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    with CaptureQueriesContext(connection) as captured:
        assert CachedModelBackend().get_user(citizen.pk) == citizen
    assert len(captured) == 1


def test_without_redis_nothing_is_kept(settings):
    settings.AUTH_USER_CACHE_SECONDS = 0
    client = signed_in(UserFactory())
    assert user_reads(client) == 1
    assert user_reads(client) == 1
