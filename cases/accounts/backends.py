"""The password backend, with the signed-in person read from the shared cache.

Every request of a signed-in person needs their user row (Django checks the session
against the password's hash and `is_active`; the role flags compare `roles_version`).
With Redis configured (AUTH_USER_CACHE_SECONDS > 0) that row is kept there, so a page
pays one Redis read instead of a SQL statement. The copy is dropped whenever the row
changes through the ORM — a save or delete of the user, and the roles_version bump
(role_signals.py, a queryset update) — so a changed password, a deactivation or a removed
role takes effect on the person's next request. A change made behind the ORM's back
(raw SQL) waits at most AUTH_USER_CACHE_SECONDS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

# The model's shape is in the pickle: a deploy that changes it must not read old copies.
KEY_VERSION = 1
# What the session's read brought along (web/session_store.py): (user id, the kept copy or
# None when Redis had none). Set by every session read, taken by the next get_user.
_brought: ContextVar[tuple[str, object] | None] = ContextVar("brought_user", default=None)


def cache_key(user_id) -> str:
    return f"auth:user:{KEY_VERSION}:{user_id}"


def enabled() -> bool:
    return bool(_seconds())


def _seconds() -> int:
    return getattr(settings, "AUTH_USER_CACHE_SECONDS", 0)


def bring(user_id, user) -> None:
    """What the session's read fetched of this user in the same round trip (None: not kept),
    for the get_user that follows it; `user_id` None forgets anything brought before."""
    _brought.set(None if user_id is None else (str(user_id), user))


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = _seconds()
        if not seconds:
            return super().get_user(user_id)
        brought = _brought.get()
        if brought is not None and brought[0] == str(user_id):
            _brought.set(None)  # once: a second look in the same request asks Redis again
            user = brought[1]
        else:
            try:
                user = cache.get(cache_key(user_id))
            except Exception:  # noqa: BLE001 — an unreachable cache is a miss
                log.warning("user_cache_unavailable", exc_info=True)
                return super().get_user(user_id)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                _store(user, seconds)
            return user
        return user if self.user_can_authenticate(user) else None


def _store(user, seconds: int) -> None:
    try:
        cache.set(cache_key(user.pk), user, seconds)
    except Exception:  # noqa: BLE001
        log.warning("user_cache_unavailable", exc_info=True)


def forget(user_ids: Iterable) -> None:
    """Drop the kept copies of these users once the change is committed; the next request
    reads the row. Not before: a request in between would keep the old row again."""
    keys = [cache_key(pk) for pk in user_ids]
    if keys and _seconds():
        transaction.on_commit(partial(_delete, keys))


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 — the copies then expire on their own
        log.error("user_cache_not_invalidated", extra={"users": len(keys)}, exc_info=True)


def _user_changed(instance, **_kwargs) -> None:
    forget([instance.pk])


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="accounts.user_cache_saved")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="accounts.user_cache_deleted")
