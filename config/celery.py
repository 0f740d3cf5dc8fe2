"""The Celery application: Redis in production, in-process when no broker is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("municipal_eservices")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
