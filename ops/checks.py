"""Readiness checks: can this process reach the database, the broker, the cache and the file store?

Each check runs in its own thread with a deadline, so a hung dependency makes /readyz
answer 503 quickly instead of hanging the probe (and a gunicorn worker) with it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connections


@dataclass
class Outcome:
    ok: bool
    detail: str
    seconds: float

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.seconds * 1000, 1)}


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a worker thread: its connection must not outlive it.
        connections.close_all()
    return connections["default"].vendor


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "not configured (tasks run in-process)"
    from kombu import Connection

    with Connection(url, connect_timeout=settings.READINESS_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.READINESS_TIMEOUT_SECONDS)
    return "reachable"


def check_cache() -> str:
    """The shared cache (Redis in production) keeps a value: the rate limits, the cached
    portal settings and the login lockout's counters live there."""
    from django.core.cache import caches

    cache = caches["default"]
    cache.set("readyz-probe", "ok", 10)
    if cache.get("readyz-probe") != "ok":
        raise RuntimeError("the cache did not keep a value")
    return type(cache).__name__


def private_store() -> Storage:
    try:
        from cases.storage import private_storage
    except ImportError:  # the documents app moved it: fall back to the setting's meaning
        from django.core.files.storage import storages

        if "private" in settings.STORAGES:
            return storages["private"]
        return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT)
    return private_storage()


def check_storage() -> str:
    storage = private_store()
    bucket = getattr(storage, "bucket_name", None)
    if bucket and hasattr(storage, "connection"):
        # django-storages' S3: HEAD the bucket — reachable, credentials good, bucket there.
        storage.connection.meta.client.head_bucket(Bucket=bucket)
        return f"s3 bucket {bucket}"
    if isinstance(storage, FileSystemStorage):
        root = storage.location
        os.makedirs(root, exist_ok=True)
        if not os.access(root, os.W_OK):
            raise PermissionError(f"{root} is not writable")
        return "filesystem"
    storage.exists("readyz-probe")
    return type(storage).__name__


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
    "storage": check_storage,
}


def run_checks(checks: dict[str, Callable[[], str]] | None = None) -> dict[str, Outcome]:
    checks = checks or CHECKS
    timeout = settings.READINESS_TIMEOUT_SECONDS
    results: dict[str, Outcome] = {}
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    started = time.monotonic()
    futures = {name: pool.submit(_timed, fn) for name, fn in checks.items()}
    for name, future in futures.items():
        remaining = max(0.0, timeout - (time.monotonic() - started))
        try:
            results[name] = future.result(timeout=remaining)
        except FutureTimeout:
            results[name] = Outcome(False, f"no answer within {timeout:g} s", timeout)
    # A hung check keeps its thread; the probe answers anyway.
    pool.shutdown(wait=False, cancel_futures=True)
    return results


def _timed(fn: Callable[[], str]) -> Outcome:
    started = time.monotonic()
    try:
        detail = fn()
    except Exception as exc:  # any failure of a dependency means "not ready"
        return Outcome(False, f"{type(exc).__name__}: {exc}"[:300], time.monotonic() - started)
    return Outcome(True, detail, time.monotonic() - started)
