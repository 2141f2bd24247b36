"""Settings of the load benchmark's gunicorn and Celery worker: the project's own, plus a
bench-only URL (the plain-view baseline, never in the project's URLs) and a queue of the
benchmark's own, so its worker takes only its tasks from a shared Redis."""

import os

from claimtrack.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CLAIMTRACK_LOAD_QUEUE", "claimtrack-load")
