"""Redis down, or hung (accepting connections and never answering), while articles are
saved: each is stored and the answer comes back (bounded socket timeouts, and no more
sends from that process for a while after one failed: claimtrack.enqueue); no re-check
is lost, because each is owed in the outbox, and once Redis is back the sweep sends each
one, and each is re-checked exactly once.

gunicorn serves the app with production settings on the test database and a private
Redis, which the test stops or freezes (SIGSTOP); a real worker re-checks.
"""

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from claims.models import ArticleCheck, CheckState, Evidence, Suggestion
from claims.services import claim_create
from tests.claims.test_recheck_pipeline import CLAIM, SUPPORTING
from tests.conftest import token_key
from tests.reliability import harness
from tests.reliability.conftest import url_of_test_database
from tests.reliability.harness import wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLES = 10
# Not a speed figure (bench/faults.py measures those): far above one socket timeout, far
# below what an unbounded retry would take, so a request that hangs fails the test.
ANSWER_WITHIN = 20


@pytest.fixture
def web(private_redis, signal_dir):
    env = harness.app_env(database_url=url_of_test_database(), redis_url=private_redis.url(0))
    server = harness.Web(env, log_dir=signal_dir).start()
    yield server
    server.stop()
    print(server.log_tail())  # shown when the test fails


def _ingest(web, journalist, count: int) -> list[int]:
    headers = {"Authorization": f"Token {token_key(journalist)}"}
    ids = []
    for n in range(count):
        body = {"title": f"Llama 2 news {n}", "text": f"{SUPPORTING}\n\nUpdate number {n}."}
        answer = requests.post(
            f"{web.url}/api/v1/articles/", json=body, headers=headers, timeout=ANSWER_WITHIN
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    return ids


def _sweep_and_settle(send, worker, ids: list[int]) -> list[ArticleCheck]:
    """Once Redis is back: the sweep (run by the worker, as beat would) sends the owed
    re-checks, and the worker runs them."""
    # The sweep leaves alone checks younger than 10 minutes (their message may be on its
    # way): skip the wait.
    ArticleCheck.objects.filter(article_id__in=ids).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert send("claims.tasks.sweep_unchecked_articles").get(
        timeout=90, disable_sync_subtasks=False
    ) == len(ids)

    def settled():
        pending = ArticleCheck.objects.filter(article_id__in=ids, state=CheckState.PENDING)
        return not pending.exists()

    assert wait_until(settled, 120, interval=0.2), worker.log_tail()
    return list(ArticleCheck.objects.filter(article_id__in=ids).order_by("article_id"))


def _assert_rechecked_exactly_once(checks, ids, claim):
    assert [c.article_id for c in checks] == sorted(ids)
    assert {(c.state, c.attempts) for c in checks} == {(CheckState.DONE, 1)}
    evidence = Evidence.objects.filter(article_id__in=ids)
    assert sorted(evidence.values_list("article_id", "claim_id")) == [(i, claim.pk) for i in ids]


def _assert_suggestions_caught_up(send, worker, ids: list[int]) -> None:
    """The claim suggestions the outage lost are owed in the same outbox: their sweep
    sends them, and every article gets its suggestions."""
    owed = ArticleCheck.objects.filter(article_id__in=ids, suggested_at__isnull=True).count()
    assert owed > 0  # the outage did lose some
    sent = send("claims.tasks.sweep_unsuggested_articles").get(
        timeout=90, disable_sync_subtasks=False
    )
    assert sent == owed

    def suggested():
        return not ArticleCheck.objects.filter(article_id__in=ids, suggested_at=None).exists()

    assert wait_until(suggested, 120, interval=0.2), worker.log_tail()
    assert Suggestion.objects.filter(article_id__in=ids).values("article_id").distinct().count()


def test_articles_saved_while_redis_is_down_are_rechecked_once_it_is_back(
    worker, web, private_redis, send, journalist
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    private_redis.stop()

    ids = _ingest(web, journalist, ARTICLES)

    checks = ArticleCheck.objects.filter(article_id__in=ids)
    assert {(c.state, c.attempts) for c in checks} == {(CheckState.PENDING, 0)}
    assert "could not send claims.tasks.recheck_article" in web.log_tail(200_000)
    private_redis.start()
    _assert_rechecked_exactly_once(_sweep_and_settle(send, worker, ids), ids, claim)
    _assert_suggestions_caught_up(send, worker, ids)


def test_articles_saved_while_redis_hangs_are_rechecked_once_it_answers_again(
    worker, web, private_redis, send, journalist
):
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    private_redis.pause()
    try:
        ids = _ingest(web, journalist, ARTICLES)
    finally:
        private_redis.resume()

    # Redis may still run what reached it before it froze, so a check may be done already;
    # none was done twice, and the sweep sends only those still owed.
    assert not ArticleCheck.objects.filter(article_id__in=ids, attempts__gt=1).exists()
    assert "could not send claims.tasks.recheck_article" in web.log_tail(200_000)
    ArticleCheck.objects.filter(article_id__in=ids).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    owed = ArticleCheck.objects.filter(article_id__in=ids, state=CheckState.PENDING).count()
    assert send("claims.tasks.sweep_unchecked_articles").get(
        timeout=90, disable_sync_subtasks=False
    ) in range(owed + 1)

    def settled():
        pending = ArticleCheck.objects.filter(article_id__in=ids, state=CheckState.PENDING)
        return not pending.exists()

    assert wait_until(settled, 120, interval=0.2), worker.log_tail()
    checks = list(ArticleCheck.objects.filter(article_id__in=ids).order_by("article_id"))
    _assert_rechecked_exactly_once(checks, ids, claim)
    _assert_suggestions_caught_up(send, worker, ids)
