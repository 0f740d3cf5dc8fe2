"""Background tasks (Celery, app in config/celery.py): the broker, delivery guarantees and
every periodic task beat starts.

Named tasks.py, not celery.py, so it is never mistaken for config/celery.py (the app).

Environment: CELERY_BROKER_URL, CELERY_BROKER_CONNECTION_TIMEOUT,
CELERY_VISIBILITY_TIMEOUT_SECONDS.
"""

from config.settings.base import TIME_ZONE, env
from config.settings.cases import STAFF_SUMMARY_REFRESH_SECONDS
from config.settings.payments import PAYMENT_RECONCILE_EVERY_SECONDS
from config.settings.signing import SIGNING_TIMESTAMP_EVERY_SECONDS

# Without a broker URL, tasks run in-process so one command serves the site.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a citizen's request: a few quick tries, then the
# message waits queued for the SMS outbox's sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis broker: a task taken by a worker that died (SIGKILL, lost host) is handed out
# again after this long (acks_late). It must exceed the longest retry countdown.
# kombu looks for such tasks every unacked_restore_interval x unacked_restore_throttle
# seconds (100 s by its defaults); scan a fifth of the timeout apart, at most a minute.
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": max(1, min(60, _visibility_timeout // 5)),
    "unacked_restore_throttle": 1,
}
# Not an installed app's tasks.py, so autodiscovery would miss it.
CELERY_IMPORTS = ["cases.retention", "cases.file_deletions", "flows.vanished_steps",
                  "cases.certificates.timestamping"]

CELERY_BEAT_SCHEDULE = {
    "appointments-expire-holds": {"task": "appointments.expire_holds", "schedule": 60.0},
    "cases-visit-reminders": {"task": "cases.send_visit_reminders", "schedule": 30 * 60.0},
    "cases-purge-drafts": {"task": "cases.purge_drafts", "schedule": 6 * 60 * 60.0},
    "workflows-sweep-automatic-steps": {
        "task": "workflows.sweep_automatic_steps",
        "schedule": 5 * 60.0,
    },
    "sms-sweep-outbox": {"task": "sms.sweep_outbox", "schedule": 60.0},
    "workflows-fire-due-timers": {"task": "workflows.fire_due_timers", "schedule": 60.0},
    # Reads every open task's step (an index scan): not every minute.
    "flows-report-vanished-steps": {"task": "flows.report_vanished_steps",
                                    "schedule": 10 * 60.0},
    "payments-reconcile": {
        "task": "payments.reconcile",
        "schedule": float(PAYMENT_RECONCILE_EVERY_SECONDS),
    },
    "staff-refresh-summary": {
        "task": "staff.refresh_summary",
        "schedule": float(STAFF_SUMMARY_REFRESH_SECONDS),
    },
    "cases-apply-retention": {"task": "cases.apply_retention", "schedule": 24 * 60 * 60.0},
    # Files marked for deletion wait FILE_DELETION_DELAY_HOURS; hourly is soon enough.
    "cases-sweep-file-deletions": {"task": "cases.sweep_file_deletions",
                                   "schedule": 60 * 60.0},
    # Every file listed, 1/CONSISTENCY_REHASH_NIGHTS of them re-hashed (ops/consistency/).
    "ops-check-consistency": {"task": "ops.check_consistency_nightly",
                              "schedule": 24 * 60 * 60.0},
    # Documents signed while the TSA was away get their time-stamp (none without a TSA).
    "certificates-add-timestamps": {
        "task": "certificates.add_pending_timestamps",
        "schedule": float(SIGNING_TIMESTAMP_EVERY_SECONDS),
    },
}
