"""Pointing the Celery app at a broker for one test, and back to in-process after."""

from __future__ import annotations

import contextlib

from config.celery import app


def _drop_connections() -> None:
    # The pools keep the broker they were made with; a new broker needs new ones. They
    # are dropped, not closed: kombu's global producer registry may still hand them out
    # for the old broker.
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def using_broker(url: str, queue: str = "celery"):
    conf = app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.task_default_queue)
    _drop_connections()
    conf.broker_url, conf.task_always_eager, conf.task_default_queue = url, False, queue
    try:
        yield app
    finally:
        _drop_connections()
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = saved
