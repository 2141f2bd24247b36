"""`ClaimIndex.could_match`, the cheap test a claim's re-check runs before a full match of
each recent article: it must never turn away a claim that `match` would return."""

import sys
from pathlib import Path

from claims.engine.document import Document
from claims.engine.index import ClaimIndex
from claims.engine.recheck import CANDIDATE_MIN_MATCH, DEFAULT_CANDIDATES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import synthetic  # bench/ is not a package


def test_every_claim_match_returns_passes_the_cheap_test():
    texts = synthetic.claims(3000, seed=11)
    index = ClaimIndex()
    index.upsert_many(enumerate(texts, start=1))
    about = texts[:200]
    articles = synthetic.articles(12, seed=12, about=about)
    returned = unrelated = turned_away = 0
    for article in articles:
        doc = Document.parse(article.text)
        found = index.match(doc, top=DEFAULT_CANDIDATES, min_score=CANDIDATE_MIN_MATCH)
        assert found
        for match in found:
            returned += 1
            assert index.could_match(doc, match.claim_id, CANDIDATE_MIN_MATCH / 2), match
        # Claims the article was not written about: most are turned away cheaply.
        for claim_id in range(2500, 2600):
            unrelated += 1
            turned_away += not index.could_match(doc, claim_id, CANDIDATE_MIN_MATCH / 2)
    assert returned >= 12
    assert turned_away > unrelated / 2


def test_a_claim_not_in_the_index_could_not_match():
    index = ClaimIndex()
    index.upsert_many([(1, "The council banned plastic bags in grocery stores.")])
    doc = Document.parse("The council banned plastic bags in every grocery store on Monday.")
    assert index.could_match(doc, 1, CANDIDATE_MIN_MATCH)
    assert not index.could_match(doc, 2, CANDIDATE_MIN_MATCH)
    assert not index.could_match(Document.parse(""), 1, CANDIDATE_MIN_MATCH)
