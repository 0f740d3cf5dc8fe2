"""Sessions read from the shared cache and written through to the database.

Django's cached_db store, except that the cache is only ever a copy: when Redis cannot be
reached the database answers (the person stays signed in, the page is served) and the
failure is logged, where Django's own store would answer 500 on a read that misses the
cache or on a logout. The database stays the source of truth, so a Redis restart logs
nobody out. Chosen in config/settings/database.py only when the cache is shared (Redis):
with a per-process cache a logout in one gunicorn worker would leave the session alive
in another worker's copy.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
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
