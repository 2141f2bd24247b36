"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError

from articles.jobs import job_fail, job_finish, job_progress
from articles.models import Article
from claims import recheck, services, webhooks

log = logging.getLogger(__name__)

# Database hiccups (a restart, a dropped connection) are worth retrying with backoff;
# anything else is a bug or bad data and is left for the sweep and a person to see.
_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
# A fresh worker process builds its claim index inside its first re-check, which at a
# million claims takes minutes: these tasks get longer limits than the default.
_LONG = {"soft_time_limit": 900, "time_limit": 960}


@shared_task(acks_late=True, **_RETRY, **_LONG)
def recheck_article(article_id: int, force: bool = False) -> str | None:
    check = recheck.article_check_run(article_id=article_id, force=force)
    return check.state if check else None


@shared_task(acks_late=True, **_RETRY, **_LONG)
def suggest_claims(article_id: int) -> int:
    """The claim suggestions of a new article or revision (computing them again is
    harmless: decided ones are kept)."""
    from claims.suggestions import suggestions_compute  # loads the engine's models

    article = Article.objects.filter(pk=article_id).first()
    return suggestions_compute(article=article) if article is not None else 0


@shared_task(acks_late=True, **_RETRY, **_LONG)
def check_claim(claim_id: int, since: str | None = None) -> int:
    start = datetime.fromisoformat(since) if since else None
    return recheck.claim_check_run(claim_id=claim_id, since=start)


@shared_task(acks_late=True, **_RETRY)
def sweep_unchecked_articles() -> int:
    """Enqueue again the re-checks whose messages were lost."""
    overdue = recheck.article_checks_overdue()
    for article_id in overdue:
        recheck_article.delay(article_id)
    return len(overdue)


@shared_task(acks_late=True, **_RETRY)
def sweep_unsuggested_articles() -> int:
    """Enqueue again the claim suggestions whose messages were lost."""
    overdue = recheck.article_suggestions_overdue()
    for article_id in overdue:
        suggest_claims.delay(article_id)
    return len(overdue)


@shared_task(acks_late=True, **_RETRY)
def recheck_stale_claims() -> int:
    """Check unverified claims against the articles that arrived since their last check."""
    stale = recheck.claims_stale(limit=settings.CLAIMTRACK_PERIODIC_BATCH)
    for claim_id, checked_at in stale:
        check_claim.delay(claim_id, checked_at.isoformat() if checked_at else None)
    return len(stale)


@shared_task(acks_late=True, **_RETRY)
def recheck_after_engine_change() -> int:
    """Re-judge, batch by batch, the articles an older engine version checked."""
    reopened = recheck.article_checks_reopen_outdated(limit=settings.CLAIMTRACK_PERIODIC_BATCH)
    for article_id in reopened:
        recheck_article.delay(article_id)
    return len(reopened)


@shared_task(acks_late=True, **_RETRY)
def flag_due_predictions() -> int:
    return recheck.predictions_flag_due()


@shared_task(acks_late=True, **_RETRY)
def review_evidence_bulk(
    job_id: str, evidence_ids: list[int], state: str, actor_id: int, note: str
) -> None:
    """An editor's bulk accept/reject, reporting progress on the job the page shows."""
    actor = get_user_model().objects.get(pk=actor_id)

    def progress(handled, outcome):
        job_progress(job_id, done=handled, failed=len(outcome.skipped), errors=outcome.skipped)

    try:
        outcome = services.evidence_review_many(
            evidence_ids=evidence_ids, state=state, actor=actor, note=note, on_progress=progress
        )
    except (OperationalError, InterfaceError):
        raise  # retried
    except Exception as error:
        job_fail(job_id, message=f"Stopped: {error}")
        raise
    verb = "accepted" if state == "accepted" else "rejected"
    skipped = f", {len(outcome.skipped)} skipped" if outcome.skipped else ""
    job_finish(job_id, message=f"{outcome.reviewed} evidence item(s) {verb}{skipped}.")


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **_RETRY)
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt at a webhook delivery; when another is due, the task sends itself again
    to run then (`countdown`). Running it twice, or early, makes no extra attempt."""
    outcome = webhooks.webhook_deliver(delivery_id)
    if outcome is None:
        return None
    if outcome.retry_in is not None:
        try:
            deliver_webhook.apply_async((delivery_id,), countdown=outcome.retry_in)
        except Exception:
            # The delivery stays pending with its due time: the sweep sends it again.
            log.exception("Could not schedule the next attempt of delivery %s", delivery_id)
    return outcome.state


@shared_task(acks_late=True, **_RETRY)
def sweep_webhook_deliveries() -> int:
    """Send again the webhook deliveries whose next attempt is overdue (lost messages)."""
    due = webhooks.webhook_deliveries_due(limit=settings.CLAIMTRACK_PERIODIC_BATCH)
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)
