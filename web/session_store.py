"""Sessions read from the shared cache and written through to the database.

Django's cached_db store, except that the cache is only ever a copy: when Redis cannot be
reached the database answers (the person stays signed in, the page is served) and the
failure is logged, where Django's own store would answer 500 on a read that misses the
cache or on a logout. The database stays the source of truth, so a Redis restart logs
nobody out. Chosen in config/settings/database.py only when the cache is shared (Redis):
with a per-process cache a logout in one gunicorn worker would leave the session alive
in another worker's copy.

A signed-in page needs the session and then its owner's kept row
(cases/accounts/backends.py); once this process knows whose a session is, both come in
one round trip to Redis.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from cases.accounts import backends as user_cache

log = logging.getLogger(__name__)
# Whose each session was when this process last read it: the next read of the session
# fetches that person's kept row in the same Redis round trip (one MGET, not two GETs).
# A hint only: the session read says whose it is, and a wrong guess is a wasted key.
_owner_hints: dict[str, str] = {}
MAX_HINTS = 20_000


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        try:
            data = self._read_cache()
        except Exception:  # noqa: BLE001 — an unreachable cache is a miss
            log.warning("session_cache_unavailable", exc_info=True)
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except Exception:  # noqa: BLE001
            log.warning("session_cache_unavailable", exc_info=True)
        return data

    def _read_cache(self) -> dict | None:
        user_cache.bring(None, None)  # nothing an earlier read fetched carries over
        owner = _owner_hints.get(self.session_key)
        if owner is None or not self._shares_the_user_cache():
            data = self._cache.get(self.cache_key)
        else:
            user_key = user_cache.cache_key(owner)
            found = self._cache.get_many([self.cache_key, user_key])
            data = found.get(self.cache_key)
            user_cache.bring(owner, found.get(user_key))
        if data is not None and (signed_in := data.get(SESSION_KEY)) is not None:
            if len(_owner_hints) >= MAX_HINTS:
                _owner_hints.clear()
            _owner_hints[self.session_key] = str(signed_in)
        return data

    def _shares_the_user_cache(self) -> bool:
        return user_cache.enabled() and settings.SESSION_CACHE_ALIAS == "default"

    def exists(self, session_key: str) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001
            log.warning("session_cache_unavailable", exc_info=True)
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key: str | None = None) -> None:
        # The row goes first: once it is gone, a cached copy the cache could not drop is
        # the only trace, and it expires with the session.
        super(cached_db.SessionStore, self).delete(session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # noqa: BLE001
            log.error("session_cache_delete_failed", exc_info=True)
