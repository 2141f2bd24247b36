"""The stance model: FNC-1 files and figures, the committed artifact, and the CLI."""

import argparse
import math

import numpy as np
import pytest

from claims.engine import cli_stance, fnc
from claims.engine.document import Document
from claims.engine.stance import LABELS, StanceModel, get_model

ARTICLE = (
    "Apple will open a new campus in Austin, Texas, the company announced on Monday. "
    "The campus will employ 5,000 people at first, Apple said in a statement.\n\n"
    "Local officials welcomed the news. The mayor of Austin called it a great day for "
    "the city.\n\n"
    "Construction is expected to start next year."
)
RELATED_CLAIM = "Apple announces new campus in Austin, Texas with 5,000 jobs"
UNRELATED_CLAIM = "Scientists discover a new species of deep-sea octopus near Hawaii"

BODIES = {
    7: ARTICLE,
    9: "A giant octopus was filmed off the coast of Hawaii by marine scientists. "
    "Researchers say the species had never been recorded before.",
}
PAIRS = [
    fnc.Pair(RELATED_CLAIM, 7, "agree"),
    fnc.Pair(UNRELATED_CLAIM, 7, "unrelated"),
    fnc.Pair(UNRELATED_CLAIM, 9, "discuss"),
    fnc.Pair('Octopus "never seen before", scientists, say', 9, "agree"),
]


def test_fnc_score_on_a_hand_computed_example():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree"]
    # agree right: 1.0; disagree->discuss both related: 0.25; discuss->unrelated: 0;
    # unrelated right: 0.25; unrelated->agree: 0.  Best: 1 + 1 + 1 + 0.25 + 0.25 = 3.5
    score, best = fnc.fnc_score(gold, pred)
    assert (score, best) == (1.5, 3.5)
    assert fnc.relative_fnc_score(gold, pred) == pytest.approx(100 * 1.5 / 3.5)


def test_per_class_f1_macro_f1_and_confusion_table():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree"]
    f1 = fnc.per_class_f1(gold, pred)
    # agree: tp 1, predicted 2, gold 1 -> 2/3; unrelated: tp 1, predicted 2, gold 2 -> 1/2
    assert f1 == pytest.approx({"agree": 2 / 3, "disagree": 0.0, "discuss": 0.0, "unrelated": 0.5})
    assert fnc.macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5) / 4)
    matrix = fnc.confusion(gold, pred)
    assert matrix[0] == [1, 0, 0, 0] and matrix[3] == [1, 0, 0, 1]
    table = fnc.confusion_table(gold, pred)
    assert table.splitlines()[0].split()[-4:] == list(fnc.FNC_LABELS)


def test_csv_round_trip_keeps_commas_quotes_and_newlines(tmp_path):
    fnc.write_stances(tmp_path / "s.csv", PAIRS)
    fnc.write_bodies(tmp_path / "b.csv", BODIES)
    assert fnc.read_stances(tmp_path / "s.csv") == PAIRS
    assert fnc.read_bodies(tmp_path / "b.csv") == BODIES


def test_claimtrack_stance_names_are_read_as_fnc_names(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Headline,Body ID,Stance\nA claim,3,refutes\nAnother,4,\n")
    assert fnc.read_stances(path) == [fnc.Pair("A claim", 3, "disagree"), fnc.Pair("Another", 4)]
    assert fnc.TO_CLAIMTRACK["disagree"] == "refutes"


def test_without_split_files_a_seeded_fifth_of_bodies_is_held_out(tmp_path):
    train, hold = fnc.split_bodies(tmp_path, range(100))
    assert len(hold) == 20 and not train & hold and train | hold == set(range(100))
    assert fnc.split_bodies(tmp_path, range(100)) == (train, hold)


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return get_model()


def test_the_committed_model_loads_with_a_version(model):
    assert model.version.startswith("stance-")
    assert get_model() is model


def test_an_unrelated_pair_is_unrelated(model):
    result = model.predict(UNRELATED_CLAIM, Document.parse(ARTICLE))
    assert result.label == "unrelated"
    assert result.score == pytest.approx(result.probabilities["unrelated"])


def test_a_related_pair_is_related_with_sentences_at_their_offsets(model):
    doc = Document.parse(ARTICLE)
    result = model.predict(RELATED_CLAIM, doc)
    assert result.label in {"supports", "refutes", "discusses"}
    assert result.probabilities["unrelated"] < 0.5
    assert 1 <= len(result.sentences) <= 3
    for span in result.sentences:
        assert ARTICLE[span.start : span.end] == span.text
    assert "Austin" in result.sentences[0].text


def test_probabilities_are_a_distribution(model):
    doc = Document.parse(ARTICLE)
    for result in model.predict_many([RELATED_CLAIM, UNRELATED_CLAIM, "", "?"], doc):
        assert set(result.probabilities) == set(LABELS)
        assert math.isclose(sum(result.probabilities.values()), 1.0, abs_tol=1e-6)
        assert all(0.0 <= p <= 1.0 for p in result.probabilities.values())
        assert result.score == max(result.probabilities.values())


def test_empty_article_does_not_break(model):
    result = model.predict(RELATED_CLAIM, Document.parse(""))
    assert result.label in LABELS and result.sentences == []


def test_article_features_are_computed_once_per_document(model):
    doc = Document.parse(ARTICLE)
    model.predict(RELATED_CLAIM, doc)
    state = next(iter(doc.cache.values()))
    model.predict(UNRELATED_CLAIM, doc)
    assert next(iter(doc.cache.values())) is state


def _write_inputs(tmp_path):
    stances, bodies = tmp_path / "stances.csv", tmp_path / "bodies.csv"
    fnc.write_stances(stances, PAIRS)
    fnc.write_bodies(bodies, BODIES)
    return stances, bodies


def _check_output(out, capsys):
    written = fnc.read_stances(out)
    assert [(p.headline, p.body_id) for p in written] == [(p.headline, p.body_id) for p in PAIRS]
    assert all(p.stance in fnc.FNC_LABELS for p in written)
    printed = capsys.readouterr().out
    assert "FNC score" in printed and "macro-F1" in printed and "gold \\ pred" in printed


def test_predict_stance_cli_end_to_end(tmp_path, capsys):
    try:
        from claims.engine.__main__ import main
    except ImportError:  # the matching CLI may not exist yet: drive ours directly
        parser = argparse.ArgumentParser()
        cli_stance.register(parser.add_subparsers(dest="command", required=True))

        def main(argv):
            args = parser.parse_args(argv)
            return args.func(args)

    stances, bodies = _write_inputs(tmp_path)
    out = tmp_path / "pred.csv"
    argv = ["predict-stance", "--stances", str(stances), "--bodies", str(bodies)]
    assert main([*argv, "--out", str(out)]) == 0
    _check_output(out, capsys)


def test_predict_stance_through_a_local_parser(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    cli_stance.register(parser.add_subparsers(dest="command", required=True))
    stances, bodies = _write_inputs(tmp_path)
    out = tmp_path / "pred.csv"
    args = parser.parse_args(
        ["predict-stance", "--stances", str(stances), "--bodies", str(bodies), "--out", str(out)]
    )
    assert args.func(args) == 0
    _check_output(out, capsys)


def test_calibration_error_of_perfect_confidence_is_zero():
    from claims.engine.train_stance import expected_calibration_error

    probs = np.eye(4)[[0, 1, 2, 3]]
    assert expected_calibration_error(probs, np.arange(4)) == 0.0


# --- the hand-written sanity set (tests/engine/stance_sanity.py) -------------------------

SANITY_FINAL_BAR = 0.75  # 12 of 16; the committed model gets 14, the previous one 13
SANITY_SIDED_BAR = 0.875  # 21 of 24; the committed model gets 24, the previous one 20


def _sanity_accuracy(model, cases) -> float:
    right = sum(model.predict(c.claim, Document.parse(c.article)).label == c.label for c in cases)
    return right / len(cases)


def test_the_sanity_set_is_balanced_and_in_range():
    from tests.engine.stance_sanity import CASES, DEV, FINAL

    assert len(DEV) + len(FINAL) == len(CASES) and len(FINAL) * 3 == len(CASES)
    for part in (DEV, FINAL):
        labels = [c.label for c in part]
        assert {labels.count(label) for label in LABELS} == {len(part) // 4}
    assert all(40 <= len(c.article.split()) <= 200 for c in CASES)
    assert not {c.claim for c in DEV} & {c.claim for c in FINAL}


def test_the_committed_model_gets_most_of_the_unseen_sanity_claims_right(model):
    """The final part (four claims never used for any modelling decision): 16 short
    newsroom-style articles, four of each label."""
    from tests.engine.stance_sanity import FINAL

    assert _sanity_accuracy(model, FINAL) >= SANITY_FINAL_BAR


def test_the_committed_model_takes_sides_on_short_clean_articles(model):
    """Short articles that plainly confirm or deny a claim must not all come out as
    'discusses' (the failure that led to the sanity set)."""
    from tests.engine.stance_sanity import CASES

    sided = [c for c in CASES if c.label in {"supports", "refutes"}]
    assert _sanity_accuracy(model, sided) >= SANITY_SIDED_BAR


def test_fnc_holdout_keeps_the_pairs_of_the_held_out_bodies(tmp_path, capsys):
    from claims.engine.__main__ import main

    (tmp_path / "splits").mkdir()
    (tmp_path / "splits" / "hold_out_ids.txt").write_text("2\n")
    fnc.write_stances(
        tmp_path / "train_stances.csv",
        [fnc.Pair("Claim one", 1, "agree"), fnc.Pair("Claim two", 2, "discuss")],
    )
    assert main(["fnc-holdout", "--data", str(tmp_path), "--out", str(tmp_path / "h.csv")]) == 0
    assert [(p.headline, p.body_id) for p in fnc.read_stances(tmp_path / "h.csv")] == [
        ("Claim two", 2)
    ]


def test_training_on_a_folder_without_splits_gives_a_loadable_model(tmp_path, capsys):
    """What `manage.py export_stance_pairs` writes (no splits folder) trains with the
    same command, and the artifact it writes is used by the same model class."""
    import warnings

    from claims.engine.__main__ import main
    from claims.engine.document import Document
    from claims.engine.stance import StanceModel
    from tests.engine.stance_sanity import CASES

    fnc.write_stances(
        tmp_path / "train_stances.csv",
        [fnc.Pair(c.claim, i, fnc.TO_FNC[c.label]) for i, c in enumerate(CASES)],
    )
    fnc.write_bodies(tmp_path / "train_bodies.csv", {i: c.article for i, c in enumerate(CASES)})
    out = tmp_path / "model" / "stance"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny data: scikit-learn clips its batch size
        assert (
            main(["train-stance", "--data", str(tmp_path), "--out", str(out), "--members", "1"])
            == 0
        )
    model = StanceModel.load(out)
    result = model.predict(CASES[0].claim, Document.parse(CASES[0].article))
    assert result.label in {"supports", "refutes", "discusses", "unrelated"}
    assert abs(sum(result.probabilities.values()) - 1) < 1e-6
    assert model.version != StanceModel.load().version


@pytest.mark.parametrize("n_classes", [2, 3])
def test_exported_trees_reproduce_the_boosted_model(n_classes):
    """The numpy evaluator of stance_trees gives scikit-learn's decision function on rows
    the trees were not fitted on, missing values included."""
    ensemble = pytest.importorskip("sklearn.ensemble")
    from claims.engine import stance_trees

    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 5))
    x[rng.random(x.shape) < 0.05] = np.nan
    filled = np.nan_to_num(x)
    y = (filled[:, 0] + filled[:, 1] > 0).astype(int)
    if n_classes == 3:
        y = y + (filled[:, 2] > 0.8)
    clf = ensemble.HistGradientBoostingClassifier(max_iter=25, max_leaf_nodes=7, random_state=0)
    clf.fit(x[:350], y[:350])
    trees = stance_trees.export(clf)
    expected = clf.decision_function(x[350:]).reshape(150, -1)
    assert np.allclose(stance_trees.raw_scores(trees, x[350:]), expected, atol=1e-6, rtol=0)
    assert np.allclose(stance_trees.raw_scores(trees, x[350]), expected[0], atol=1e-6, rtol=0)
    log_p = stance_trees.log_probs(trees, x[350:])
    assert np.allclose(np.exp(log_p), clf.predict_proba(x[350:]), atol=1e-6)
