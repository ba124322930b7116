"""Celery app. With REDIS_URL a worker and beat run tasks; without it tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")

app = Celery("sidekem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
