"""Celery task counters, from Celery's own signals.

The web process counts what it publishes (visible on the web's /metrics). A worker
counts what it runs; with METRICS_WORKER_PORT set it serves those counters itself
(prometheus_client's exporter, merged over the prefork children through
PROMETHEUS_MULTIPROC_DIR), for Prometheus to scrape on the internal network.
"""

from __future__ import annotations

import logging
import os

from celery.signals import (
    after_task_publish,
    task_failure,
    task_retry,
    task_success,
    worker_ready,
)
from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, multiprocess, start_http_server

logger = logging.getLogger(__name__)

PUBLISHED = Counter(
    "eservices_celery_tasks_published", "Celery tasks sent to the broker", ["task"]
)
FINISHED = Counter(
    "eservices_celery_tasks", "Celery tasks run by this worker, by outcome", ["task", "outcome"]
)


@after_task_publish.connect(dispatch_uid="ops.count_published")
def count_published(sender: str | None = None, **kwargs) -> None:
    PUBLISHED.labels(task=str(sender)).inc()


@task_success.connect(dispatch_uid="ops.count_success")
def count_success(sender=None, **kwargs) -> None:
    FINISHED.labels(task=getattr(sender, "name", str(sender)), outcome="success").inc()


@task_failure.connect(dispatch_uid="ops.count_failure")
def count_failure(sender=None, **kwargs) -> None:
    FINISHED.labels(task=getattr(sender, "name", str(sender)), outcome="failure").inc()


@task_retry.connect(dispatch_uid="ops.count_retry")
def count_retry(sender=None, **kwargs) -> None:
    FINISHED.labels(task=getattr(sender, "name", str(sender)), outcome="retry").inc()


@worker_ready.connect(dispatch_uid="ops.worker_exporter")
def start_worker_exporter(**kwargs) -> None:
    port = settings.METRICS_WORKER_PORT
    if not port:
        return
    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    address = settings.METRICS_WORKER_ADDRESS
    if registry is None:
        start_http_server(port, addr=address)
    else:
        start_http_server(port, addr=address, registry=registry)
    logger.info("worker metrics on %s:%s", address, port)
