"""Claim kinds and canonical wording, on sentences written here (no database)."""

import pytest

from claims.engine.attribution import attribute, attribute_sentences
from claims.engine.claimkind import (
    FACT,
    INTENT,
    OPINION,
    PREDICTION,
    canonical_wording,
    classify,
    explain,
    leading_subject,
)

# ---- kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Corvid will release the chip in October.", PREDICTION),
        ("The chip won't ship before March.", PREDICTION),
        ("The market could change completely in the coming weeks.", PREDICTION),
        ("The launch is imminent.", PREDICTION),
        ("The chip is expected to cost less than 100 dollars.", PREDICTION),
        ("Corvid is set to open a factory next year.", PREDICTION),
        ("Corvid wants to build its own chips.", INTENT),
        ("Corvid plans to sell the chip to carmakers.", INTENT),
        ("The firm intends to hire 200 engineers.", INTENT),
        ("Corvid aims to break the dominance of its rival.", INTENT),
        ("The main goal of the new chip is to cut power use.", INTENT),
        ("Corvid may be trying to win back developers.", INTENT),
        ("I think the chip is too expensive.", OPINION),
        ("Regulators should look at the deal.", OPINION),
        ("It is the best chip on the market.", OPINION),
        ("In my view, the deal is a mistake.", OPINION),
        ("Corvid sold 2 million chips in 2022.", FACT),
        ("The chip has eight cores and uses 5 watts.", FACT),
        ("He spoke of the free will of the board.", FACT),
    ],
)
def test_kinds(text, kind):
    assert classify(text) == kind


def test_would_is_a_prediction_only_in_reported_speech():
    assert classify("Corvid would benefit twice.") == FACT
    assert classify("The chip would ship in May.", reported=True) == PREDICTION


def test_explain_names_the_deciding_words():
    assert explain("Corvid plans to sell the chip.") == (INTENT, "plans to")
    assert explain("The chip will be cheap.") == (PREDICTION, "will")
    assert explain("Corvid sold the chip.") == (FACT, None)


def test_opinion_words_beat_the_future_and_intent_beats_the_future():
    assert classify("I think Corvid will win.") == OPINION
    assert classify("Corvid wants to ship the chip next year.") == INTENT


# ---- canonical wording ----------------------------------------------------------------


def test_the_issue_example():
    wording = canonical_wording(
        "It may be a new variant of LLaMA.", None, previous_subject="Meta's new model"
    )
    assert wording == "Meta's new model may be a new variant of LLaMA."


def test_the_attribution_and_its_that_are_cut():
    s = "The Financial Times, citing three sources, reports that Corvid wants to build chips."
    assert canonical_wording(s, attribute(s)) == "Corvid wants to build chips."
    s = "Corvid will build chips, Priya Raman said."
    assert canonical_wording(s, attribute(s)) == "Corvid will build chips."
    s = "Corvid, Priya Raman said, will build chips."
    assert canonical_wording(s, attribute(s)) == "Corvid will build chips."
    s = "Pricing is still open, says a person close to the board."
    assert canonical_wording(s, attribute(s)) == "Pricing is still open."


def test_according_to_is_cut_at_either_end():
    s = "According to the FT, Corvid is working on a second chip."
    assert canonical_wording(s, attribute(s)) == "Corvid is working on a second chip."
    s = "Corvid is working on a second chip, according to Reuters."
    assert canonical_wording(s, attribute(s)) == "Corvid is working on a second chip."
    s = "Corvid, according to two people at the firm, is working on a second chip."
    assert canonical_wording(s, attribute(s)) == "Corvid is working on a second chip."


def test_quotes_are_unwrapped():
    s = '"We will publish the design in May," Priya Raman told reporters.'
    assert canonical_wording(s, attribute(s)) == "We will publish the design in May."
    s = '"The chip," she said, "is ready."'
    a = attribute(s, ["Priya Raman runs the chip unit."])
    assert canonical_wording(s, a) == "The chip is ready."
    s = "\u201cThe chip is ready,\u201d Priya Raman said."
    assert canonical_wording(s, attribute(s)) == "The chip is ready."


def test_a_pronoun_after_the_verb_is_the_speaker():
    s = "Priya Raman said she would step down in June."
    assert canonical_wording(s, attribute(s)) == "Priya Raman would step down in June."
    s = "Microsoft said it would buy the chip."
    assert canonical_wording(s, attribute(s)) == "Microsoft would buy the chip."
    s = '"We will buy the chip," Microsoft said.'
    assert canonical_wording(s, attribute(s)) == "Microsoft will buy the chip."


@pytest.mark.parametrize(
    ("sentence", "previous", "expected"),
    [
        ("It may ship in May.", "The new chip", "The new chip may ship in May."),
        ("They are planning a second chip.", "Corvid", "Corvid is planning a second chip."),
        ("He left the firm in May.", "Tomas Berg", "Tomas Berg left the firm in May."),
        ("The company sold 2 million chips.", "Corvid", "Corvid sold 2 million chips."),
        (
            "It's based on the first chip.",
            "The new chip",
            "The new chip is based on the first chip.",
        ),
        ("It may be late.", "A new chip", "The new chip may be late."),
        (
            "It is unclear whether the chip works.",
            "Corvid",
            "It is unclear whether the chip works.",
        ),
        ("It's a bet that buyers will wait.", "Corvid", "It's a bet that buyers will wait."),
        ("It may be late.", None, "It may be late."),
    ],
)
def test_leading_pronouns_take_the_previous_subject(sentence, previous, expected):
    assert canonical_wording(sentence, None, previous) == expected


def test_the_company_prefers_the_organisation_and_the_model_gets_its_owner():
    wording = canonical_wording(
        "The company said the chip is late.", None, "The chip", organisation="Corvid"
    )
    assert wording == "Corvid said the chip is late."
    wording = canonical_wording("The new model will remain open.", None, organisation="Meta")
    assert wording == "Meta's new model will remain open."
    wording = canonical_wording("The model is fast.", None, organisation="Quill Labs")
    assert wording == "Quill Labs' model is fast."


def test_openers_case_and_final_stop():
    assert canonical_wording("However, Corvid could cut prices") == "Corvid could cut prices."
    assert canonical_wording("and the chip is late;") == "The chip is late."
    assert canonical_wording("Is the chip late?") == "Is the chip late?"


def test_an_inherited_attribution_cuts_nothing_from_the_later_sentence():
    sentences = [
        "According to the FT, Corvid is working on a chip.",
        "The chip is said to be fast.",
    ]
    a = attribute_sentences(sentences)[1]
    assert canonical_wording(sentences[1], a) == "The chip is said to be fast."


def test_leading_subject():
    assert leading_subject("Corvid wants to build chips.") == "Corvid"
    assert leading_subject("The new chip will ship in May.") == "The new chip"
    assert leading_subject("Corvid's model is said to be fast.") == "Corvid's model"
    assert leading_subject("Whether Corvid will charge is unclear.") is None
    assert leading_subject("It may be late.") is None
    assert leading_subject("the chip is late.") is None
