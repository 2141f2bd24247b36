"""The re-check pipeline: every new article against the tracked claims, every new or
reworded claim against recent articles, and the periodic sweeps that keep it whole.

The engine (claims.engine) judges; these services decide what to judge and store what
it found, through the evidence and status services.
"""

import logging
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from articles.models import Article
from claims import services
from claims.engine import fingerprint
from claims.engine.document import Document
from claims.engine.recheck import (
    CANDIDATE_MIN_MATCH,
    DEFAULT_CANDIDATES,
    engine_version,
    judge,
    judge_article,
)
from claims.engine.stance import get_model
from claims.errors import StaleStatusError, TransitionError
from claims.matching import live_index
from claims.models import (
    ArticleCheck,
    ArticleFingerprint,
    CheckState,
    Claim,
    Evidence,
    FingerprintBand,
    ReviewState,
    StatusChange,
)
from claims.selectors import claim_suggested_status

log = logging.getLogger(__name__)

# Syndicated copies of a story appear within days of each other; looking further back
# would only cost time.
SYNDICATION_WINDOW = timedelta(days=14)
# A re-check that failed this many times is marked failed for a person to look at,
# instead of being retried for ever.
MAX_CHECK_ATTEMPTS = 5


@cache
def stance_model():
    """The stance model, loaded once per process."""
    return get_model()


def current_engine_version() -> str:
    return engine_version(live_index().index, stance_model())


# --- Articles ----------------------------------------------------------------------------


def article_check_record(*, article: Article) -> ArticleCheck:
    """Record, in the caller's transaction, that `article` owes the claims a re-check.

    The row is the outbox: if the task that runs the check is lost (broker down, worker
    killed), the sweep finds the row still pending and enqueues the check again.
    """
    return ArticleCheck.objects.get_or_create(article=article)[0]


def article_check_reopen(*, article: Article) -> None:
    """Owe the article a fresh re-check (its text changed), in the caller's transaction:
    pending again, with a fresh count of attempts."""
    ArticleCheck.objects.filter(article=article).update(
        state=CheckState.PENDING,
        attempts=0,
        last_error="",
        finished_at=None,
        suggested_at=None,
        suggestion_sends=0,
    )


def _start_attempt(article_id: int, *, force: bool) -> ArticleCheck | None:
    """Count an attempt in its own transaction, before any work, so a run that kills the
    worker still counts, and an article that kills workers ends up `failed` instead of
    being redelivered for ever. `force` reopens a finished check for a fresh round of
    attempts; a redelivered forced message then finds it pending, so it is bounded too."""
    with transaction.atomic():
        check = ArticleCheck.objects.select_for_update().filter(article_id=article_id).first()
        if check is None or (check.state != CheckState.PENDING and not force):
            return None
        if check.state != CheckState.PENDING:
            check.state, check.attempts, check.last_error = CheckState.PENDING, 0, ""
        check.attempts += 1
        if check.attempts > MAX_CHECK_ATTEMPTS:
            check.state = CheckState.FAILED
            # A worker killed mid-check leaves no error behind: say so, for the person
            # who looks at it.
            last = check.last_error or "none recorded: the worker died or was stopped"
            check.last_error = (
                f"Gave up after {MAX_CHECK_ATTEMPTS} attempts, none of which finished. "
                f"Last error: {last}"
            )[:2000]
            check.finished_at = timezone.now()
            log.error("re-check of article %s failed for good", article_id)
        check.save()
        return check if check.state != CheckState.FAILED else None


def article_check_run(*, article_id: int, force: bool = False) -> ArticleCheck | None:
    """Match the article against every tracked claim, judge the stance for each match,
    and store the findings as pending evidence.

    Safe to run twice, or twice at once: a check that is no longer pending is left alone
    (unless `force`), and evidence is one row per claim and article.
    """
    check = _start_attempt(article_id, force=force)
    if check is None:
        return ArticleCheck.objects.filter(article_id=article_id).first()
    try:
        article = Article.objects.get(pk=article_id)
        article_fingerprint_record(article=article)
        index = live_index().current()
        findings = judge_article(
            Document.parse(article.text),
            index,
            stance_model(),
            _claim_texts,
            exclude=Claim.objects.filter(appearances__article=article).values_list("pk", flat=True),
        )
        version = engine_version(index, stance_model())
        stored = _store_findings(article, findings, version)
    except Exception as error:
        # Left pending for the retry or the sweep; the reason is kept for a person.
        ArticleCheck.objects.filter(pk=check.pk).update(last_error=repr(error)[:2000])
        raise
    with transaction.atomic():
        check.state = CheckState.DONE
        check.engine_version = version
        check.findings = stored
        check.last_error = ""
        check.finished_at = timezone.now()
        check.save()
    return check


def _claim_texts(ids: list[int]) -> dict[int, str]:
    return dict(Claim.objects.filter(pk__in=ids).values_list("pk", "text"))


def _store_findings(article: Article, findings, version: str, *, only_claim=None) -> int:
    """Write findings as evidence; drop findings about claims first made after the
    article appeared (it cannot be evidence for them) and the engine's own pending rows
    this run no longer finds. Returns how many findings were stored."""
    first_seen = dict(
        Claim.objects.filter(pk__in=[f.claim_id for f in findings])
        .annotate(first=Min("appearances__article__published_at"))
        .values_list("pk", "first")
    )
    kept = [
        f
        for f in findings
        if f.claim_id in first_seen and _not_earlier(article.published_at, first_seen[f.claim_id])
    ]
    touched = []
    for finding in kept:
        evidence, _ = services.evidence_record_engine_finding(
            claim_id=finding.claim_id,
            article=article,
            stance=finding.stance,
            score=finding.score,
            match_score=finding.match_score,
            sentences=finding.sentence_dicts(),
            engine_version=version,
        )
        if evidence:
            touched.append(evidence.claim_id)
    stale = (
        Evidence.objects.by_engine()
        .filter(article=article, review_state=ReviewState.PENDING)
        .exclude(claim_id__in=touched)
    )
    if only_claim is not None:
        stale = stale.filter(claim_id=only_claim)
    referenced = StatusChange.objects.filter(evidence__in=stale).values("evidence_id")
    stale.exclude(pk__in=referenced).delete()
    if settings.CLAIMTRACK_AUTO_APPLY:
        for claim in Claim.objects.filter(pk__in=touched):
            claim_apply_engine_suggestion(claim=claim, engine_version=version)
    return len(touched)


def _not_earlier(published: datetime | None, first_seen: datetime | None) -> bool:
    return published is None or first_seen is None or published >= first_seen


def article_fingerprint_record(*, article: Article) -> ArticleFingerprint:
    """Fingerprint the article and put it in the story of an earlier copy stored in the
    last SYNDICATION_WINDOW (syndication), or in a story of its own."""
    existing = ArticleFingerprint.objects.filter(article=article).first()
    if existing:
        return existing
    value = fingerprint.simhash(article.text)
    keys = [band * 256 + bits for band, bits in enumerate(fingerprint.bands(value))]
    candidates = (
        ArticleFingerprint.objects.filter(
            bands__key__in=keys, created_at__gte=timezone.now() - SYNDICATION_WINDOW
        )
        .exclude(article=article)
        .distinct()
        .order_by("article_id")
        .values_list("article_id", "simhash", "story_id")
    )
    story_id = article.pk
    for other_id, other_hash, other_story in candidates:
        near = fingerprint.hamming(fingerprint.to_unsigned(other_hash), value)
        if near <= fingerprint.CANDIDATE_BITS and fingerprint.same_story(
            article.text, Article.objects.values_list("text", flat=True).get(pk=other_id)
        ):
            story_id = other_story
            break
    with transaction.atomic():
        record, created = ArticleFingerprint.objects.get_or_create(
            article=article,
            defaults={"simhash": fingerprint.to_signed(value), "story_id": story_id},
        )
        if created:
            FingerprintBand.objects.bulk_create(
                FingerprintBand(fingerprint=record, key=key) for key in keys
            )
    return record


def article_checks_overdue(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Ids of articles whose re-check is still pending long after they were stored."""
    cutoff = timezone.now() - older_than
    return list(ArticleCheck.objects.overdue(cutoff).values_list("article_id", flat=True))


def article_suggestions_overdue(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Ids of articles whose claim suggestions are still owed long after they were
    stored (their message was lost), each counted as sent once more: an article whose
    suggestions never finish is sent MAX_CHECK_ATTEMPTS times, then left alone."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        owed = ArticleCheck.objects.suggestions_overdue(cutoff, max_sends=MAX_CHECK_ATTEMPTS)
        sends = dict(owed.select_for_update().values_list("article_id", "suggestion_sends"))
        ArticleCheck.objects.filter(article_id__in=sends).update(
            suggestion_sends=F("suggestion_sends") + 1
        )
    last = [article_id for article_id, sent in sends.items() if sent + 1 == MAX_CHECK_ATTEMPTS]
    if last:
        log.error("claim suggestions of articles %s: sent for the last time", last)
    return list(sends)


def article_checks_reopen_outdated(*, limit: int) -> list[int]:
    """Reopen up to `limit` finished checks made by another engine version, so a new
    engine re-judges every article. Editor-reviewed evidence stays as it is."""
    version = current_engine_version()
    ids = list(
        ArticleCheck.objects.filter(state=CheckState.DONE)
        .exclude(engine_version=version)
        .order_by("article_id")
        .values_list("article_id", flat=True)[:limit]
    )
    ArticleCheck.objects.filter(article_id__in=ids).update(state=CheckState.PENDING, attempts=0)
    return ids


# --- Claims -------------------------------------------------------------------------------


def claim_check_run(*, claim_id: int, since: datetime | None = None) -> int:
    """Judge the recent articles against one claim (a new or reworded one, or one still
    unverified), as each of them would have been judged on arrival. Returns how many
    findings were stored."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    started = timezone.now()
    window_start = started - timedelta(days=settings.CLAIMTRACK_RECHECK_WINDOW_DAYS)
    since = max(since or window_start, window_start)
    articles = (
        Article.objects.filter(created_at__gte=since)
        .exclude(appearances__claim=claim)
        .only("pk", "text", "published_at")
        .order_by("-created_at")[: settings.CLAIMTRACK_RECHECK_MAX_ARTICLES]
    )
    # Where the engine left this claim pending evidence: an article without a finding
    # now has something to clear there; elsewhere it has nothing to store or clear, and
    # skipping it spares the database two queries per recent article (bench/load.py).
    pending_in = set(
        Evidence.objects.by_engine()
        .filter(claim=claim, review_state=ReviewState.PENDING)
        .values_list("article_id", flat=True)
    )
    index = live_index().current()
    model = stance_model()
    version = engine_version(index, model)
    stored = 0
    for article in articles.iterator(chunk_size=200):
        doc = Document.parse(article.text)
        # The claim is judged only where the article's own re-check would have judged
        # it: among the article's top candidates. Most recent articles have nothing to do
        # with the claim, and its own score shows it for a fraction of a full match
        # (measured by bench/load.py); half the threshold, so that sums of floats taken
        # in another order can never turn a candidate away.
        if index.could_match(doc, claim.pk, CANDIDATE_MIN_MATCH / 2):
            candidates = index.match(doc, top=DEFAULT_CANDIDATES, min_score=CANDIDATE_MIN_MATCH)
        else:
            candidates = []
        match = next((m for m in candidates if m.claim_id == claim.pk), None)
        finding = match and judge(claim.pk, claim.text, doc, model, match.score, match.sentences)
        if not finding and article.pk not in pending_in:
            continue
        stored += _store_findings(
            article, [finding] if finding else [], version, only_claim=claim.pk
        )
    Claim.objects.filter(pk=claim.pk).update(checked_at=started)
    return stored


def claims_stale(*, limit: int, older_than: timedelta = timedelta(days=1)) -> list[tuple]:
    """Unverified claims not checked for a while: (id, last checked) pairs."""
    cutoff = timezone.now() - older_than
    return list(
        Claim.objects.stale(cutoff).order_by("checked_at").values_list("pk", "checked_at")[:limit]
    )


def predictions_flag_due(*, today: date | None = None) -> int:
    """Flag the predictions whose resolves-by date has passed without a verdict."""
    today = today or timezone.localdate()
    return (
        Claim.objects.predictions_due(today)
        .filter(due_flagged_at__isnull=True)
        .update(due_flagged_at=timezone.now())
    )


def claim_apply_engine_suggestion(*, claim: Claim, engine_version: str):
    """The auto-apply policy (off unless CLAIMTRACK_AUTO_APPLY): when the engine's very
    confident evidence from enough independent stories points to a new status, set it.
    Never touches a claim an editor has ruled on (the status service refuses)."""
    suggestion = claim_suggested_status(
        claim, min_pending_score=settings.CLAIMTRACK_AUTO_APPLY_MIN_SCORE
    )
    if suggestion is None or suggestion.status == claim.status:
        return None
    sources = suggestion.supporting_stories + suggestion.refuting_stories
    if sources < settings.CLAIMTRACK_AUTO_APPLY_MIN_SOURCES:
        return None
    try:
        return services.claim_set_status(
            claim=claim,
            to=suggestion.status,
            expected=claim.status,
            note=f"Applied automatically: {suggestion.reason}",
            engine_version=engine_version,
            evidence=suggestion.evidence[0],
        )
    except (TransitionError, StaleStatusError) as refused:
        log.info("auto-apply skipped for claim %s: %s", claim.pk, refused)
        return None
