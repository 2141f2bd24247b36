"""Sending Celery tasks from a request without letting a broker outage hurt the request.

The work these tasks do is owed in the database first (the re-check outbox, webhook
deliveries, jobs), so a message that cannot be sent is caught up later by a sweep; what
must never happen is a saved article answering 500, or a page hanging on a dead Redis.
So a send failure is logged, never raised, and after one the process stops trying for
`CLAIMTRACK_BROKER_BACKOFF` seconds: a hung Redis costs one socket timeout per process,
not one per task.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

_lock = threading.Lock()
_broker_down_until = 0.0


def enqueue(task, *args) -> bool:
    """Send `task(*args)` to the workers; False when it was not sent (the reason is in
    the log). Without a broker (tasks run in-process) the task simply runs here."""
    global _broker_down_until
    if task.app.conf.task_always_eager:
        task.apply_async(args)
        return True
    if time.monotonic() < _broker_down_until:
        log.warning("broker unavailable: %s%s not sent; its sweep will send it", task.name, args)
        return False
    try:
        # Nobody waits for these results: not subscribing to them spares the request a
        # second round of Redis timeouts when Redis is down.
        task.apply_async(args, ignore_result=True)
    except Exception:
        with _lock:
            _broker_down_until = time.monotonic() + settings.CLAIMTRACK_BROKER_BACKOFF
        log.exception("could not send %s%s: the broker is unavailable", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside one)."""

    # A function, not a partial: Django names the callback when it logs a failure of a
    # robust one, and a partial has no name (the logging itself would raise).
    def send_after_commit():
        enqueue(task, *args)

    transaction.on_commit(send_after_commit, robust=True)


def broker_reset() -> None:
    """Forget an earlier send failure (tests, and a process that knows Redis is back)."""
    global _broker_down_until
    with _lock:
        _broker_down_until = 0.0
