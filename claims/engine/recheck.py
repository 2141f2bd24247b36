"""Judging one article against the tracked claims: match, then stance.

Pure orchestration over the index and the stance model, so the app's pipeline and the
benchmarks run exactly the same code.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from claims.engine.document import Document
from claims.engine.text import Span

# Candidates the matcher hands to the stance model for each article: enough for an
# article about several tracked claims, few enough to keep a re-check in milliseconds.
DEFAULT_CANDIDATES = 20
# The matcher's score is the probability that a passage states the claim itself; an
# article that reports on what became of a claim often restates it only loosely, so
# candidates are taken well below the matcher's own threshold and the stance model,
# whose first stage decides related or unrelated, has the final word.
CANDIDATE_MIN_MATCH = 0.02


@dataclass(frozen=True)
class Finding:
    """The engine's judgement of one article against one claim."""

    claim_id: int
    stance: str  # supports | refutes | discusses
    score: float  # calibrated probability of that stance
    match_score: float
    sentences: list[Span]

    def sentence_dicts(self) -> list[dict]:
        return [{"text": s.text, "start": s.start, "end": s.end} for s in self.sentences]


def engine_version(index, model) -> str:
    return f"{index.version}+{model.version}"


def judge(
    claim_id: int, claim_text: str, doc: Document, model, match_score: float, match_sentences
) -> Finding | None:
    """The stance of `doc` toward one claim, or None when the model finds it unrelated."""
    result = model.predict(claim_text, doc)
    if result.label == "unrelated":
        return None
    return Finding(
        claim_id=claim_id,
        stance=result.label,
        score=round(float(result.score), 4),
        match_score=round(float(match_score), 4),
        sentences=list(result.sentences or match_sentences)[:3],
    )


def judge_article(
    doc: Document,
    index,
    model,
    texts_of: Callable[[list[int]], Mapping[int, str]],
    *,
    top: int = DEFAULT_CANDIDATES,
    exclude: Iterable[int] = (),
) -> list[Finding]:
    """Every tracked claim `doc` speaks to, with its stance, strongest match first.

    `texts_of(ids)` returns the canonical texts of the matched claims (one look-up for
    all of them); `exclude` lists claims the article itself makes, which it cannot be
    evidence for. Claims without a text (deleted meanwhile) are skipped.
    """
    skip = set(exclude)
    matches = [
        m
        for m in index.match(doc, top=top, min_score=CANDIDATE_MIN_MATCH)
        if m.claim_id not in skip
    ]
    texts = texts_of([m.claim_id for m in matches])
    findings = []
    for match in matches:
        if match.claim_id not in texts:
            continue
        finding = judge(
            match.claim_id, texts[match.claim_id], doc, model, match.score, match.sentences
        )
        if finding:
            findings.append(finding)
    return findings
