"""The same task delivered twice at once (Redis redelivering a message a worker is still
running, a sweep racing the first message): one result and no duplicate row, because the
database refuses a second one, whatever the timing. On PostgreSQL, where the tasks of
several workers really run side by side."""

import threading

import pytest
from django.db import connection

from claims.models import (
    ArticleCheck,
    ArticleFingerprint,
    ChangeEvent,
    CheckState,
    EventKind,
    Evidence,
    FingerprintBand,
)
from claims.services import claim_create
from claims.tasks import check_claim, recheck_article
from tests.claims.test_recheck_pipeline import CLAIM, REFUTING, SUPPORTING
from tests.conftest import IN_CI
from tests.factories import make_article

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROUNDS = 6


def require_postgres():
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (DATABASE_URL=postgres://...): its workers run side by side"
        pytest.fail(message) if IN_CI else pytest.skip(message)


def twice_at_once(task, *args) -> list:
    """Run the task's body in two threads (two workers, each its own connection),
    released together."""
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def deliver(i):
        try:
            barrier.wait()
            outcomes[i] = task(*args)
        except Exception as error:  # asserted on by the test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_a_recheck_delivered_twice_at_once_stores_one_result(outbox_only, journalist):
    require_postgres()
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    articles = [
        make_article(title=f"Llama 2, take {n}", text=f"{SUPPORTING}\n\nTake {n}.")
        for n in range(ROUNDS)
    ]

    both_ran = 0
    for article in articles:
        assert twice_at_once(recheck_article, article.pk) == ["done", "done"]
        check = ArticleCheck.objects.get(article=article)
        assert check.state == CheckState.DONE and check.attempts in (1, 2)
        both_ran += check.attempts == 2  # the second started before the first finished

    # The test proves something only if the deliveries overlapped: most of them do.
    assert both_ran >= 1
    evidence = Evidence.objects.filter(article__in=articles)
    assert sorted(evidence.values_list("article_id", "claim_id")) == [
        (a.pk, claim.pk) for a in articles
    ]
    added = ChangeEvent.objects.filter(kind=EventKind.EVIDENCE_ADDED, object_type="evidence")
    assert sorted(added.values_list("object_id", flat=True)) == sorted(e.pk for e in evidence)
    assert ArticleFingerprint.objects.filter(article__in=articles).count() == ROUNDS
    bands = FingerprintBand.objects.filter(fingerprint__article__in=articles)
    assert bands.count() == ROUNDS * 8


def test_a_claim_check_delivered_twice_at_once_stores_one_result(outbox_only, journalist):
    require_postgres()
    articles = [
        make_article(title=f"Llama 2 stays closed, take {n}", text=f"{REFUTING}\n\nTake {n}.")
        for n in range(ROUNDS)
    ]
    for article in articles:  # the articles' own checks, before the claim existed
        recheck_article(article.pk)
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)

    assert twice_at_once(check_claim, claim.pk) == [ROUNDS, ROUNDS]
    evidence = Evidence.objects.filter(claim=claim)
    assert sorted(evidence.values_list("article_id", "stance")) == [
        (a.pk, "refutes") for a in articles
    ]
    added = ChangeEvent.objects.filter(kind=EventKind.EVIDENCE_ADDED, claim_id=claim.pk)
    assert added.count() == ROUNDS
