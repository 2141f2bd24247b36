"""claimtrack.enqueue, in-process: a send to a broker that is not there is logged and
reported, never raised; after one failure the process stops trying for a while; and a
task that fails when run in-process after commit is logged, not turned into an error."""

import logging
import time
from types import SimpleNamespace

import pytest
from celery import Celery
from django.db import transaction

from claimtrack import enqueue as sending
from tests.reliability.harness import free_port

pytestmark = [pytest.mark.faults]


@pytest.fixture
def unreachable():
    """A task of an app whose broker port has nothing behind it."""
    app = Celery("unreachable", broker=f"redis://127.0.0.1:{free_port()}/0", set_as_current=False)
    app.conf.update(broker_connection_retry=False, broker_connection_max_retries=0)
    tried = []

    @app.task(name="tests.unreachable")
    def task(n):
        return n

    original = task.apply_async

    def counted(*args, **kwargs):
        tried.append(args)
        return original(*args, **kwargs)

    task.apply_async = counted
    sending.broker_reset()
    yield task, tried
    sending.broker_reset()
    app.close()


def test_a_send_to_a_missing_broker_is_logged_and_the_process_backs_off(
    unreachable, settings, caplog, monkeypatch
):
    task, tried = unreachable
    settings.CLAIMTRACK_BROKER_BACKOFF = 60
    with caplog.at_level(logging.WARNING, logger="claimtrack.enqueue"):
        assert sending.enqueue(task, 1) is False
        assert sending.enqueue(task, 2) is False
    assert len(tried) == 1  # the second did not even try
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "could not send tests.unreachable(1,): the broker is unavailable"
    assert (
        messages[1] == "broker unavailable: tests.unreachable(2,) not sent; its sweep will send it"
    )

    # A minute on, the back-off is over: the next send tries again.
    later = time.monotonic() + 61
    monkeypatch.setattr(sending, "time", SimpleNamespace(monotonic=lambda: later))
    assert sending.enqueue(task, 3) is False and len(tried) == 2


@pytest.mark.django_db
def test_a_task_failing_in_process_after_commit_is_logged_not_raised(
    django_capture_on_commit_callbacks, caplog
):
    from claimtrack.celery import app  # tasks run in-process in the tests

    @app.task(name="tests.fails_after_commit")
    def fails():
        raise RuntimeError("the task fell over")

    capture = django_capture_on_commit_callbacks(execute=True)
    with caplog.at_level(logging.ERROR), capture, transaction.atomic():
        sending.enqueue_on_commit(fails)
    assert "send_after_commit" in caplog.text and "the task fell over" in caplog.text
