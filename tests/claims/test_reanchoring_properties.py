"""Quotes follow their article through any revision (claims/anchoring.py, on the
database: it has no pure part of its own; the engine's `reanchor` has its own properties
in tests/engine/test_properties.py). Whatever the source does to its text (inserts
hostile Unicode, cuts passages, rewraps lines), after each revision every logged quote
is either exactly the text at its offsets, with its context, or flagged lost; and every
deciding sentence of the evidence is exactly the text at its offsets or marked lost.

Revised texts hold no NUL: ingestion refuses such a text before it gets here
(tests/articles/test_hostile_uploads.py), and PostgreSQL could not store it.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from articles.services import article_revise
from claims.engine.anchor import CONTEXT_CHARS
from claims.models import AnchorState, Appearance, Evidence
from claims.services import appearance_create, evidence_propose
from tests.factories import make_article, make_claim
from tests.strategies import texts

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta released LLaMA 2 on Tuesday. The model is free for commercial use, the company "
    "said. Critics were not convinced.\nThe licence has limits, three lawyers said."
)
QUOTES = ["Meta released LLaMA 2", "The model is free for commercial use", "three lawyers said"]

storable = texts.map(lambda text: text.replace("\x00", ""))
edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "cut", "rewrap"]),
        st.floats(0, 1),
        st.floats(0, 1),
        storable,
    ),
    min_size=1,
    max_size=4,
)


def _edited(text: str, changes) -> str:
    for kind, where, other, piece in changes:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "cut":
            end = at + int(other * (len(text) - at) / 4)
            text = text[:at] + text[end:]
        else:  # line breaks where the spaces were, or spaces where the breaks were
            text = text.replace(" ", "\n") if other < 0.5 else text.replace("\n", " ")
    return text


_stories = itertools.count(1)


def _logged(actor):
    """A new article (each example its own) with three quotes and evidence citing them."""
    number = next(_stories)
    text = f"{TEXT} Story {number}."
    article = make_article(title="LLaMA 2", text=text, url=f"https://example.com/{number}")
    for quote in QUOTES:
        start = text.index(quote)
        claim = make_claim(actor, text=f"{quote} ({number}).", kind="fact")
        appearance_create(
            claim=claim, article=article, start=start, end=start + len(quote), actor=actor
        )
        evidence_propose(
            claim=claim,
            article=article,
            stance="supports",
            score=0.6,
            sentences=[{"start": start, "end": start + len(quote), "text": quote}],
            actor=actor,
        )
    return article


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=20,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(changes=edits)
def test_after_any_revision_quotes_are_the_text_at_their_offsets_or_flagged_lost(
    journalist, changes
):
    logged = _logged(journalist)
    new_text = _edited(logged.text, changes)
    try:
        article, changed = article_revise(article=logged, text=new_text)
    except ValidationError:
        assume(False)  # an empty text, or another article's
    assume(changed)
    text = article.text
    appearances = Appearance.objects.filter(article=article)
    event(f"{sum(a.anchor != AnchorState.LOST for a in appearances)} of 3 quotes found again")
    for appearance in appearances:
        if appearance.anchor == AnchorState.LOST:
            continue
        assert 0 <= appearance.start < appearance.end <= len(text)
        assert appearance.quote == text[appearance.start : appearance.end]
        assert (
            appearance.quote_prefix
            == text[max(0, appearance.start - CONTEXT_CHARS) : appearance.start]
        )
        assert appearance.quote_suffix == text[appearance.end : appearance.end + CONTEXT_CHARS]
    for evidence in Evidence.objects.filter(article=article):
        for sentence in evidence.sentences:
            if sentence.get("lost"):
                assert "start" not in sentence
                continue
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]
