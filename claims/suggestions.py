"""Claim suggestions: the engine proposes the check-worthy, attributed statements of an
article; a journalist accepts one (through the same services as a hand-logged claim),
edits it first, or dismisses it."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, SourceKind
from claims.matching import live_index
from claims.models import (
    Appearance,
    ArticleCheck,
    Claim,
    ClaimKind,
    Suggestion,
    SuggestionState,
)
from claims.services import _require, claim_log_from_passage, source_named

log = logging.getLogger(__name__)
SPEAKER_KINDS = set(SourceKind.values)  # an outlet reporting on its own is the speaker too


def suggestions_compute(*, article: Article) -> int:
    """(Re)compute the open suggestions of `article`. Spans someone already decided on,
    or already logged as a claim, are not suggested again. Returns how many are open."""
    from claims.engine.suggest import default_scorer, suggest_claims  # loads the models

    scorer, version = default_scorer()

    def claim_text(claim_id: int) -> str | None:  # the few candidates, for a word check
        return Claim.objects.filter(pk=claim_id).values_list("text", flat=True).first()

    found = suggest_claims(
        article.text, scorer=scorer, index=live_index().current(), claim_text=claim_text
    )
    with transaction.atomic():
        decided = set(
            Suggestion.objects.filter(article=article)
            .exclude(state=SuggestionState.OPEN)
            .values_list("start", "end")
        )
        logged = set(Appearance.objects.filter(article=article).values_list("start", "end"))
        Suggestion.objects.filter(article=article, state=SuggestionState.OPEN).delete()
        duplicates = set(
            Claim.objects.filter(
                pk__in=[s.duplicate_of for s in found if s.duplicate_of]
            ).values_list("pk", flat=True)
        )
        rows = [
            Suggestion(
                article=article,
                start=s.start,
                end=s.end,
                quote=s.quote,
                score=s.score,
                kind=s.kind if s.kind in ClaimKind.values else ClaimKind.FACT,
                wording=s.wording,
                speaker=(s.speaker or "")[:200],
                speaker_kind=s.speaker_kind if s.speaker_kind in SPEAKER_KINDS else "",
                anonymous_count=s.anonymous_count,
                outlet=(s.outlet or "")[:200],
                verb=(s.verb or "")[:40],
                hedge=(s.hedge or "")[:40],
                attribution=(s.attribution or "")[:300],
                duplicate_of_id=s.duplicate_of if s.duplicate_of in duplicates else None,
                duplicate_score=s.duplicate_score if s.duplicate_of in duplicates else None,
                engine_version=version[:80],
            )
            for s in found
            if (s.start, s.end) not in decided | logged
        ]
        Suggestion.objects.bulk_create(rows)
        # No longer owed (the outbox row of claims.recheck; the sweep sends owed ones).
        ArticleCheck.objects.filter(article=article).update(suggested_at=timezone.now())
    return len(rows)


def _open(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().select_related("article").get(pk=suggestion.pk)
    if locked.state != SuggestionState.OPEN:
        raise ValidationError(f"This suggestion was already {locked.get_state_display().lower()}.")
    return locked


def suggestion_defaults(suggestion: Suggestion) -> dict:
    """What accepting the suggestion as it stands logs: `claim_log_from_passage`'s
    arguments for its claim and appearance."""
    return {
        "text": suggestion.wording,
        "kind": suggestion.kind,
        "speaker": source_named(
            suggestion.speaker, kind=suggestion.speaker_kind or SourceKind.PERSON
        ),
        "outlet": source_named(suggestion.outlet, kind=SourceKind.PUBLICATION),
        "attribution": suggestion.attribution,
        "anonymous_count": suggestion.anonymous_count,
    }


def suggestion_accept(*, suggestion: Suggestion, actor, **overrides) -> Appearance:
    """Log the suggested passage as a claim, through the same service as a hand-logged
    one. `overrides` (any argument of `claim_log_from_passage`: text, kind, tags,
    resolves_by, speaker, outlet, attribution, anonymous_count, attach_to) replace what
    the engine proposed: edit-then-accept, or attaching it to a tracked claim."""
    with transaction.atomic():
        locked = _open(suggestion)
        arguments = {**suggestion_defaults(locked), **overrides}
        appearance = claim_log_from_passage(
            article=locked.article,
            start=locked.start,
            end=locked.end,
            quote=locked.quote,
            actor=actor,
            **arguments,
        )
        locked.state = SuggestionState.ACCEPTED
        locked.appearance = appearance
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
    return appearance


def suggestion_dismiss(*, suggestion: Suggestion, actor) -> Suggestion:
    _require(actor, "claims.change_suggestion", "dismiss suggestions")
    with transaction.atomic():
        locked = _open(suggestion)
        locked.state = SuggestionState.DISMISSED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
    return locked
