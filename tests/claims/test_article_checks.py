from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import ArticleCheck, CheckState, Suggestion
from claims.recheck import MAX_CHECK_ATTEMPTS, article_check_reopen, article_check_run
from claims.tasks import recheck_article, sweep_unchecked_articles, sweep_unsuggested_articles
from tests.claims.test_suggestion_compute import TEXT as SUGGESTIBLE
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_new_article_owes_a_recheck_that_runs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = make_article()
    assert ArticleCheck.objects.get(article=article).state == CheckState.PENDING
    assert len(callbacks) == 2  # the re-check, then the claim suggestions
    callbacks[0]()
    assert ArticleCheck.objects.get(article=article).state == CheckState.DONE


def test_an_article_already_stored_owes_nothing_new(django_capture_on_commit_callbacks):
    article = make_article(text="Same words here.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_article(text="same   words here.")
    assert callbacks == []
    assert ArticleCheck.objects.filter(article=article).count() == 1


def test_running_a_recheck_twice_has_one_effect(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        article = make_article()
    recheck_article.delay(article.pk)
    recheck_article.delay(article.pk)
    check = ArticleCheck.objects.get(article=article)
    assert (check.state, check.attempts) == (CheckState.DONE, 1)


def test_the_sweep_enqueues_checks_whose_message_was_lost(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lost = make_article()
        recent = make_article()
    ArticleCheck.objects.filter(article=lost).update(created_at=timezone.now() - timedelta(hours=1))
    assert sweep_unchecked_articles.delay().get() == 1
    assert ArticleCheck.objects.get(article=lost).state == CheckState.DONE
    assert ArticleCheck.objects.get(article=recent).state == CheckState.PENDING


def test_a_check_that_keeps_failing_is_marked_failed_not_retried_for_ever(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        article = make_article()
    ArticleCheck.objects.filter(article=article).update(attempts=MAX_CHECK_ATTEMPTS)
    check = article_check_run(article_id=article.pk)
    assert check.state == CheckState.FAILED and "Gave up" in check.last_error
    assert article_check_run(article_id=article.pk).attempts == MAX_CHECK_ATTEMPTS + 1


def test_a_check_that_crashes_stays_pending_with_its_reason(
    django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        article = make_article()

    def broken(*args, **kwargs):
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr("claims.recheck.judge_article", broken)
    with pytest.raises(RuntimeError):
        article_check_run(article_id=article.pk)
    check = ArticleCheck.objects.get(article=article)
    assert (check.state, check.attempts) == (CheckState.PENDING, 1)
    assert "the engine fell over" in check.last_error


# --- The claim suggestions an article owes, in the same outbox ---------------------------


def _one_hour_old(article):
    ArticleCheck.objects.filter(article=article).update(
        created_at=timezone.now() - timedelta(hours=1)
    )


def test_suggestions_are_owed_until_computed_and_the_sweep_sends_lost_ones(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        lost = make_article(text=SUGGESTIBLE)
        recent = make_article(text=SUGGESTIBLE + " Again.")
    assert ArticleCheck.objects.get(article=lost).suggested_at is None
    _one_hour_old(lost)
    assert sweep_unsuggested_articles.delay().get() == 1  # not the recent one
    assert Suggestion.objects.filter(article=lost).exists()
    assert ArticleCheck.objects.get(article=lost).suggested_at is not None
    assert not Suggestion.objects.filter(article=recent).exists()
    assert sweep_unsuggested_articles.delay().get() == 0  # nothing owed any more


def test_a_new_revision_owes_its_suggestions_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(text=SUGGESTIBLE)
    assert ArticleCheck.objects.get(article=article).suggested_at is not None
    article_check_reopen(article=article)
    assert ArticleCheck.objects.get(article=article).suggested_at is None


def test_suggestions_that_never_finish_are_sent_a_bounded_number_of_times(
    django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        article = make_article(text=SUGGESTIBLE)
    _one_hour_old(article)
    monkeypatch.setattr("claims.tasks.suggest_claims.delay", lambda article_id: None)  # lost
    sent = [sweep_unsuggested_articles.delay().get() for _ in range(MAX_CHECK_ATTEMPTS + 2)]
    assert sent == [1] * MAX_CHECK_ATTEMPTS + [0, 0]
