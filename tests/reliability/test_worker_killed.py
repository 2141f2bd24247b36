"""A Celery worker killed with SIGKILL in the middle of a re-check: the re-check still
completes, once, with its evidence neither lost nor doubled; an article that kills the
worker every time is given up after a bounded number of attempts, for a person to see.

A real prefork worker runs on a private Redis and the test database. The test-only hook
of tests/reliability/worker_main.py holds a marked article's first attempt (after the
attempt is counted, before any evidence is written) and says which process runs it.
"""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import ArticleCheck, CheckState, Evidence
from claims.recheck import MAX_CHECK_ATTEMPTS
from claims.services import claim_create
from tests.claims.test_recheck_pipeline import CLAIM, REFUTING, SUPPORTING
from tests.factories import make_article
from tests.reliability.harness import wait_until
from tests.reliability.worker_main import PAUSE, POISON

pytestmark = [
    pytest.mark.faults,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECHECK = "claims.tasks.recheck_article"


def _running_pid(signal_dir, article, worker) -> int:
    """The pool process running the article's first attempt, once it is there."""
    marker = signal_dir / f"running-{article.pk}"
    assert wait_until(lambda: marker.exists() or not worker.alive(), 90), worker.log_tail()
    return int(marker.read_text())


def _settled(article, worker, timeout: float = 90) -> ArticleCheck:
    def settled():
        state = ArticleCheck.objects.values_list("state", flat=True).get(article=article)
        return state != CheckState.PENDING

    assert wait_until(settled, timeout, interval=0.2), worker.log_tail()
    return ArticleCheck.objects.get(article=article)


def test_a_pool_process_killed_mid_recheck_has_its_check_redelivered_and_done_once(
    worker, send, outbox_only, signal_dir, journalist
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    article = make_article(title="Llama 2 is out", text=f"{SUPPORTING}\n\n{PAUSE}")
    assert (RECHECK, (article.pk,)) in outbox_only  # owed on commit; the test sends it
    send(RECHECK, article.pk)

    doomed = _running_pid(signal_dir, article, worker)
    assert doomed in worker.pool()
    os.kill(doomed, signal.SIGKILL)  # what the OOM killer does to the biggest process

    # acks_late + reject_on_worker_lost: the message goes back to the queue at once, and
    # the new pool process runs the check again, to the end.
    check = _settled(article, worker)
    assert (check.state, check.attempts, check.last_error) == (CheckState.DONE, 2, "")
    evidence = Evidence.objects.filter(article=article)
    assert [(e.claim_id, e.stance) for e in evidence] == [(claim.pk, "supports")]
    assert worker.alive() and doomed not in worker.pool()


def test_an_article_that_kills_the_worker_every_time_is_given_up_and_shown(
    worker, send, outbox_only, private_redis, client, admin_user, journalist
):
    claim_create(text=CLAIM, kind="prediction", actor=journalist)
    poison = make_article(title="Kills workers", text=f"{SUPPORTING}\n\n{POISON}")
    # Every delivery kills its pool process and is redelivered; each counts an attempt
    # before any work (the test above), and the one after the last allowed marks the
    # check failed. Start at the last allowed attempt: each kill costs the worker up to
    # 5 s to notice (bench/faults.py runs the whole way).
    ArticleCheck.objects.filter(article=poison).update(attempts=MAX_CHECK_ATTEMPTS - 1)
    send(RECHECK, poison.pk)

    check = _settled(poison, worker)
    assert (check.state, check.attempts) == (CheckState.FAILED, MAX_CHECK_ATTEMPTS + 1)
    assert "Gave up after" in check.last_error and "worker died" in check.last_error
    assert not Evidence.objects.filter(article=poison).exists()
    # Nothing left to loop on: the queue is empty and nothing is waiting to be redelivered.
    broker = private_redis.client(0)
    assert wait_until(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, 10)
    assert worker.alive()

    # A person sees it: a figure on the dashboard, and the reason in the admin.
    client.force_login(admin_user)
    dashboard = client.get("/", secure=True).content.decode()
    assert "Article re-checks that failed</a></span><strong>1</strong>" in dashboard
    listed = client.get(
        "/admin/claims/articlecheck/?state__exact=failed", secure=True
    ).content.decode()
    assert "Kills workers" in listed and "Gave up after" in listed


def test_a_whole_worker_killed_mid_recheck_is_caught_up_by_the_sweep_once(
    worker, send, outbox_only, signal_dir, journalist
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    article = make_article(title="Llama 2 stays closed", text=f"{REFUTING}\n\n{PAUSE}")
    send(RECHECK, article.pk)
    _running_pid(signal_dir, article, worker)
    worker.kill()  # main process and pool at once: nobody hands the message back

    check = ArticleCheck.objects.get(article=article)
    assert (check.state, check.attempts) == (CheckState.PENDING, 1)
    # Redis would redeliver the message after the visibility timeout (an hour); the
    # sweep (every 5 minutes) finds the check pending 10 minutes on. Skip the wait:
    ArticleCheck.objects.filter(pk=check.pk).update(created_at=timezone.now() - timedelta(hours=1))
    worker.start()
    assert (
        send("claims.tasks.sweep_unchecked_articles").get(timeout=60, disable_sync_subtasks=False)
        == 1
    )

    check = _settled(article, worker)
    assert (check.state, check.attempts) == (CheckState.DONE, 2)
    evidence = Evidence.objects.filter(article=article)
    assert [(e.claim_id, e.stance) for e in evidence] == [(claim.pk, "refutes")]
