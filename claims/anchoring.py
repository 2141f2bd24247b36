"""Quotes follow their article when its source edits it.

When a changed text of an article is stored (a new revision), every quote logged from it
is looked for again (its exact words, the context around them, then the old offsets),
the evidence's deciding sentences too; a quote that cannot be found is flagged on its
claim for an editor, because an edited or retracted source is news in itself. The
article then owes the claims a fresh re-check.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from articles.models import Article
from claims.engine.anchor import QuoteSelector, quote_selector, reanchor
from claims.events import event_record
from claims.models import AnchorState, Appearance, ArticleCheck, CheckState, EventKind, Evidence
from claims.payloads import appearance_payload, evidence_payload

log = logging.getLogger(__name__)


@dataclass
class ReanchorReport:
    kept: int = 0
    moved: int = 0
    lost: int = 0


def _appearance_selector(appearance: Appearance) -> QuoteSelector:
    return QuoteSelector(
        exact=appearance.quote,
        prefix=appearance.quote_prefix,
        suffix=appearance.quote_suffix,
        start=appearance.start,
        end=appearance.end,
    )


def _reanchor_appearance(appearance: Appearance, text: str, version: str, report) -> None:
    before = appearance_payload(appearance)
    found = reanchor(text, _appearance_selector(appearance))
    if found is None:
        appearance.anchor = AnchorState.LOST
        report.lost += 1
    else:
        same = (found.start, found.end) == (appearance.start, appearance.end)
        appearance.anchor = AnchorState.ANCHORED if same else AnchorState.MOVED
        appearance.quote, appearance.start, appearance.end = found.exact, found.start, found.end
        appearance.quote_prefix, appearance.quote_suffix = found.prefix, found.suffix
        report.kept += same
        report.moved += not same
    appearance.save()
    if appearance_payload(appearance) != before:
        event_record(
            EventKind.APPEARANCE_UPDATED,
            claim_id=appearance.claim_id,
            object_type="appearance",
            object_id=appearance.pk,
            before=before,
            after=appearance_payload(appearance),
            engine_version=version,
        )


def _reanchor_sentences(evidence: Evidence, previous: str, text: str, version: str) -> None:
    """The deciding sentences' offsets, moved to the new text; a sentence no longer
    there is kept, marked lost, without offsets."""
    before = evidence_payload(evidence)
    sentences = []
    for sentence in evidence.sentences:
        start, end = sentence.get("start"), sentence.get("end")
        if not isinstance(start, int) or sentence.get("lost"):
            sentences.append(sentence)
            continue
        found = None
        if previous[start:end] == sentence.get("text") and end > start:
            found = reanchor(text, quote_selector(previous, start, end))
        if found is None:
            sentences.append({"text": sentence.get("text", ""), "lost": True})
        else:
            sentences.append(
                {**sentence, "start": found.start, "end": found.end, "text": found.exact}
            )
    if sentences != evidence.sentences:
        evidence.sentences = sentences
        evidence.save(update_fields=["sentences", "updated_at"])
        event_record(
            EventKind.EVIDENCE_UPDATED,
            claim_id=evidence.claim_id,
            object_type="evidence",
            object_id=evidence.pk,
            before=before,
            after=evidence_payload(evidence),
            engine_version=version,
        )


def article_quotes_reanchor(*, article: Article, previous_text: str) -> ReanchorReport:
    """Find every quote and deciding sentence of `article` again in its new text, and
    owe the claims a re-check of it. Runs in the caller's transaction."""
    version = f"re-anchor r{article.revision}"
    report = ReanchorReport()
    with transaction.atomic():
        for appearance in Appearance.objects.select_for_update().filter(article=article):
            _reanchor_appearance(appearance, article.text, version, report)
        for evidence in Evidence.objects.select_for_update().filter(article=article):
            _reanchor_sentences(evidence, previous_text, article.text, version)
        check, _ = ArticleCheck.objects.get_or_create(article=article)
        ArticleCheck.objects.filter(pk=check.pk).update(
            state=CheckState.PENDING, attempts=0, last_error="", finished_at=None
        )
    if report.lost:
        log.warning("article %s revised: %s quote(s) lost", article.pk, report.lost)
    return report
