"""Property tests of the engine on arbitrary Unicode (Hypothesis, the deterministic
"claimtrack-engine" profile of conftest.py): whatever an article, a claim or a quote
holds (combining marks, emoji, right-to-left text, NUL and other control characters,
CR/LF mixes, very long words, runs of stops), nothing raises, every offset stays inside
the text, and every quote the engine hands on is exactly the text at its offsets.

The texts (tests/strategies.py) mix random characters with hostile pieces and with news
sentences, so that the parts of the engine that only wake up on real prose (attribution,
wording) run too.
"""

import math
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claims.engine import checkworthiness, claimkind, scoring
from claims.engine.anchor import CONTEXT_CHARS, QuoteSelector, quote_selector, reanchor
from claims.engine.attribution import Attributor, attribute, attribute_sentences
from claims.engine.document import Document
from claims.engine.index import ClaimIndex
from claims.engine.stance import LABELS, get_model
from claims.engine.suggest import cue_scores, suggest_claims
from claims.engine.text import (
    _FOLD,
    _word_before_stop,
    split_sentences,
    terms,
    token_spans,
    tokenize,
)
from tests.strategies import NEWS, sentences, texts

PROPERTIES = settings.get_profile("claimtrack-engine")
FEWER = settings(PROPERTIES, max_examples=25)  # for the slower parts (models)


# ---- sentences, tokens, terms -------------------------------------------------------------


def _check_spans(text, spans):
    previous_end = 0
    for span in spans:
        assert 0 <= previous_end <= span.start < span.end <= len(text)
        assert span.text == text[span.start : span.end]
        previous_end = span.end


@PROPERTIES
@given(texts)
def test_sentences_are_ordered_pieces_of_the_text_that_cover_all_of_it(text):
    document = Document.parse(text)
    _check_spans(text, document.sentences)
    for span in document.sentences:
        assert span.text == span.text.strip()
    # Only white space is left between and around the sentences.
    covered = set()
    for span in document.sentences:
        covered.update(range(span.start, span.end))
    assert all(char.isspace() for at, char in enumerate(text) if at not in covered)
    assert len(document.sentence_terms) == len(document.sentences)
    assert all(isinstance(term, str) and term for term in document.terms)


@PROPERTIES
@given(texts)
def test_tokens_stand_where_they_were_found(text):
    folded = text.translate(_FOLD)
    assert len(folded) == len(text)
    spans = token_spans(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert span.text == folded[span.start : span.end]
        previous_end = span.end
    assert tokenize(text) == [span.text.casefold() for span in spans]
    assert all(term for term in terms(text))


_OLD_WORD_BEFORE_STOP = re.compile(r"([\w.]+)[.!?]*[\"')\]]*$")


@PROPERTIES
@given(st.text(st.sampled_from(list("aZ9_.!?é٣\u0301 -\"')")), max_size=30), st.data())
def test_the_word_before_a_stop_is_the_one_the_old_expression_found(text, data):
    """`_word_before_stop` replaced a regular expression that took quadratic time on a
    long word (a 10,000-letter one took 9 s); it must find the same word."""
    stops = [at for at, char in enumerate(text) if char in ".!?"]
    assume(stops)
    stop = data.draw(st.sampled_from(stops))
    start = data.draw(st.integers(0, stop))
    old = _OLD_WORD_BEFORE_STOP.search(text[start : stop + 1])
    expected = old.group(1).rstrip(".").casefold() if old else ""
    assert _word_before_stop(text, start, stop) == expected


def test_long_words_and_runs_of_stops_split_in_linear_time():
    """These took minutes (quadratic regular expressions); they now take milliseconds.
    No time is asserted: were it quadratic again, this test would take an hour."""
    word = "a" * 200_000
    assert [s.text for s in split_sentences(f"{word} b. Then one more.")] == [
        f"{word} b. Then one more."
    ]
    assert [s.text for s in split_sentences(f"It ends {word}. Then one more.")] == [
        f"It ends {word}.",
        "Then one more.",
    ]
    for run in ("!" * 200_000, "." * 200_000, "?!" * 100_000):
        assert len(split_sentences(f"Wow{run} Then")) == 2
        assert len(split_sentences(f"Wow{run}x")) == 1


# ---- quote anchoring ----------------------------------------------------------------------

quoted = texts.filter(bool).flatmap(
    lambda text: st.tuples(
        st.just(text),
        st.integers(0, len(text) - 1).flatmap(
            lambda start: st.tuples(st.just(start), st.integers(start + 1, len(text)))
        ),
    )
)


@PROPERTIES
@given(quoted)
def test_a_quote_is_found_again_where_it_stands_in_the_same_text(case):
    text, (start, end) = case
    selector = quote_selector(text, start, end)
    assert selector.exact == text[start:end]
    assert selector.prefix == text[max(0, start - CONTEXT_CHARS) : start]
    assert selector.suffix == text[end : end + CONTEXT_CHARS]
    assert reanchor(text, selector) == selector


def _check_found(text, found):
    if found is not None:
        assert 0 <= found.start < found.end <= len(text)
        assert found.exact == text[found.start : found.end]
        assert found.prefix == text[max(0, found.start - CONTEXT_CHARS) : found.start]
        assert found.suffix == text[found.end : found.end + CONTEXT_CHARS]


@PROPERTIES
@given(quoted, texts, texts, st.booleans())
def test_a_quote_found_again_in_an_edited_text_is_exactly_the_text_there(
    case, before, after, reflow
):
    text, (start, end) = case
    selector = quote_selector(text, start, end)
    edited = before + text + after
    if reflow:  # the source re-wrapped its lines
        edited = re.sub(r"[ \t]+", "\n", edited)
    found = reanchor(edited, selector)
    _check_found(edited, found)
    if not reflow or selector.exact == re.sub(r"[ \t]+", "\n", selector.exact):
        assert found is not None  # the words are still there


@PROPERTIES
@given(texts, texts, texts, texts, st.integers(-(2**40), 2**40), st.integers(-(2**40), 2**40))
def test_reanchoring_any_selector_stays_inside_the_text(text, exact, prefix, suffix, start, end):
    """A selector as stored data may hold anything (an empty quote, offsets beyond the
    text): re-anchoring gives a valid place in the text or None, never an error."""
    found = reanchor(text, QuoteSelector(exact, prefix, suffix, start, end))
    _check_found(text, found)
    if not exact:
        assert found is None


# ---- attribution, kind and wording -----------------------------------------------------------


def _check_attribution(sentence_list, index, attribution):
    if attribution is None:
        return
    assert attribution.origin <= 0 and index + attribution.origin >= 0
    where = sentence_list[index + attribution.origin]
    assert 0 <= attribution.start <= attribution.end <= len(where)
    assert attribution.phrase == where[attribution.start : attribution.end]  # as written
    assert attribution.speaker_kind in {None, "person", "organisation", "publication", "anonymous"}
    assert attribution.anonymous_count is None or attribution.anonymous_count >= 0


@PROPERTIES
@given(sentences)
def test_attribution_offsets_stay_inside_their_sentence(sentence_list):
    found = attribute_sentences(sentence_list)
    assert len(found) == len(sentence_list)
    for index, attribution in enumerate(found):
        _check_attribution(sentence_list, index, attribution)
    if sentence_list:
        last = attribute(sentence_list[-1], sentence_list[:-1])
        _check_attribution(sentence_list, len(sentence_list) - 1, last)


@PROPERTIES
@given(sentences, st.one_of(st.none(), texts), st.one_of(st.none(), texts))
def test_kind_and_wording_of_any_sentence(sentence_list, subject, organisation):
    reader = Attributor()
    for sentence in sentence_list:
        attribution = reader.feed(sentence)
        for reported in (False, True):
            kind, words = claimkind.explain(sentence, reported=reported)
            assert kind in {"fact", "prediction", "intent", "opinion"}
            assert claimkind.classify(sentence, reported=reported) == kind
            assert words is None or words in sentence.translate(_FOLD)
        wording = claimkind.canonical_wording(
            sentence, attribution, subject, organisation=organisation
        )
        assert isinstance(wording, str)
        lead = claimkind.leading_subject(wording)
        assert lead is None or isinstance(lead, str)


# ---- suggestions, check-worthiness ------------------------------------------------------------


def _check_suggestions(text, found, limit):
    assert len(found) <= limit
    for suggestion in found:
        assert 0 <= suggestion.start < suggestion.end <= len(text)
        assert suggestion.quote == text[suggestion.start : suggestion.end]
        assert 0.0 <= suggestion.score <= 1.0 and 0.0 <= suggestion.checkworthiness <= 1.0
        assert suggestion.kind in {"fact", "prediction", "intent", "opinion"}
        assert suggestion.wording
        if suggestion.attribution_start is not None:
            assert 0 <= suggestion.attribution_start <= suggestion.attribution_end <= len(text)
            phrase = text[suggestion.attribution_start : suggestion.attribution_end]
            assert phrase == suggestion.attribution
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


@PROPERTIES
@given(texts, st.integers(1, 30))
def test_suggested_quotes_are_exactly_the_text_at_their_offsets(text, limit):
    _check_suggestions(text, suggest_claims(text, scorer=cue_scores, limit=limit), limit)


@FEWER
@given(texts)
def test_suggestions_with_the_trained_scorer(text):
    _check_suggestions(text, suggest_claims(text), 20)


@FEWER
@given(st.lists(st.one_of(texts, st.sampled_from(NEWS)), max_size=12))
def test_check_worthiness_is_a_probability_for_every_sentence(sentence_list):
    scores = checkworthiness.score_sentences(sentence_list)
    assert len(scores) == len(sentence_list)
    assert all(0.0 <= score <= 1.0 and math.isfinite(score) for score in scores)


# ---- matching and stance ----------------------------------------------------------------------

_MATCH_MODEL = scoring.Model.load()
claims = st.dictionaries(st.integers(1, 2**40), st.one_of(texts, st.sampled_from(NEWS)), max_size=8)


@FEWER
@given(claims, texts, texts, st.data())
def test_the_claim_index_ranks_and_matches_any_text(stored, query, article, data):
    index = ClaimIndex(model=_MATCH_MODEL)
    index.upsert_many(stored.items())
    if stored:
        gone = data.draw(st.sampled_from(sorted(stored)))
        index.remove(gone)
        index.upsert(gone, data.draw(texts))
    assert index.claim_ids() == set(stored)
    ranked = index.rank(query, top=5)
    assert len(ranked) <= 5
    document = Document.parse(article)
    matches = index.match(document, top=5, min_score=0.0)
    for match in [*ranked, *matches]:
        assert match.claim_id in stored
        assert 0.0 <= match.score <= 1.0
    for match in matches:
        assert all(sentence in document.sentences for sentence in match.sentences)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


@FEWER
@given(st.one_of(texts, st.sampled_from(NEWS)), texts)
def test_stance_of_any_article_toward_any_claim(claim, article):
    document = Document.parse(article)
    result = get_model().predict(claim, document)
    assert result.label in LABELS
    assert math.isclose(sum(result.probabilities.values()), 1.0, abs_tol=1e-6)
    assert all(0.0 <= p <= 1.0 for p in result.probabilities.values())
    assert all(sentence in document.sentences for sentence in result.sentences)
