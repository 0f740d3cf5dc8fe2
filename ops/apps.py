import os

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health and readiness probes, Prometheus metrics, JSON logs."""

    name = "ops"
    verbose_name = "عملیات"

    def ready(self) -> None:
        # In multiprocess mode every process writes its counters there; a worker or beat
        # container starts with an empty /tmp.
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            os.makedirs(directory, exist_ok=True)
        # Celery signal receivers: task counters, and the worker's own metrics exporter.
        from . import celery_metrics  # noqa: F401
        # Deploy-time warnings for a sandbox bank or an SMS backend that sends nothing.
        from . import system_checks  # noqa: F401
