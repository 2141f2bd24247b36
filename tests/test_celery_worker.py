"""End to end with a real Celery worker process on Redis: an article saved here is
picked up by the worker, which re-checks it against the tracked claims and writes its
findings to the same database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from articles.jobs import job_create
from claims.models import ArticleCheck, CheckState, Claim, Evidence
from claims.services import claim_create, claim_set_status, evidence_propose
from claims.tasks import recheck_article, review_evidence_bulk
from claimtrack.celery import app as celery_app
from tests.claims.test_recheck_pipeline import CLAIM, SUPPORTING
from tests.conftest import IN_CI, require_service
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(predicate, timeout: float, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.2)
    return False


@pytest.fixture
def worker_queue():
    """A worker process consuming a queue of its own, with this process publishing to it."""
    redis_url = require_service("REDIS_URL")
    try:
        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except redis.RedisError as error:
        message = f"Redis at {redis_url} does not answer: {error}"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    queue = f"claimtrack-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only"),
        # Auto-apply on, at any confidence, so the worker would overwrite an editor's
        # verdict if the status service let it.
        "CLAIMTRACK_AUTO_APPLY": "true",
        "CLAIMTRACK_AUTO_APPLY_MIN_SCORE": "0",
        "CLAIMTRACK_AUTO_APPLY_MIN_SOURCES": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "claimtrack",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_routes = {"claims.tasks.*": {"queue": queue}}
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.conf.task_routes = None
        celery_app.amqp.flush_routes()
        celery_app.amqp.router = celery_app.amqp.Router()
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output[-4000:])  # shown by pytest when the test fails
        redis.Redis.from_url(redis_url).delete(queue)


def test_a_saved_article_is_rechecked_by_a_real_worker(worker_queue):
    article = make_article()  # commits; the receiver enqueues on commit
    check = ArticleCheck.objects.get(article=article)
    assert check.state == CheckState.PENDING

    def done():
        check.refresh_from_db()
        return check.state == CheckState.DONE

    assert _wait_for(done, timeout=60, process=worker_queue), "the worker never ran the task"
    assert check.attempts == 1 and check.finished_at is not None


def test_a_task_delivered_twice_has_one_effect(worker_queue):
    article = make_article()

    def done():
        return ArticleCheck.objects.get(article=article).state == CheckState.DONE

    assert _wait_for(done, timeout=60, process=worker_queue)
    result = recheck_article.delay(article.pk)
    # The duplicate is consumed (the queue drains) and changes nothing.
    assert _wait_for(
        lambda: (
            redis.Redis.from_url(os.environ["REDIS_URL"]).llen(
                celery_app.conf.task_routes["claims.tasks.*"]["queue"]
            )
            == 0
            and result.ready()
        ),
        timeout=60,
        process=worker_queue,
    )
    assert ArticleCheck.objects.get(article=article).attempts == 1


def test_a_real_worker_turns_an_article_about_a_claim_into_pending_evidence(
    worker_queue, journalist
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    article = make_article(title="Llama 2 is out", text=SUPPORTING)

    def found():
        return Evidence.objects.filter(claim=claim, article=article).exists()

    assert _wait_for(found, timeout=90, process=worker_queue), "no evidence from the worker"
    evidence = Evidence.objects.get(claim=claim, article=article)
    assert (evidence.stance, evidence.review_state, evidence.found_by) == (
        "supports",
        "pending",
        None,
    )
    # A second run, forced, through the worker: still one row, unchanged.
    recheck_article.delay(article.pk, True).get(timeout=60, disable_sync_subtasks=False)
    assert list(Evidence.objects.filter(claim=claim).values()) == list(
        Evidence.objects.filter(pk=evidence.pk).values()
    )
    # Auto-apply is on in the worker, and nobody had ruled: the engine set the status.
    assert _wait_for(lambda: Claim.objects.get(pk=claim.pk).status == "supported", 30, worker_queue)


def test_a_real_worker_never_overwrites_an_editors_verdict(worker_queue, journalist, editor):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    claim_set_status(claim=claim, to="refuted", expected="unverified", note="ruled", actor=editor)
    article = make_article(title="Llama 2 is out", text=SUPPORTING)

    def checked():
        return ArticleCheck.objects.get(article=article).state == CheckState.DONE

    assert _wait_for(checked, timeout=90, process=worker_queue)
    assert Evidence.objects.get(claim=claim, article=article).review_state == "pending"
    claim.refresh_from_db()
    assert claim.status == "refuted" and claim.status_changes.count() == 1


def test_a_bulk_review_job_reports_its_progress_from_a_real_worker(
    worker_queue, journalist, editor
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    pending = [
        evidence_propose(
            claim=claim, article=make_article(), stance="supports", score=0.5, actor=journalist
        )[0].pk
        for _ in range(5)
    ]
    job = job_create(kind="bulk-review", actor=editor, total=len(pending))
    review_evidence_bulk.delay(str(job.pk), pending, "accepted", editor.pk, "bulk")

    def finished():
        job.refresh_from_db()
        return job.finished

    assert _wait_for(finished, timeout=60, process=worker_queue), "the job never finished"
    assert (job.state, job.done, job.failed) == ("done", 5, 0)
    assert set(Evidence.objects.filter(pk__in=pending).values_list("review_state", flat=True)) == {
        "accepted"
    }
