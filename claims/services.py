"""Every write to claims, appearances, evidence and status goes through these functions.

They check permissions and rules in one place, so pages, the API, tasks and commands
all behave the same way.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Source, SourceKind
from articles.services import source_get_or_create
from claims.engine.anchor import quote_selector
from claims.errors import StaleStatusError, TransitionError
from claims.events import event_record
from claims.models import (
    Appearance,
    Claim,
    ClaimKind,
    ClaimMerge,
    EventKind,
    Evidence,
    ReviewState,
    Stance,
    Status,
    StatusChange,
    Tag,
)
from claims.payloads import (
    appearance_payload,
    claim_payload,
    evidence_payload,
    merge_payload,
    status_change_payload,
)
from claims.signals import claim_text_changed

log = logging.getLogger(__name__)
KEEP = object()  # "leave this field as it is", where None is a meaningful value

# Statuses the engine may propose on its own. Retraction and "unverifiable" are human
# judgements about sources and method, and only a person reopens a claim.
ENGINE_STATUSES = frozenset({Status.SUPPORTED, Status.REFUTED, Status.MIXED})
# Clock skew allowed between the caller and the database when a change carries a time.
_FUTURE_TOLERANCE = timedelta(minutes=5)


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {what}.")


# --- Claims ----------------------------------------------------------------------------


# The longest wording of a claim (the forms', the API's and the CSV import's limit too),
# of a tag once slugified, and of an attribution phrase: the columns' sizes, checked here
# so that no entry point can send PostgreSQL a value it refuses.
CLAIM_TEXT_MAX_CHARS = 2000
TAG_MAX_CHARS = 60
ATTRIBUTION_MAX_CHARS = 300


def _tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        slug = slugify(name)
        if not slug:
            raise ValidationError({"tags": f"{name!r} is not a usable tag."})
        if len(slug) > TAG_MAX_CHARS:
            raise ValidationError({"tags": f"Keep each tag under {TAG_MAX_CHARS} characters."})
        tags.append(Tag.objects.get_or_create(name=slug)[0])
    return tags


def _check_claim_fields(*, text: str, kind: str, resolves_by) -> None:
    errors = {}
    if not text:
        errors["text"] = "A claim needs its wording."
    elif len(text) > CLAIM_TEXT_MAX_CHARS:
        errors["text"] = (
            f"Keep the claim under {CLAIM_TEXT_MAX_CHARS:,} characters "
            f"(it has {len(text):,}): a claim is a statement, not the article."
        )
    elif "\x00" in text:
        errors["text"] = "The wording holds NUL characters, which are not text."
    if kind not in ClaimKind.values:
        errors["kind"] = f"Unknown claim kind {kind!r}."
    if resolves_by is not None and kind != ClaimKind.PREDICTION:
        errors["resolves_by"] = "Only a prediction has a resolves-by date."
    if errors:
        raise ValidationError(errors)


def claim_create(
    *,
    text: str,
    actor,
    kind: str = ClaimKind.FACT,
    tags: Iterable[str] = (),
    resolves_by: date | None = None,
) -> Claim:
    """Log a new claim in canonical words. It starts `unverified`, with no history."""
    _require(actor, "claims.add_claim", "log claims")
    text = " ".join(text.split())
    _check_claim_fields(text=text, kind=kind, resolves_by=resolves_by)
    with transaction.atomic():
        claim = Claim.objects.create(
            text=text, kind=kind, resolves_by=resolves_by, created_by=actor
        )
        claim.tags.set(_tags(tags))
        event_record(
            EventKind.CLAIM_CREATED,
            claim_id=claim.pk,
            object_type="claim",
            object_id=claim.pk,
            after=claim_payload(claim),
            actor=actor,
        )
        claim_text_changed.send(sender=Claim, claim=claim)
    return claim


def claim_update(
    *,
    claim: Claim,
    actor,
    text: str | None = None,
    kind: str | None = None,
    tags: Iterable[str] | None = None,
    resolves_by: object = KEEP,
) -> Claim:
    """Change a claim's wording, kind, tags or resolves-by date (not its status).
    Arguments left out keep their value (`resolves_by=None` clears the date).

    A new wording is checked against recent articles again once committed.
    """
    _require(actor, "claims.change_claim", "edit claims")
    text = " ".join(text.split()) if text is not None else claim.text
    kind = kind if kind is not None else claim.kind
    resolves_by = claim.resolves_by if resolves_by is KEEP else resolves_by
    _check_claim_fields(text=text, kind=kind, resolves_by=resolves_by)
    reworded = text != claim.text
    with transaction.atomic():
        before = claim_payload(claim)
        claim.text, claim.kind, claim.resolves_by = text, kind, resolves_by
        claim.save(update_fields=["text", "kind", "resolves_by", "updated_at"])
        if tags is not None:
            claim.tags.set(_tags(tags))
        event_record(
            EventKind.CLAIM_UPDATED,
            claim_id=claim.pk,
            object_type="claim",
            object_id=claim.pk,
            before=before,
            after=claim_payload(claim),
            actor=actor,
        )
        if reworded:
            claim_text_changed.send(sender=Claim, claim=claim)
    return claim


def appearance_create(
    *,
    claim: Claim,
    article: Article,
    start: int,
    end: int,
    actor,
    quote: str | None = None,
    speaker: Source | None = None,
    outlet: Source | None = None,
    attribution: str = "",
    anonymous_count: int | None = None,
) -> Appearance:
    """Record that `claim` was made in `article` at characters [start, end).

    When `quote` is given it must be exactly the text at those offsets, so a quote that
    was selected in an older copy of the article is refused rather than misplaced.
    """
    _require(actor, "claims.add_appearance", "log where claims appear")
    if not 0 <= start < end <= len(article.text):
        raise ValidationError({"start": "The quote's offsets fall outside the article's text."})
    if quote is not None and article.text[start:end] != quote:
        raise ValidationError({"quote": "The quote does not match the article's text there."})
    if anonymous_count is not None and anonymous_count < 1:
        raise ValidationError({"anonymous_count": "Give a positive number, or leave it empty."})
    _check_attribution(attribution)
    selector = quote_selector(article.text, start, end)
    try:
        with transaction.atomic():
            appearance = Appearance.objects.create(
                claim=claim,
                article=article,
                quote=selector.exact,
                quote_prefix=selector.prefix,
                quote_suffix=selector.suffix,
                start=start,
                end=end,
                speaker=speaker,
                outlet=outlet,
                attribution=attribution.strip(),
                anonymous_count=anonymous_count,
                created_by=actor,
            )
            event_record(
                EventKind.APPEARANCE_ADDED,
                claim_id=claim.pk,
                object_type="appearance",
                object_id=appearance.pk,
                after=appearance_payload(appearance),
                actor=actor,
            )
            return appearance
    except IntegrityError:
        raise ValidationError("This quote is already logged for this claim.") from None


def source_named(name: str, *, kind: str) -> Source | None:
    """The source a journalist means by `name`: a known one of that kind, else a known
    one of any kind but publication (people are picked by name, not by kind), else a new
    one of `kind`. None for an empty name."""
    name = " ".join(name.split())
    if not name:
        return None
    known = Source.objects.named(name).order_by("pk")
    return (
        known.filter(kind=kind).first()
        or (
            None
            if kind == SourceKind.PUBLICATION
            else known.exclude(kind=SourceKind.PUBLICATION).first()
        )
        or source_get_or_create(name=name, kind=kind)
    )


_APPEARANCE_EDITABLE = ("speaker", "outlet", "attribution", "anonymous_count")


def _check_attribution(attribution: str) -> None:
    if len(attribution.strip()) > ATTRIBUTION_MAX_CHARS:
        raise ValidationError(
            {"attribution": f"Keep the attribution under {ATTRIBUTION_MAX_CHARS} characters."}
        )


def appearance_update(*, appearance: Appearance, actor, **changes) -> Appearance:
    """Correct who made a logged claim and how it was attributed. The quote and where it
    stands in the article are fixed once logged."""
    _require(actor, "claims.change_appearance", "edit where claims appear")
    unknown = set(changes) - set(_APPEARANCE_EDITABLE)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    count = changes.get("anonymous_count", appearance.anonymous_count)
    if count is not None and count < 1:
        raise ValidationError({"anonymous_count": "Give a positive number, or leave it empty."})
    _check_attribution(changes.get("attribution") or "")
    with transaction.atomic():
        before = appearance_payload(appearance)
        for name, value in changes.items():
            setattr(appearance, name, value.strip() if isinstance(value, str) else value)
        appearance.save()
        event_record(
            EventKind.APPEARANCE_UPDATED,
            claim_id=appearance.claim_id,
            object_type="appearance",
            object_id=appearance.pk,
            before=before,
            after=appearance_payload(appearance),
            actor=actor,
        )
    return appearance


def claim_log_from_passage(
    *,
    article: Article,
    start: int,
    end: int,
    quote: str,
    actor,
    attach_to: Claim | None = None,
    text: str = "",
    kind: str = ClaimKind.FACT,
    tags: Iterable[str] = (),
    resolves_by: date | None = None,
    speaker: Source | None = None,
    outlet: Source | None = None,
    attribution: str = "",
    anonymous_count: int | None = None,
) -> Appearance:
    """A journalist logs the passage [start, end) of `article` as a claim: a new claim in
    canonical words, or, with `attach_to`, a new appearance of a claim already tracked
    (so one statement repeated by many outlets stays one claim). All or nothing."""
    with transaction.atomic():
        claim = attach_to or claim_create(
            text=text, kind=kind, tags=tags, resolves_by=resolves_by, actor=actor
        )
        return appearance_create(
            claim=claim,
            article=article,
            start=start,
            end=end,
            quote=quote,
            actor=actor,
            speaker=speaker,
            outlet=outlet,
            attribution=attribution,
            anonymous_count=anonymous_count,
        )


# --- Evidence --------------------------------------------------------------------------


def _evidence_added(evidence: Evidence) -> None:
    event_record(
        EventKind.EVIDENCE_ADDED,
        claim_id=evidence.claim_id,
        object_type="evidence",
        object_id=evidence.pk,
        after=evidence_payload(evidence),
        actor=evidence.found_by,
        engine_version=evidence.engine_version,
    )


def evidence_propose(
    *,
    claim: Claim,
    article: Article,
    stance: str,
    score: float,
    sentences: list[dict] | None = None,
    actor=None,
    engine_version: str = "",
) -> tuple[Evidence, bool]:
    """Propose `article` as evidence for or against `claim`, pending an editor's review.

    Proposed by a person (`actor`) or by the engine (`engine_version`). There is one row
    per claim and article: proposing it again returns the stored row and `False`.
    """
    if (actor is None) == (not engine_version):
        raise ValueError("Evidence is proposed either by a person or by the engine.")
    if actor is not None:
        _require(actor, "claims.add_evidence", "propose evidence")
    if stance not in Stance.values:
        raise ValidationError({"stance": f"Unknown stance {stance!r}."})
    if not 0.0 <= score <= 1.0:
        raise ValidationError({"score": "The score must lie between 0 and 1."})
    sentences = list(sentences or [])
    for sentence in sentences:
        start, end = sentence.get("start"), sentence.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or article.text[start:end] != (
            sentence.get("text")
        ):
            raise ValidationError({"sentences": "Each sentence must match the article's text."})
    stored = Evidence.objects.filter(claim=claim, article=article).first()
    if stored:
        return stored, False
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                claim=claim,
                article=article,
                stance=stance,
                score=score,
                sentences=sentences,
                found_by=actor,
                engine_version=engine_version,
            )
            _evidence_added(evidence)
    except IntegrityError:
        return Evidence.objects.get(claim=claim, article=article), False
    return evidence, True


def evidence_record_engine_finding(
    *,
    claim_id: int,
    article: Article,
    stance: str,
    score: float,
    match_score: float,
    sentences: list[dict],
    engine_version: str,
) -> tuple[Evidence | None, bool]:
    """Store what the engine found, as pending evidence: one row per claim and article.

    A row a person found or an editor reviewed is never touched. The engine's own pending
    row is updated in place when a re-check judges differently (a new engine version), so
    running the same engine twice changes nothing. Returns the row (None if the claim no
    longer exists) and whether this call created it.
    """
    fields = {
        "stance": stance,
        "score": score,
        "match_score": match_score,
        "sentences": sentences,
        "engine_version": engine_version,
    }
    with transaction.atomic():
        stored = Evidence.objects.select_for_update().filter(claim_id=claim_id, article=article)
        evidence = stored.first()
        if evidence is None:
            if not Claim.objects.filter(pk=claim_id).exists():
                return None, False
            try:
                with transaction.atomic():
                    evidence = Evidence.objects.create(claim_id=claim_id, article=article, **fields)
                    _evidence_added(evidence)
                    return evidence, True
            except IntegrityError:  # a concurrent run stored it first
                return Evidence.objects.get(claim_id=claim_id, article=article), False
        if evidence.found_by_id or evidence.review_state != ReviewState.PENDING:
            return evidence, False
        changed = {k: v for k, v in fields.items() if getattr(evidence, k) != v}
        if changed:
            before = evidence_payload(evidence)
            for name, value in changed.items():
                setattr(evidence, name, value)
            evidence.save(update_fields=[*changed, "updated_at"])
            event_record(
                EventKind.EVIDENCE_UPDATED,
                claim_id=evidence.claim_id,
                object_type="evidence",
                object_id=evidence.pk,
                before=before,
                after=evidence_payload(evidence),
                engine_version=engine_version,
            )
    return evidence, False


def evidence_review(
    *,
    evidence: Evidence,
    state: str,
    actor,
    note: str = "",
    corrected_stance: str = "",
    at: datetime | None = None,
) -> Evidence:
    """An editor accepts or rejects proposed evidence (or returns it to pending).

    `corrected_stance` records the stance the editor says is right when the proposed one
    is wrong ("unrelated" when the article is not about the claim at all); accepting with
    a correction also changes the evidence's stance. The decisions become training data
    for the stance model (`manage.py export_stance_pairs`). `at` dates the review, for
    imports of past work; it defaults to now.
    """
    _require(actor, "claims.review_evidence", "review evidence")
    if state not in ReviewState.values:
        raise ValidationError({"state": f"Unknown review state {state!r}."})
    if corrected_stance and corrected_stance not in [*Stance.values, "unrelated"]:
        raise ValidationError({"corrected_stance": f"Unknown stance {corrected_stance!r}."})
    if state == ReviewState.ACCEPTED and corrected_stance == "unrelated":
        raise ValidationError(
            {"corrected_stance": "Evidence about an unrelated article cannot be accepted."}
        )
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        before = evidence_payload(evidence)
        reviewed = state != ReviewState.PENDING
        evidence.review_state = state
        evidence.review_note = note.strip()
        evidence.corrected_stance = corrected_stance if reviewed else ""
        evidence.reviewed_by = actor if reviewed else None
        evidence.reviewed_at = (at or timezone.now()) if reviewed else None
        if state == ReviewState.ACCEPTED and corrected_stance:
            evidence.stance = corrected_stance
        evidence.save()
        event_record(
            EventKind.EVIDENCE_REVIEWED,
            claim_id=evidence.claim_id,
            object_type="evidence",
            object_id=evidence.pk,
            before=before,
            after=evidence_payload(evidence),
            actor=actor,
        )
    return evidence


@dataclass
class BulkReviewOutcome:
    reviewed: int = 0
    skipped: list[str] = field(default_factory=list)


def evidence_review_many(
    *,
    evidence_ids: list[int],
    state: str,
    actor,
    note: str = "",
    on_progress: Callable[[int, BulkReviewOutcome], None] | None = None,
) -> BulkReviewOutcome:
    """An editor accepts or rejects many pending evidence items at once, each in its own
    transaction. An item someone else reviewed meanwhile, or that is gone, is skipped and
    named in the outcome; one this editor already decided the same way counts as done,
    so running the same request twice changes nothing. `on_progress(handled, outcome)`
    is called after each item."""
    _require(actor, "claims.review_evidence", "review evidence")
    if state not in (ReviewState.ACCEPTED, ReviewState.REJECTED):
        raise ValidationError({"state": "Bulk review accepts or rejects."})
    outcome = BulkReviewOutcome()
    for handled, evidence_id in enumerate(evidence_ids, start=1):
        evidence = Evidence.objects.filter(pk=evidence_id).first()
        if evidence is None:
            outcome.skipped.append(f"Evidence #{evidence_id} no longer exists.")
        elif evidence.review_state == ReviewState.PENDING:
            evidence_review(evidence=evidence, state=state, actor=actor, note=note)
            outcome.reviewed += 1
        elif evidence.review_state == state and evidence.reviewed_by_id == actor.pk:
            outcome.reviewed += 1  # this request, delivered again
        else:
            decided = evidence.get_review_state_display().lower()
            outcome.skipped.append(f"Evidence #{evidence_id} was already {decided}.")
        if on_progress is not None:
            on_progress(handled, outcome)
    return outcome


# --- Status ----------------------------------------------------------------------------


def _check_transition(
    *, locked: Claim, to: str, note: str, actor, engine_version: str, evidence, at: datetime
) -> None:
    if to not in Status.values:
        raise ValidationError({"status": f"Unknown status {to!r}."})
    if to == locked.status:
        raise TransitionError(f"The claim is already {to}.")
    if not note:
        raise ValidationError({"note": "Explain the change in a note."})
    if evidence is not None and evidence.claim_id != locked.pk:
        raise ValidationError({"evidence": "That evidence belongs to another claim."})
    if at > timezone.now() + _FUTURE_TOLERANCE:
        raise ValidationError({"at": "A status change cannot be dated in the future."})
    if locked.status_changed_at and at < locked.status_changed_at:
        raise ValidationError({"at": "A status change cannot predate the previous one."})
    if actor is None:
        if to not in ENGINE_STATUSES:
            raise TransitionError(f"The engine may not set a claim to {to}.")
        last = locked.status_changes.order_by("-seq").first()
        if last is not None and not last.by_engine:
            raise TransitionError(
                "The claim's status was set by an editor; the engine's suggestion waits "
                "in the review queue instead."
            )


def claim_set_status(
    *,
    claim: Claim,
    to: str,
    expected: str,
    note: str,
    actor=None,
    engine_version: str = "",
    evidence: Evidence | None = None,
    at: datetime | None = None,
) -> StatusChange:
    """The only way a claim's status changes. Writes the history row in the same
    transaction and returns it.

    `expected` is the status the caller saw; if the claim has moved on since, the change
    is refused with StaleStatusError and nothing is written. Made by an editor (`actor`,
    who needs `claims.set_claim_status`) or by the engine under an auto-apply policy
    (`engine_version`, no actor), which never overrides an editor's verdict. `at` dates
    the change, for imports of past history; it defaults to now.
    """
    if (actor is None) == (not engine_version):
        raise ValueError("A status change is made either by a person or by the engine.")
    if actor is not None:
        _require(actor, "claims.set_claim_status", "set a claim's status")
    note = note.strip()
    with transaction.atomic():
        # The row lock serialises writers on PostgreSQL. SQLite ignores it, but there
        # every transaction begins IMMEDIATE (see settings), which serialises writers
        # on the whole database; the compare-and-set below and the unique (claim, seq)
        # pair hold even without either.
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != expected:
            raise StaleStatusError(expected=expected, current=locked.status)
        # Read the clock only once the lock is held, so times follow the chain's order.
        at = at or timezone.now()
        _check_transition(
            locked=locked,
            to=to,
            note=note,
            actor=actor,
            engine_version=engine_version,
            evidence=evidence,
            at=at,
        )
        seq = locked.status_seq + 1
        before = claim_payload(locked)
        swapped = Claim.objects.filter(
            pk=locked.pk, status=expected, status_seq=locked.status_seq
        ).update(
            status=to,
            status_seq=F("status_seq") + 1,
            status_changed_at=at,
            updated_at=timezone.now(),
        )
        if swapped != 1:
            current = Claim.objects.values_list("status", flat=True).get(pk=locked.pk)
            raise StaleStatusError(expected=expected, current=current)
        try:
            with transaction.atomic():
                change = StatusChange.objects.create(
                    claim=locked,
                    seq=seq,
                    from_status=expected,
                    to_status=to,
                    changed_at=at,
                    actor=actor,
                    engine_version=engine_version,
                    note=note,
                    evidence=evidence,
                )
        except IntegrityError:
            raise StaleStatusError(expected=expected, current=to) from None
        event_record(
            EventKind.STATUS_CHANGED,
            claim_id=locked.pk,
            object_type="claim",
            object_id=locked.pk,
            before=before,
            after=claim_payload(Claim.all_objects.get(pk=locked.pk)),
            detail=status_change_payload(change),
            actor=actor,
            engine_version=engine_version,
        )
    claim.status, claim.status_seq, claim.status_changed_at = to, seq, at
    return change


# --- Merging duplicates ------------------------------------------------------------------


def _is_pending_engine_row(evidence: Evidence) -> bool:
    """A proposal nobody has looked at yet and no status change rests on; the engine
    would find it again."""
    return (
        evidence.review_state == ReviewState.PENDING
        and not evidence.found_by_id
        and not StatusChange.objects.filter(evidence=evidence).exists()
    )


def claims_merge(*, keep: Claim, merge: Claim, actor, note: str) -> ClaimMerge:
    """Merge the duplicate `merge` into `keep`: its appearances and evidence move to the
    kept claim, its tags join the kept claim's, and the merge is recorded.

    Nothing is deleted but a pending engine proposal the merged claim's reviewed or
    hand-found evidence about the same article supersedes. Rows that would duplicate the
    kept claim's (the same quote, evidence from the same article) stay on the merged claim
    and are listed in the record. The merged claim keeps its own status history, which
    is append-only; it is shown with the kept claim's. The kept claim's status does not
    change: an editor rules on the merged evidence through the status service.
    """
    _require(actor, "claims.merge_claims", "merge claims")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Explain the merge in a note."})
    if keep.pk == merge.pk:
        raise ValidationError("A claim cannot be merged into itself.")
    with transaction.atomic():
        # Lock both in id order, so two merges of the same pair cannot deadlock.
        locked = {
            c.pk: c
            for c in Claim.all_objects.select_for_update()
            .filter(pk__in=[keep.pk, merge.pk])
            .order_by("pk")
        }
        for claim in locked.values():
            if claim.merged_into_id:
                raise ValidationError(f"Claim #{claim.pk} was already merged into another claim.")
        kept, merged = locked[keep.pk], locked[merge.pk]
        before = claim_payload(kept)
        left = {"appearances": [], "evidence": []}
        moved_appearances = moved_evidence = 0
        kept_spans = set(kept.appearances.values_list("article_id", "start", "end"))
        for appearance in merged.appearances.all():
            if (appearance.article_id, appearance.start, appearance.end) in kept_spans:
                left["appearances"].append(appearance.pk)
                continue
            appearance.claim = kept
            appearance.save(update_fields=["claim"])
            moved_appearances += 1
        kept_evidence = {e.article_id: e for e in kept.evidence.all()}
        for evidence in merged.evidence.all():
            rival = kept_evidence.get(evidence.article_id)
            if rival is not None:
                if not (_is_pending_engine_row(rival) and not _is_pending_engine_row(evidence)):
                    left["evidence"].append(evidence.pk)
                    continue
                rival.delete()
            evidence.claim = kept
            evidence.save(update_fields=["claim", "updated_at"])
            moved_evidence += 1
        kept.tags.add(*merged.tags.all())
        now = timezone.now()
        # Claims merged into the duplicate earlier now point at the claim that is kept.
        Claim.all_objects.filter(merged_into=merged).update(merged_into=kept, updated_at=now)
        Claim.all_objects.filter(pk=merged.pk).update(merged_into=kept, updated_at=now)
        Claim.all_objects.filter(pk=kept.pk).update(updated_at=now)
        record = ClaimMerge.objects.create(
            kept=kept,
            merged=merged,
            actor=actor,
            note=note,
            merged_at=now,
            moved_appearances=moved_appearances,
            moved_evidence=moved_evidence,
            left_behind=left,
        )
        event_record(
            EventKind.CLAIMS_MERGED,
            claim_id=kept.pk,
            object_type="claim",
            object_id=kept.pk,
            before=before,
            after=claim_payload(Claim.all_objects.get(pk=kept.pk)),
            detail=merge_payload(record),
            actor=actor,
        )
    merge.merged_into = kept
    log.info("claim %s merged into %s by %s", merged.pk, kept.pk, actor)
    return record
