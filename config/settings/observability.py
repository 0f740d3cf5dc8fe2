"""What operators see: structured logs with a request id, /metrics (Prometheus), the
readiness probe.

Environment: LOG_LEVEL, AXES_LOG_LEVEL, LOG_FORMAT, METRICS_TOKEN, METRICS_ALLOWED_ADDRESSES,
METRICS_WORKER_PORT, METRICS_WORKER_ADDRESS, READINESS_TIMEOUT_SECONDS.
"""

from config.settings.base import DEBUG, env
from config.settings.tasks import CELERY_BROKER_URL

# Structured logs: one JSON object a line on stderr (LOG_FORMAT=plain for reading by eye).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The twilio client narrates every request and its headers at INFO.
        "twilio.http_client": {"level": "WARNING"},
        # django-guid narrates every request and task at INFO.
        "django_guid": {"level": "WARNING"},
    },
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
}

# The request id: taken from X-Request-ID (the proxy's) when it is a valid UUID, else
# made; returned on the response, put on every log line, and carried into Celery tasks.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    # Access-Control-Expose-Headers is for another origin's script reading the header:
    # the site answers no cross-origin requests (no CORS), so it would only cost a header.
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [],
}
if CELERY_BROKER_URL:
    # Only with a real broker: run in-process, a task already sees the request's id, and
    # the integration's own id would replace it for the rest of the request.
    from django_guid.integrations import CeleryIntegration

    DJANGO_GUID["INTEGRATIONS"] = [CeleryIntegration(use_django_logging=True)]

PROMETHEUS_EXPORT_MIGRATIONS = False  # it would query the database at every start
# /metrics: a bearer token, or a direct request from these addresses/networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list(
    "METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"] if DEBUG else []
)
# A Celery worker serves its task counters on this port (0: off); never publish it.
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)
METRICS_WORKER_ADDRESS = env.str("METRICS_WORKER_ADDRESS", default="127.0.0.1")
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=3.0)
