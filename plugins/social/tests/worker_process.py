"""A real Celery worker process for ``test_worker_e2e.py``'s kill test, started with
``python -m plugins.social.tests.worker_process`` (cwd: the repository root).

It is the project's Celery app (``site/sidekem_site/celery.py``) with the test settings, reading
its database from ``DATABASE_URL`` (the test database, shared with the test process) and its
broker from ``SOCIAL_WORKER_BROKER``. The broker's visibility timeout is lowered
(``SOCIAL_WORKER_VISIBILITY``, seconds) so that the messages a killed worker had taken and not
acknowledged (``acks_late``) come back within the test, as they would after an hour in
production (``CELERY_BROKER_TRANSPORT_OPTIONS``). The worker consumes ``SOCIAL_WORKER_QUEUE``
only, and the tasks it queues (the sweeper's) go there too.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.test")

import django  # noqa: E402

django.setup()

from plugins.social.tasks import deliver_delivery  # noqa: E402

# the project's app (site/sidekem_site/celery.py, created when the settings package is imported)
app = deliver_delivery.app

if __name__ == "__main__":
    queue = os.environ["SOCIAL_WORKER_QUEUE"]
    app.conf.broker_url = os.environ["SOCIAL_WORKER_BROKER"]
    app.conf.result_backend = None
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.worker_prefetch_multiplier = 2
    app.conf.broker_transport_options = {
        "visibility_timeout": float(os.environ.get("SOCIAL_WORKER_VISIBILITY", "3")),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            os.environ.get("SOCIAL_WORKER_CONCURRENCY", "5"),
            "--queues",
            queue,
            "--hostname",
            os.environ.get("SOCIAL_WORKER_NAME", "social-kill@%h"),
            "--loglevel",
            os.environ.get("SOCIAL_WORKER_LOGLEVEL", "WARNING"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
