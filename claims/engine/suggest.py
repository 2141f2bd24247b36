"""Claim suggestions: the check-worthy, attributed statements of a new article.

    from claims.engine.suggest import suggest_claims
    for s in suggest_claims(article_text, index=claim_index):
        print(s.score, s.kind, s.wording, s.speaker, s.outlet, s.duplicate_of)

Every sentence is scored for check-worthiness (`claims.engine.checkworthiness`, or any
function with its signature), read for its attribution (`claims.engine.attribution`) and
kind (`claims.engine.claimkind`), and given a canonical wording. Reported speech is a
cue in itself, so an attributed sentence has its odds raised before the threshold. The
best ones are compared with the tracked claims (a `ClaimIndex`) so a journalist is not
offered a claim the newsroom already tracks.
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from claims.engine.attribution import (
    INHERITED,
    ORGANISATION,
    Attribution,
    Attributor,
    classify_speaker,
    find_hedge,
    fold,
)
from claims.engine.claimkind import canonical_wording, classify, leading_subject
from claims.engine.document import Document
from claims.engine.text import Span, terms

Scorer = Callable[[list[str]], Sequence[float]]

DEFAULT_MIN_SCORE = 0.45  # after the attribution boost; tuned on the seed and demo articles
DUPLICATE_MIN_SCORE = 0.8  # the matching model's probability that the wording is the claim
# ... and, when the claims' texts are at hand, the share of content terms the two have in
# common (`overlap`): the matching model says "is about", which two claims on one subject
# can both be, so a duplicate must also say much the same.
DUPLICATE_MIN_OVERLAP = 0.6
ATTRIBUTED_ODDS = 2.0  # odds multiplier for a sentence with its own attribution
INHERITED_ODDS = 2.0  # ... and for one that relays the attribution of the sentence before
MIN_WORDS = 5  # shorter sentences (headlines, "However, replicas exist.") are not claims
# The check-worthiness model learned from debate transcripts, where 2.7% of sentences are
# check-worthy; a news article is denser (about a third of its sentences state something
# checkable), so its probabilities have their odds raised by this prior shift ...
NEWS_PRIOR_ODDS = 15.0
# ... and, since news prose (reported speech, headlines) differs from debates, they are
# averaged in log-odds with the transparent cue scores below, with this weight.
MODEL_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A sentence offered as a claim.

    quote, start, end: the sentence exactly as written and its offsets in the article
    (code points; quote == text[start:end]). score: check-worthiness after the boost for
    reported speech, 0..1; checkworthiness: the scorer's own score. wording: the canonical
    wording. attribution, attribution_start, attribution_end: the phrase as written and
    its offsets in the article (it may stand in an earlier sentence when the statement
    relays one). duplicate_of, duplicate_score: the tracked claim it repeats, if any.
    """

    quote: str
    start: int
    end: int
    score: float
    checkworthiness: float
    kind: str
    wording: str
    speaker: str | None
    speaker_kind: str | None
    anonymous_count: int | None
    outlet: str | None
    verb: str | None
    hedge: str | None
    attribution: str | None
    attribution_start: int | None
    attribution_end: int | None
    duplicate_of: int | None = None
    duplicate_score: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# ---- scoring --------------------------------------------------------------------------


def default_scorer() -> tuple[Scorer, str]:
    """The check-worthiness scorer for news articles and its version: the trained model
    blended with the cues (`news_scorer`); the cues alone while that model (module or
    trained artifact) is not there."""
    try:
        from claims.engine import checkworthiness
    except ImportError:
        return cue_scores, "cues"
    try:
        version = checkworthiness.version()
    except (FileNotFoundError, ValueError):  # artifact missing or from another feature set
        return cue_scores, "cues"
    return news_scorer(checkworthiness.score_sentences), f"{version}+cues"


def news_scorer(model: Scorer) -> Scorer:
    """`model`'s scores moved to the news prior and blended with `cue_scores`."""

    def score(sentences: list[str]) -> list[float]:
        shift = math.log(NEWS_PRIOR_ODDS)
        return [
            _sigmoid(MODEL_SHARE * (_logit(m) + shift) + (1.0 - MODEL_SHARE) * _logit(c))
            for m, c in zip(model(sentences), cue_scores(sentences), strict=True)
        ]

    return score


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


_NUMBER = re.compile(r"\d|\b(?:million|billion|percent|half|twice|double)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][\w'-]+")
_MODAL = re.compile(
    r"\b(?:will|would|could|may|might|plans?|wants?|intends?|aims?|expected|imminent|soon)\b"
)
_REPORTED = re.compile(
    r"\b(?:said|says|told|reports?|reported|announced|according|claims?|claimed|confirmed|"
    r"reportedly|allegedly)\b"
)
_PERSONAL = re.compile(r"\b(?:I|you|we)\b|\?|!", re.IGNORECASE)


def cue_scores(sentences: list[str]) -> list[float]:
    """A stand-in check-worthiness score from surface cues: numbers, names, plans and
    predictions, reported speech; questions, exclamations and chat count against."""
    out = []
    for sentence in sentences:
        words = len(sentence.split())
        z = -1.3 + 0.35 * min(words, 30) / 10
        z += 0.8 * bool(_NUMBER.search(sentence))
        z += 0.35 * min(len(_NAME.findall(sentence)), 4)
        z += 0.6 * bool(_MODAL.search(sentence))
        z += 0.5 * bool(_REPORTED.search(sentence))
        z -= 1.0 * bool(_PERSONAL.search(sentence))
        z -= 1.5 * (words < MIN_WORDS)
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def boost(score: float, attribution: Attribution | None) -> float:
    """The score with its odds raised for reported speech."""
    if attribution is None:
        return score
    factor = INHERITED_ODDS if attribution.position == INHERITED else ATTRIBUTED_ODDS
    score = min(max(score, 0.0), 1.0)
    if score >= 1.0:
        return 1.0
    odds = factor * score / (1.0 - score)
    return odds / (1.0 + odds)


# ---- suggesting -----------------------------------------------------------------------


def suggest_claims(
    text: str,
    *,
    scorer: Scorer | None = None,
    index=None,
    claim_text: Mapping[int, str] | Callable[[int], str | None] | None = None,
    limit: int = 20,
    min_score: float = DEFAULT_MIN_SCORE,
    duplicate_min_score: float = DUPLICATE_MIN_SCORE,
) -> list[Suggestion]:
    """The check-worthy statements of an article, best first, at most `limit`.

    scorer: check-worthiness of a list of sentences in reading order (default: the
    trained model). index: a `ClaimIndex` of tracked claims; a suggestion whose wording
    matches one at `duplicate_min_score` or more names it in `duplicate_of`. claim_text:
    the text of a tracked claim by id (a mapping or a function); with it, a match must
    also share `DUPLICATE_MIN_OVERLAP` of its content terms with the wording.
    """
    sentences = article_sentences(text)
    if not sentences:
        return []
    texts = [s.text for s in sentences]
    if scorer is None:
        scorer = default_scorer()[0]
    scores = [float(x) for x in scorer(texts)]
    if len(scores) != len(texts):
        raise ValueError(f"scorer gave {len(scores)} scores for {len(texts)} sentences")

    reader = Attributor()
    subject: str | None = None
    organisation: str | None = None
    found: list[Suggestion] = []
    for i, span in enumerate(sentences):
        attribution = reader.feed(span.text)
        wording = canonical_wording(span.text, attribution, subject, organisation=organisation)
        if (lead := leading_subject(wording)) is not None:
            subject = lead
            named = classify_speaker(lead)
            if named is not None and named.kind == ORGANISATION and named.name:
                organisation = named.name
        score = boost(scores[i], attribution)
        if score < min_score or len(span.text.split()) < MIN_WORDS or not wording:
            continue
        found.append(_suggestion(sentences, i, scores[i], score, wording, attribution))

    found.sort(key=lambda s: (-s.score, s.start))
    found = found[:limit]
    if index is not None and len(index):
        lookup = claim_text.get if isinstance(claim_text, Mapping) else claim_text
        found = [_with_duplicate(s, index, duplicate_min_score, lookup) for s in found]
    return found


def article_sentences(text: str) -> list[Span]:
    """The article's sentences, split on a copy with typographic quotes made plain (so a
    sentence opening with a curly quote starts a new one), quoted from the original."""
    folded = fold(text)
    return [Span(text[s.start : s.end], s.start, s.end) for s in Document.parse(folded).sentences]


def _suggestion(sentences, i, raw, score, wording, attribution) -> Suggestion:
    span = sentences[i]
    reported = attribution is not None and attribution.verb != "according to"
    phrase = phrase_start = phrase_end = None
    if attribution is not None:
        origin = sentences[i + attribution.origin] if i + attribution.origin >= 0 else span
        phrase = attribution.phrase
        phrase_start = origin.start + attribution.start
        phrase_end = origin.start + attribution.end
    return Suggestion(
        quote=span.text,
        start=span.start,
        end=span.end,
        score=round(score, 4),
        checkworthiness=round(raw, 4),
        kind=classify(wording, reported=reported),
        wording=wording,
        speaker=attribution.speaker if attribution else None,
        speaker_kind=attribution.speaker_kind if attribution else None,
        anonymous_count=attribution.anonymous_count if attribution else None,
        outlet=attribution.outlet if attribution else None,
        verb=attribution.verb if attribution else None,
        hedge=attribution.hedge if attribution else find_hedge(span.text),
        attribution=phrase,
        attribution_start=phrase_start,
        attribution_end=phrase_end,
    )


def _with_duplicate(suggestion: Suggestion, index, min_score: float, claim_text) -> Suggestion:
    for match in index.rank(suggestion.wording, top=3, min_score=min_score):
        if claim_text is not None:
            other = claim_text(match.claim_id)
            if other is None or overlap(suggestion.wording, other) < DUPLICATE_MIN_OVERLAP:
                continue
        return _replace(
            suggestion, duplicate_of=match.claim_id, duplicate_score=round(match.score, 4)
        )
    return suggestion


_MODAL_TERMS = frozenset({"will", "shall", "must"})


def overlap(a: str, b: str) -> float:
    """How much two texts say the same: the share of the smaller one's content terms
    (modal verbs aside) that the other has too, 0..1."""
    ta, tb = set(terms(a)) - _MODAL_TERMS, set(terms(b)) - _MODAL_TERMS
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def _replace(suggestion: Suggestion, **changes) -> Suggestion:
    values = asdict(suggestion)
    values.update(changes)
    return Suggestion(**values)
