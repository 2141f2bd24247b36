"""Emergent (Ferreira & Vlachos, 2016) claim/headline pairs as extra training data for the
stance stage of the stance model: short texts that take a side, which FNC-1's long bodies
lack.

File: ``claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId`` with stance
for / against / observing, read as agree / disagree / discuss. FNC-1 was built from the
same pool of stories, so whole Emergent claims are dropped when any of their texts equals
(after normalising) a headline that must stay unseen: the FNC hold-out's, or a
cross-validation fold's.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from claims.engine import fnc
from claims.engine.text import normalise

STANCES = {"for": "agree", "against": "disagree", "observing": "discuss"}
FIRST_BODY_ID = -1  # headlines become bodies with negative ids, clear of FNC-1's


@dataclass(frozen=True, slots=True)
class Story:
    claim_id: str
    pairs: tuple[tuple[str, str, str], ...]  # (claim, article headline, FNC stance)

    def texts(self) -> set[str]:
        return {normalise(t) for claim, headline, _ in self.pairs for t in (claim, headline)}


def read(path: str | Path) -> list[Story]:
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            stance = STANCES.get((row.get("articleHeadlineStance") or "").strip().lower())
            claim = (row.get("claimHeadline") or "").strip()
            headline = (row.get("articleHeadline") or "").strip()
            if stance and claim and headline:
                grouped.setdefault(row["claimId"], []).append((claim, headline, stance))
    return [Story(k, tuple(v)) for k, v in sorted(grouped.items())]


def unseen(stories: Iterable[Story], headlines: Iterable[str]) -> list[Story]:
    """The stories none of whose claims or headlines is among `headlines`."""
    banned = {normalise(h) for h in headlines}
    return [s for s in stories if not s.texts() & banned]


def as_pairs(stories: Iterable[Story]) -> tuple[list[fnc.Pair], dict[int, str]]:
    """FNC-style pairs (claim as headline, article headline as body) and their bodies."""
    pairs, bodies, ids = [], {}, {}
    for story in stories:
        for claim, headline, stance in story.pairs:
            body_id = ids.setdefault(headline, FIRST_BODY_ID - len(ids))
            bodies[body_id] = headline
            pairs.append(fnc.Pair(claim, body_id, stance))
    return pairs, bodies
