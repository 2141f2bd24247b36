"""The engine package is pure Python: these tests need no database."""

import ast
from pathlib import Path

import pytest

from claims.engine.anchor import find_quote, quote_selector, reanchor

ENGINE = Path(__file__).resolve().parents[2] / "claims" / "engine"


def test_a_selector_keeps_the_quote_its_context_and_offsets():
    text = "Meta said on Tuesday that Llama 2 is free for commercial use, mostly."
    selector = find_quote(text, "Llama 2 is free")
    assert text[selector.start : selector.end] == "Llama 2 is free"
    assert selector.prefix == "Meta said on Tuesday that "
    assert selector.suffix == " for commercial use, mostly."


def test_context_is_capped_at_the_requested_length():
    text = "x" * 100 + "QUOTE" + "y" * 100
    selector = quote_selector(text, 100, 105, context=10)
    assert (selector.prefix, selector.suffix) == ("x" * 10, "y" * 10)


def test_later_occurrences_can_be_chosen():
    text = "open. open. open."
    assert find_quote(text, "open", occurrence=2).start == 12


def test_missing_quotes_and_bad_spans_are_refused():
    with pytest.raises(ValueError):
        find_quote("abc", "d")
    with pytest.raises(ValueError):
        quote_selector("abc", 2, 2)


def test_the_engine_imports_nothing_of_django_or_the_project():
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"django", "rest_framework", "celery", "articles"}, path
                assert not name.startswith("claims.") or name.startswith("claims.engine"), path


OLD = "Intro. Meta said the model is free. Later, critics said the model is free. End."


def _selector_of(text, phrase, occurrence=0):
    return find_quote(text, phrase, occurrence)


def test_a_quote_moved_by_an_edit_is_found_at_its_new_place():
    selector = _selector_of(OLD, "Meta said the model is free.")
    new = "A new first paragraph was added. " + OLD
    found = reanchor(new, selector)
    assert new[found.start : found.end] == "Meta said the model is free."
    assert found.start == selector.start + len("A new first paragraph was added. ")


def test_the_context_chooses_among_repeated_words():
    second = _selector_of(OLD, "the model is free", occurrence=1)
    new = OLD.replace("Intro.", "Introduction, longer now.")
    found = reanchor(new, second)
    assert found.prefix.endswith("critics said ")


def test_reflowed_white_space_still_matches():
    selector = _selector_of(OLD, "Meta said the model is free.")
    new = OLD.replace("Meta said the model", "Meta  said\nthe model")
    found = reanchor(new, selector)
    assert new[found.start : found.end] == "Meta  said\nthe model is free."


def test_a_quote_whose_words_are_gone_is_lost():
    selector = _selector_of(OLD, "Meta said the model is free.")
    assert reanchor(OLD.replace("Meta said", "Meta denied"), selector) is None
