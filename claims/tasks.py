"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from claims import services

# Database hiccups (a restart, a dropped connection) are worth retrying with backoff;
# anything else is a bug or bad data and is left for the sweep and a person to see.
_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(acks_late=True, **_RETRY)
def recheck_article(article_id: int) -> str | None:
    check = services.article_check_run(article_id=article_id)
    return check.state if check else None


@shared_task(acks_late=True, **_RETRY)
def sweep_unchecked_articles() -> int:
    """Enqueue again the re-checks whose messages were lost."""
    overdue = services.article_checks_overdue()
    for article_id in overdue:
        recheck_article.delay(article_id)
    return len(overdue)
