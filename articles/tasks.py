"""Celery tasks that bring articles in. Each records its outcome on its Job, which the
page and the API show; the work itself is in articles.ingest."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from articles import feeds, ingest
from articles.jobs import job_fail, job_finish, job_progress, job_set_total
from articles.models import ArticleOrigin, Job

_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


def _article_url(article) -> str:
    return reverse("article-detail", args=[article.pk])


@shared_task(acks_late=True, **_RETRY)
def ingest_url_job(job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return  # delivered again after it finished
    job_progress(job_id, done=0)
    _ingest_for_job(job_id, lambda: ingest.url_ingest(job.source))


@shared_task(acks_late=True, **_RETRY)
def ingest_page_job(job_id: str, content: str, filename: str) -> None:
    """One uploaded article; `content` carries its bytes as latin-1 text (JSON messages
    hold text, and latin-1 maps every byte to one character and back)."""
    if Job.objects.get(pk=job_id).finished:
        return
    is_html = filename.lower().endswith((".html", ".htm"))

    def ingest_upload():
        document = ingest.document_from_page(
            content.encode("latin-1"),
            url="",
            content_type="text/html" if is_html else "text/plain",
            origin=ArticleOrigin.UPLOAD,
        )
        return ingest.document_ingest(document)

    _ingest_for_job(job_id, ingest_upload)


def _ingest_for_job(job_id: str, ingest_one) -> None:
    """Run one ingest for a job: a refusal fails the job with its reason, an article
    (new or already stored) finishes it with a link to the article."""
    try:
        ingested = ingest_one()
    except ingest.IngestError as refused:
        job_fail(job_id, message=refused.message)
        return
    job_finish(
        job_id,
        message=ingested.message,
        result_url=_article_url(ingested.article),
        result={"article": ingested.article.pk, "outcome": ingested.outcome},
    )


@shared_task(acks_late=True, **_RETRY)
def import_batch_job(job_id: str, filename: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    try:
        rows = ingest.batch_rows(job.source.encode(), filename=filename)
    except ingest.IngestError as refused:
        job_fail(job_id, message=refused.message)
        return
    job_set_total(job_id, len(rows))

    def progress(done, report):
        if done % 20 == 0 or done == len(rows):  # a bar, not a write per row
            errors = [f"Row {e['row']}: {e['error']}" for e in report.errors[:200]]
            job_progress(job_id, done=done, failed=len(report.errors), errors=errors)

    report = ingest.batch_ingest(rows, on_progress=progress)
    job_finish(
        job_id,
        message=report.summary,
        result_url=reverse("articles:list"),
        result={
            "created": report.created,
            "duplicates": report.duplicates,
            "revised": report.revised,
            "errors": report.errors[:1000],
        },
    )


# --- Feeds (see articles.feeds) ----------------------------------------------------------


@shared_task(acks_late=True, **_RETRY)
def poll_feed(feed_id: int) -> str:
    """Poll one feed; its new entries are sent to `ingest_feed_entry` once recorded."""
    return feeds.feed_poll(feed_id).outcome


@shared_task(acks_late=True, **_RETRY)
def poll_due_feeds() -> int:
    """Beat: send a poll for each feed that is due, each in a task of its own so that a
    slow feed holds up no other; and send again the entries whose message was lost."""
    batch = settings.CLAIMTRACK_PERIODIC_BATCH
    due = feeds.feeds_take_due(limit=batch)
    for feed_id in due:
        poll_feed.delay(feed_id)
    for entry_id in feeds.feed_entries_stalled(limit=batch):
        ingest_feed_entry.delay(entry_id)
    return len(due)


@shared_task(acks_late=True, **_RETRY)
def ingest_feed_entry(entry_id: int) -> str | None:
    """Fetch and store the article of one feed entry; a second delivery does nothing."""
    entry = feeds.feed_entry_ingest(entry_id)
    return entry.state if entry is not None else None
