"""Progress of long work started from a page. The task doing the work calls these; the
job page polls the row they write."""

import logging
import threading
import uuid

from django.conf import settings
from django.db import connections
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from articles.models import Job, JobState
from claimtrack.enqueue import enqueue


def job_create(*, kind: str, actor, total: int = 1, return_url: str = "", source: str = "") -> Job:
    return Job.objects.create(
        kind=kind, created_by=actor, total=total, return_url=return_url, source=source
    )


def job_set_total(job_id, total: int) -> None:
    """Once the work is counted (the rows of a file, say)."""
    Job.objects.filter(pk=job_id).update(total=total, updated_at=timezone.now())


def job_progress(job_id, *, done: int, failed: int = 0, errors: list[str] | None = None) -> None:
    """Record that `done` items of the job are handled, `failed` of them unsuccessfully.
    Counts only grow, so a task delivered again (it restarts from the top) never makes
    the bar go back."""
    updates = {
        "state": JobState.RUNNING,
        "done": Greatest(F("done"), done),
        "failed": Greatest(F("failed"), failed),
        "updated_at": timezone.now(),
    }
    if errors is not None:
        updates["errors"] = errors
    Job.objects.filter(pk=job_id).exclude(state__in=[JobState.DONE, JobState.FAILED]).update(
        **updates
    )


def job_finish(job_id, *, message: str, result_url: str = "", result: dict | None = None) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        state=JobState.DONE,
        message=message,
        done=F("total"),
        finished_at=now,
        updated_at=now,
        result_url=result_url,
        result=result or {},
    )


def job_fail(job_id, *, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED, message=message, finished_at=now, updated_at=now
    )


log = logging.getLogger(__name__)


def job_dispatch(task, *args) -> None:
    """Send a job's task: to the workers, or, without a broker (`make run`), to a thread
    of this process, so the page that started it can watch its progress."""
    if not settings.CLAIMTRACK_JOBS_IN_THREAD:
        # Called after commit: a broker outage must not turn the saved request into a
        # 500, nor leave the job's page waiting for ever for a task never sent.
        if not enqueue(task, *args) and _job_id(args) is not None:
            job_fail(_job_id(args), message="Could not start: the task queue is unavailable.")
        return

    def run():
        try:
            task.apply(args=args)
        except Exception:
            log.exception("job task %s failed", task.name)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"job-{task.name}", daemon=True).start()


def _job_id(args) -> uuid.UUID | None:
    """The job a task reports to: job tasks take its id first (other tasks sent through
    here, a feed poll, take a number)."""
    try:
        return uuid.UUID(str(args[0])) if args else None
    except ValueError:
        return None
