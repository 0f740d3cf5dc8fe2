"""Doing things at the same moment, as two people or two workers do: for the tests of
locks, idempotency and races."""

from __future__ import annotations

import threading

from django.db import connections


def run_together(*jobs) -> list:
    """Run each job in its own thread (its own database connection), all at once."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
