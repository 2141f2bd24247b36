"""Claim suggestions on a small article written here, with injected deterministic
scorers (no database, no trained check-worthiness model needed)."""

import io
import json
import sys

import pytest

import claims.engine
from claims.engine import checkworthiness, cli_suggest, suggest
from claims.engine.attribution import ANONYMOUS, PERSON, PUBLICATION, attribute
from claims.engine.claimkind import FACT, INTENT, PREDICTION
from claims.engine.index import ClaimIndex
from claims.engine.suggest import Suggestion, boost, cue_scores, suggest_claims

ARTICLE = (
    "Quill Labs could be about to shake up the market for coding assistants.\n"
    "The Morning Post, citing three people familiar with the project, reports that Quill "
    "Labs plans to release a free coding model next month. The model is said to handle "
    "Python, Rust and Go.\n"
    "It may be a smaller version of the company's flagship system. Nobody outside the lab "
    "has tested it yet.\n"
    "Quill Labs chief executive Dana Whitfield has already announced that a new model is "
    "being trained. The company wants to offer it to universities first, according to "
    "Whitfield.\n"
    "A promising start\n"
    "According to the Post, the model will be released under an open licence. Pricing for "
    "businesses is still undecided, says a person close to the company's leadership.\n"
    "\u201cWe will publish the weights in September,\u201d Whitfield told reporters in Lisbon. "
    "She added that the model would run on a single graphics card.\n"
    "Thanks for reading."
)


def flat(value):
    def scorer(sentences):
        return [value] * len(sentences)

    return scorer


def by_sentence(scores: dict[str, float], default: float = 0.1):
    def scorer(sentences):
        return [next((v for k, v in scores.items() if k in s), default) for s in sentences]

    return scorer


def test_a_flat_score_keeps_exactly_the_attributed_sentences():
    found = suggest_claims(ARTICLE, scorer=flat(0.4))
    by_wording = {s.wording: s for s in found}
    assert set(by_wording) == {
        "Quill Labs plans to release a free coding model next month.",
        "Quill Labs' model is said to handle Python, Rust and Go.",
        "A new model is being trained.",
        "Quill Labs wants to offer it to universities first.",
        "Quill Labs' model will be released under an open licence.",
        "Pricing for businesses is still undecided.",
        "We will publish the weights in September.",
        "Quill Labs' model would run on a single graphics card.",
    }
    assert all(s.checkworthiness == 0.4 and s.score > 0.5 for s in found)


def test_the_main_claims_have_their_speakers_outlets_and_kinds():
    found = {s.wording: s for s in suggest_claims(ARTICLE, scorer=flat(0.4))}
    release = found["Quill Labs plans to release a free coding model next month."]
    assert release.speaker == "three people familiar with the project"
    assert (release.speaker_kind, release.anonymous_count) == (ANONYMOUS, 3)
    assert (release.outlet, release.verb, release.kind) == ("Morning Post", "reports", INTENT)
    assert release.hedge == "plans to"

    languages = found["Quill Labs' model is said to handle Python, Rust and Go."]
    assert (languages.speaker, languages.outlet) == (release.speaker, "Morning Post")
    assert (languages.hedge, languages.kind) == ("is said to", FACT)

    licence = found["Quill Labs' model will be released under an open licence."]
    assert (licence.speaker, licence.speaker_kind, licence.outlet) == (
        "Morning Post", PUBLICATION, "Morning Post"
    )  # fmt: skip
    assert licence.kind == PREDICTION

    training = found["A new model is being trained."]
    assert (training.speaker, training.speaker_kind, training.verb) == (
        "Dana Whitfield", PERSON, "announced"
    )  # fmt: skip
    assert training.attribution == (
        "Quill Labs chief executive Dana Whitfield has already announced that"
    )
    for wording in (
        "Quill Labs wants to offer it to universities first.",
        "We will publish the weights in September.",
        "Quill Labs' model would run on a single graphics card.",
    ):
        assert found[wording].speaker == "Dana Whitfield"
    assert found["Quill Labs' model would run on a single graphics card."].kind == PREDICTION
    pricing = found["Pricing for businesses is still undecided."]
    assert (pricing.speaker_kind, pricing.anonymous_count, pricing.verb) == (ANONYMOUS, 1, "says")


def test_offsets_point_into_the_article():
    for s in suggest_claims(ARTICLE, scorer=flat(0.4)):
        assert ARTICLE[s.start : s.end] == s.quote
        assert ARTICLE[s.attribution_start : s.attribution_end] == s.attribution
    relayed = next(s for s in suggest_claims(ARTICLE, scorer=flat(0.4)) if "Rust" in s.quote)
    assert relayed.attribution_start < relayed.start  # the phrase is in the sentence before


def test_ranked_by_score_with_a_limit():
    scorer = by_sentence(
        {"Nobody outside": 0.95, "Pricing for": 0.7, "coding model next": 0.6}, default=0.2
    )
    found = suggest_claims(ARTICLE, scorer=scorer)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].quote.startswith("Nobody outside")  # unattributed, but scored highest
    assert found[0].speaker is None and found[0].attribution is None
    assert len(suggest_claims(ARTICLE, scorer=scorer, limit=2)) == 2


def test_attribution_raises_the_score():
    found = suggest_claims(ARTICLE, scorer=flat(0.6), min_score=0.0)
    plain = next(s for s in found if s.quote.startswith("Nobody outside"))
    reported = next(s for s in found if s.quote.startswith("Pricing for"))
    assert plain.score == 0.6 and reported.score > 0.7
    attribution = attribute("Pricing is open, says a person close to the board.")
    assert boost(0.5, None) == 0.5
    assert boost(0.5, attribution) == pytest.approx(2 / 3)
    assert boost(1.0, attribution) == 1.0


def test_short_lines_are_never_suggested():
    quotes = [s.quote for s in suggest_claims(ARTICLE, scorer=flat(0.99), limit=100)]
    assert "A promising start" not in quotes and "Thanks for reading." not in quotes
    assert len(quotes) == 11  # of 13 sentences


def test_the_scorer_reads_the_sentences_in_order():
    seen = []

    def scorer(sentences):
        seen.extend(sentences)
        return [0.0] * len(sentences)

    assert suggest_claims(ARTICLE, scorer=scorer) == []
    assert seen[0].startswith("Quill Labs could") and seen[-1] == "Thanks for reading."
    with pytest.raises(ValueError):
        suggest_claims(ARTICLE, scorer=lambda sentences: [0.5])
    assert suggest_claims("", scorer=flat(0.9)) == []


def test_the_default_scorer_works_before_the_model_exists(monkeypatch):
    monkeypatch.setitem(sys.modules, "claims.engine.checkworthiness", None)  # import fails
    monkeypatch.delattr(claims.engine, "checkworthiness", raising=False)  # even if imported
    scorer, name = suggest.default_scorer()
    assert (scorer, name) == (cue_scores, "cues")
    found = suggest_claims(ARTICLE)
    assert found and all(isinstance(s, Suggestion) for s in found)
    scores = cue_scores(["Sales rose 20 percent to 3 billion dollars in 2022, Corvid said.", "Hi!"])
    assert scores[0] > 0.5 > scores[1]


def test_the_default_scorer_blends_the_model_with_the_cues_for_news():
    scorer, name = suggest.default_scorer()
    assert name == f"{checkworthiness.version()}+cues"
    sentences = ["The Morning Post reports that sales rose 20 percent to 3 billion dollars.", "Hi!"]
    model, cues, blended = (
        checkworthiness.score_sentences(sentences),
        cue_scores(sentences),
        scorer(sentences),
    )
    assert blended[0] > model[0]  # moved to the news prior
    assert min(model[1], cues[1]) <= blended[1] < 0.5 < blended[0]
    found = suggest_claims(ARTICLE)  # the trained model by default
    quotes = [s.quote for s in found]
    assert any("plans to release a free coding model" in q for q in quotes)
    assert any(q.startswith("Pricing for businesses") for q in quotes)
    assert "Thanks for reading." not in quotes and "A promising start" not in quotes


# ---- duplicates ---------------------------------------------------------------------------

TRACKED = {
    11: "Quill Labs will release a free coding model next month.",
    12: "The city council banned plastic bags in all grocery stores.",
    13: "Drinking hot water with lemon cures the flu within two days.",
    14: "A video shows a shark swimming on a flooded highway in Houston.",
}


@pytest.fixture(scope="module")
def index():
    index = ClaimIndex()
    index.upsert_many(TRACKED.items())
    return index


def test_a_suggestion_that_repeats_a_tracked_claim_names_it(index):
    found = suggest_claims(ARTICLE, scorer=flat(0.4), index=index, claim_text=TRACKED)
    dupes = {s.wording: (s.duplicate_of, s.duplicate_score) for s in found if s.duplicate_of}
    assert list(dupes) == ["Quill Labs plans to release a free coding model next month."]
    claim, score = dupes["Quill Labs plans to release a free coding model next month."]
    assert claim == 11 and score >= suggest.DUPLICATE_MIN_SCORE
    assert all(s.duplicate_score is None for s in found if not s.duplicate_of)


def test_without_claim_texts_the_matching_score_alone_decides(index):
    found = suggest_claims(ARTICLE, scorer=flat(0.4), index=index)
    release = next(s for s in found if "free coding model" in s.wording)
    assert release.duplicate_of == 11
    looked_up = []

    def text_of(claim_id):
        looked_up.append(claim_id)
        return TRACKED.get(claim_id)

    found = suggest_claims(ARTICLE, scorer=flat(0.4), index=index, claim_text=text_of)
    assert looked_up and [s.duplicate_of for s in found if s.duplicate_of] == [11]


def test_overlap():
    assert suggest.overlap("Corvid will ship the chip.", "Corvid ships the chip.") == 1.0
    assert (
        suggest.overlap("Corvid will ship the chip.", "The chip ships late, Corvid says.") == 0.75
    )
    assert suggest.overlap("Corvid will ship the chip.", "Sales fell in May.") == 0.0
    assert suggest.overlap("", "Sales fell.") == 0.0


def test_an_empty_index_finds_no_duplicates():
    found = suggest_claims(ARTICLE, scorer=flat(0.4), index=ClaimIndex())
    assert found and all(s.duplicate_of is None for s in found)


# ---- command line -------------------------------------------------------------------------


def _run(monkeypatch, capsys, argv):
    from claims.engine.__main__ import main

    monkeypatch.setattr(suggest, "default_scorer", lambda: (flat(0.4), "flat"))
    assert main(argv) == 0
    out, err = capsys.readouterr()
    return [json.loads(line) for line in out.splitlines()], err


def test_the_suggest_command_prints_json_lines(tmp_path, monkeypatch, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    rows, err = _run(monkeypatch, capsys, ["suggest", str(article)])
    assert len(rows) == 8 and "8 suggestions" in err and "flat" in err
    for row in rows:
        assert list(row) == list(cli_suggest.FIELDS)
        assert ARTICLE[row["start"] : row["end"]] == row["quote"]
        assert row["kind"] in {"fact", "prediction", "intent", "opinion"}
    first = rows[0]
    assert first["wording"] == "Quill Labs plans to release a free coding model next month."
    assert (first["speaker"], first["speaker_kind"], first["anonymous_count"]) == (
        "three people familiar with the project", "anonymous", 3
    )  # fmt: skip
    assert (first["outlet"], first["verb"], first["hedge"]) == (
        "Morning Post",
        "reports",
        "plans to",
    )
    rows, _ = _run(monkeypatch, capsys, ["suggest", str(article), "--limit", "3"])
    assert len(rows) == 3


def test_the_suggest_command_reads_stdin_and_tracked_claims(tmp_path, monkeypatch, capsys):
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        "".join(json.dumps({"id": f"c{k}", "text": v}) + "\n" for k, v in TRACKED.items()),
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
    rows, _ = _run(monkeypatch, capsys, ["suggest", "-", "--claims", str(claims)])
    assert [r["duplicate_of"] for r in rows if r["duplicate_of"]] == ["c11"]
