"""Reads that combine several models."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from claims.matching import live_index
from claims.models import (
    ArticleCheck,
    CheckState,
    Claim,
    ClaimMerge,
    Evidence,
    ReviewState,
    Stance,
    Status,
    StatusChange,
)


@dataclass(frozen=True)
class SuggestedStatus:
    """The status a claim's evidence points to, counted by independent stories."""

    status: str
    supporting_stories: int
    refuting_stories: int
    evidence: list[Evidence]

    @property
    def reason(self) -> str:
        return (
            f"{self.supporting_stories} independent source(s) support the claim and "
            f"{self.refuting_stories} refute it."
        )


def claim_suggested_status(claim: Claim, *, min_pending_score: float | None = None):
    """The status the claim's accepted evidence suggests, or None when it points nowhere.

    Syndicated copies of one story count once: each story votes with its strongest
    evidence. Support and refutation from independent stories together suggest `mixed`.
    With `min_pending_score`, the engine's pending evidence at least that confident
    votes too (the auto-apply policy); rejected evidence never does.
    """
    rows = claim.evidence.select_related("article__fingerprint").exclude(
        review_state=ReviewState.REJECTED
    )
    votes: dict[int, Evidence] = {}
    for evidence in rows:
        if evidence.review_state == ReviewState.PENDING and (
            min_pending_score is None
            or evidence.found_by_id is not None
            or evidence.score < min_pending_score
        ):
            continue
        if evidence.stance == Stance.DISCUSSES:
            continue
        story = _story_of(evidence)
        if story not in votes or evidence.score > votes[story].score:
            votes[story] = evidence
    by_stance = defaultdict(list)
    for evidence in votes.values():
        by_stance[evidence.stance].append(evidence)
    supports, refutes = by_stance[Stance.SUPPORTS], by_stance[Stance.REFUTES]
    if supports and refutes:
        status = Status.MIXED
    elif supports:
        status = Status.SUPPORTED
    elif refutes:
        status = Status.REFUTED
    else:
        return None
    chosen = sorted(supports + refutes, key=lambda e: -e.score)
    return SuggestedStatus(status, len(supports), len(refutes), chosen)


def _story_of(evidence: Evidence) -> int:
    fingerprint = getattr(evidence.article, "fingerprint", None)
    return fingerprint.story_id if fingerprint else evidence.article_id


@dataclass(frozen=True)
class DashboardFigures:
    """What the newsroom sees first: where the claims stand and what waits for it."""

    by_status: list[tuple[str, str, int]]  # (status, label, count), every status listed
    review_queue: int
    predictions_due: int
    quotes_lost: int
    latest_changes: list
    # Articles whose re-check was given up after its attempts (a person looks at why).
    checks_failed: int


def dashboard_figures(*, today, latest: int = 10) -> DashboardFigures:
    counts = dict(Claim.objects.values_list("status").annotate(n=Count("pk")).order_by())
    changes = (
        StatusChange.objects.select_related("claim", "actor").order_by("-changed_at", "-pk")
    )[:latest]
    return DashboardFigures(
        by_status=[(value, label, counts.get(value, 0)) for value, label in Status.choices],
        review_queue=Evidence.objects.pending_review().count(),
        predictions_due=Claim.objects.predictions_due(today).count(),
        quotes_lost=Claim.objects.with_lost_quotes().count(),
        latest_changes=list(changes),
        checks_failed=ArticleCheck.objects.filter(state=CheckState.FAILED).count(),
    )


def source_track_record(source) -> list[tuple[str, str, int]]:
    """How the claims this source made stand now: (status, label, count) for each status."""
    counts = dict(
        Claim.objects.filter(appearances__speaker=source)
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def claims_similar(
    text: str, *, limit: int = 5, min_score: float = 0.05
) -> list[tuple[Claim, float]]:
    """Tracked claims worded like `text`, most similar first, with the matching engine's
    score: what a journalist checks before logging a duplicate."""
    if not text.strip():
        return []
    matches = live_index().current().rank(text, top=limit, min_score=min_score)
    claims = Claim.objects.in_bulk([m.claim_id for m in matches])
    return [(claims[m.claim_id], m.score) for m in matches if m.claim_id in claims]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a claim's history: a status change or a merge. `merged_from` names
    the duplicate a change was made on before it was merged into this claim."""

    at: datetime
    change: StatusChange | None = None
    merge: ClaimMerge | None = None
    merged_from: int | None = None


def claim_status_changes(claim: Claim):
    """The status changes of the claim and of the duplicates merged into it. The ids are
    read first: `claim = x OR claim IN (subquery)` made PostgreSQL scan every status
    change (8 ms a history at 100,000 claims, growing with the table)."""
    merged = Claim.all_objects.filter(merged_into=claim).values_list("pk", flat=True)
    return StatusChange.objects.filter(claim_id__in=[claim.pk, *merged])


def claim_history(claim: Claim) -> list[HistoryEntry]:
    """Everything that happened to the claim's status, oldest first: its own changes,
    the changes of the duplicates merged into it, and the merges themselves."""
    changes = claim_status_changes(claim)
    entries = [
        HistoryEntry(
            at=c.changed_at, change=c, merged_from=c.claim_id if c.claim_id != claim.pk else None
        )
        for c in changes.select_related("actor")
    ]
    merges = ClaimMerge.objects.filter(kept=claim).select_related("actor", "merged")
    entries += [HistoryEntry(at=m.merged_at, merge=m) for m in merges]
    return sorted(entries, key=lambda e: (e.at, e.change.seq if e.change else 0))


def claim_status_as_of(claim: Claim, at: datetime) -> str | None:
    """The claim's status as it stood at `at`; None if it was not logged yet."""
    if claim.created_at > at:
        return None
    last = claim.status_changes.filter(changed_at__lte=at).order_by("-seq").first()
    return last.to_status if last else Status.UNVERIFIED
