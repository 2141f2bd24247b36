"""The check-worthiness scorer: committed model, metrics, debate files and the CLI.

No database and no data from outside the repository: the debate files are written here.
Speed is measured by bench/checkworthiness.py, not asserted.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claims.engine import checkworthiness
from claims.engine.checkworthiness import CheckWorthinessModel, get_model
from claims.engine.train_checkworthiness import (
    Config,
    average_precision,
    fold_of,
    precision_at,
    r_precision,
    read_debate,
    read_debates,
)

ROOT = Path(__file__).resolve().parents[2]

WORTH_CHECKING = [
    "Unemployment fell to 3.9 percent last year, the lowest rate since 2000.",
    "The plan would add $1.2 trillion to the federal deficit over ten years.",
    "According to the Census Bureau, 14 million Americans have no health insurance.",
    "Crime in Chicago has doubled since 2015.",
    "The company said it will cut 4,000 jobs in Ohio by 2025.",
]
NOT_WORTH_CHECKING = [
    "Good evening and welcome to tonight's debate.",
    "Thank you very much.",
    "What do you think about that?",
    "I love this country.",
    "Let's move on to the next question.",
]


@pytest.fixture(scope="module")
def model() -> CheckWorthinessModel:
    return get_model()


def test_the_committed_model_loads_with_a_version(model):
    assert model.version.startswith("checkworthiness-")
    assert checkworthiness.version() == model.version
    assert model.meta["cross_validation"]["mean"]["ap"] > 0.13


def test_scores_are_probabilities_one_per_sentence(model):
    sentences = WORTH_CHECKING + NOT_WORTH_CHECKING
    scores = checkworthiness.score_sentences(sentences)
    assert len(scores) == len(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert checkworthiness.score_sentences([]) == []


def test_a_numeric_factual_claim_scores_above_a_greeting(model):
    claim, greeting = model.score_sentences(
        ["Unemployment fell to 3.9 percent last year, the lowest rate since 2000.",
         "Good evening and welcome to tonight's debate."]
    )  # fmt: skip
    assert claim > greeting


def test_claims_rank_above_chatter_when_scored_alone(model):
    worth = [model.score_sentences([s])[0] for s in WORTH_CHECKING]
    chatter = [model.score_sentences([s])[0] for s in NOT_WORTH_CHECKING]
    assert min(worth) > max(chatter)


def test_claims_rank_above_chatter_inside_one_text(model):
    sentences = [s for pair in zip(NOT_WORTH_CHECKING, WORTH_CHECKING, strict=True) for s in pair]
    scores = np.array(model.score_sentences(sentences))
    labels = np.array([s in WORTH_CHECKING for s in sentences], dtype=int)
    assert average_precision(labels, scores) == 1.0


def test_scoring_is_deterministic_and_independent_of_earlier_calls(model):
    sentences = WORTH_CHECKING + NOT_WORTH_CHECKING
    first = model.score_sentences(sentences)
    model.score_sentences(["Something else entirely, 42 times."])
    assert model.score_sentences(sentences) == first
    assert CheckWorthinessModel.load().score_sentences(sentences) == first


def test_neighbours_are_context(model):
    alone = model.score_sentences(["He approved it."])[0]
    after_claim = model.score_sentences(
        ["NAFTA cost this country 700,000 manufacturing jobs.", "He approved it."]
    )[1]
    assert alone != after_claim


def test_odd_input_does_not_break(model):
    odd = [
        "",
        "   ",
        "?!",
        "...",
        "é" * 50,
        "1 2 3 4 5 6 7 8 9 10",
        "word " * 400,
        "\u201cQuoted.\u201d",
    ]
    scores = model.score_sentences(odd)
    assert len(scores) == len(odd) and all(0.0 <= s <= 1.0 for s in scores)


def test_inference_needs_neither_scikit_learn_nor_django():
    code = (
        "import sys\n"
        "from claims.engine.checkworthiness import score_sentences\n"
        "score_sentences(['Taxes rose by 4 percent in 2019.', 'Thanks.'])\n"
        "print(sorted(m for m in ('sklearn', 'django') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_an_artifact_of_another_feature_set_is_refused(tmp_path, model):
    meta = dict(model.meta, feature_set="cw-0")
    with pytest.raises(ValueError, match="feature set"):
        CheckWorthinessModel(meta, {})


# --- metrics ---------------------------------------------------------------------------


def test_average_precision_on_a_hand_computed_ranking():
    labels = [1, 0, 1, 0, 0, 1]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.1]
    # hits at ranks 1, 3 and 6: (1/1 + 2/3 + 3/6) / 3
    assert average_precision(labels, scores) == pytest.approx((1 + 2 / 3 + 0.5) / 3)
    assert r_precision(labels, scores) == pytest.approx(2 / 3)
    assert precision_at(labels, scores, 10) == pytest.approx(0.3)
    assert average_precision([0, 0], [0.2, 0.1]) == 0.0


def test_ties_keep_the_order_of_the_text():
    assert average_precision([0, 1], [0.5, 0.5]) == 0.5
    assert average_precision([1, 0], [0.5, 0.5]) == 1.0


def test_grouped_folds_keep_debates_whole_and_balance_sizes():
    class D:
        def __init__(self, n):
            self.sentences = [""] * n

    debates = [D(n) for n in (100, 90, 50, 40, 10)]
    assert fold_of(debates, 0) == [0, 1, 2, 3, 4]  # leave one debate out
    groups = fold_of(debates, 2)
    sizes = [
        sum(len(d.sentences) for d, g in zip(debates, groups, strict=True) if g == k)
        for k in (0, 1)
    ]
    assert sorted(sizes) == [140, 150]


# --- debate files and the CLI ----------------------------------------------------------

_CLAIMS = [
    "We lost {n} thousand factory jobs in {state} since {year}.",
    "Taxes went up {n} percent under the governor in {year}.",
    "The deficit is ${n} billion this year, the highest since {year}.",
    "{state} spent {n} million dollars on the new prison in {year}.",
]
_CHATTER = [
    "Thank you, {name}.",
    "Good evening, everyone.",
    "Let me just say this.",
    "What would you do about it?",
    "I think that is very important.",
    "Please, let her finish.",
]


def _write_debates(folder: Path, count: int = 4, labelled: bool = True) -> list[Path]:
    """Small debates in the CheckThat! 2019 format, claims labelled 1, chatter 0."""
    rng = np.random.default_rng(5)
    folder.mkdir(parents=True, exist_ok=True)
    states = ["Ohio", "Texas", "Iowa", "Maine"]
    paths = []
    for d in range(count):
        rows = []
        for line in range(1, 41):
            is_claim = rng.random() < 0.25
            template = _CLAIMS if is_claim else _CHATTER
            text = str(rng.choice(template)).format(
                n=int(rng.integers(2, 90)),
                state=states[int(rng.integers(0, 4))],
                year=int(rng.integers(1990, 2019)),
                name="Lester",
            )
            speaker = "MODERATOR" if not is_claim and rng.random() < 0.5 else "SMITH"
            cells = [str(line), speaker, text] + ([str(int(is_claim))] if labelled else [])
            rows.append("\t".join(cells))
        path = folder / f"2019010{d}_debate.tsv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_debate_file_is_read_with_its_labels(tmp_path):
    (path,) = _write_debates(tmp_path, count=1)
    debate = read_debate(path)
    assert len(debate.sentences) == len(debate.lines) == len(debate.labels) == 40
    assert debate.lines[0] == "1" and debate.positives == int(debate.labels.sum()) > 0
    mixed = tmp_path / "mixed.tsv"
    mixed.write_text("1\tA\tOne.\t1\n2\tA\tTwo.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="some lines have a label"):
        read_debate(mixed)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"no \.tsv"):
        read_debates(tmp_path / "empty")


def _rank(tmp_path) -> int:
    from claims.engine.__main__ import main

    return main(["rank-sentences", "--debates", f"{tmp_path}/debates", "--out", f"{tmp_path}/out"])


def test_rank_sentences_writes_line_and_score_for_every_file(tmp_path, capsys):
    paths = _write_debates(tmp_path / "debates", count=2, labelled=False)
    assert _rank(tmp_path) == 0
    for path in paths:
        written = (tmp_path / "out" / path.name).read_text(encoding="utf-8").splitlines()
        assert len(written) == 40
        for k, row in enumerate(written, 1):
            line, score = row.split("\t")
            assert line == str(k) and 0.0 <= float(score) <= 1.0
    assert "2 files, 80 sentences" in capsys.readouterr().out


def test_rank_sentences_reports_figures_when_labels_are_given(tmp_path, capsys):
    _write_debates(tmp_path / "debates", count=2)
    assert _rank(tmp_path) == 0
    out = capsys.readouterr().out
    assert "mean over debates" in out and "AP" in out
    mean_ap = float(out.split("mean over debates")[1].split()[0])
    assert mean_ap > 0.9  # numbers and names against thanks and questions


def test_rank_sentences_refuses_a_folder_without_debates(tmp_path, capsys):
    from claims.engine.__main__ import main

    (tmp_path / "empty").mkdir()
    assert (
        main(["rank-sentences", "--debates", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
        == 2
    )


def test_training_writes_an_artifact_that_scores_like_the_fitted_model(tmp_path, capsys):
    pytest.importorskip("sklearn")
    from claims.engine.__main__ import main
    from claims.engine.train_checkworthiness import Analyses, fit

    _write_debates(tmp_path / "debates", count=4)
    out = tmp_path / "model"
    assert (
        main(["train-checkworthiness", "--data", str(tmp_path / "debates"), "--out", f"{out}/"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "mean over debates" in printed and "wrote" in printed

    trained = CheckWorthinessModel.load(out)
    meta = json.loads((out / "checkworthiness.json").read_text(encoding="utf-8"))
    assert set(meta["cross_validation"]["per_debate"]) == {
        p.name for p in (tmp_path / "debates").iterdir()
    }
    assert trained.version == meta["version"] and trained.version != get_model().version
    assert not list(out.glob("*.pkl"))

    debates = read_debates(tmp_path / "debates")
    memo = Analyses(debates)
    fitted = fit(memo.of(Config().settings()), [d.labels for d in debates], Config())
    for debate, analyses in zip(debates, memo.of(Config().settings()), strict=True):
        expected = fitted.logits(analyses)
        np.testing.assert_allclose(trained.logits(debate.sentences), expected, atol=1e-4)


def test_evaluate_prints_cross_validated_figures(tmp_path, capsys):
    pytest.importorskip("sklearn")
    from claims.engine.__main__ import main

    _write_debates(tmp_path / "debates", count=3)
    assert (
        main(["evaluate-checkworthiness", "--data", str(tmp_path / "debates"), "--folds", "3"]) == 0
    )
    out = capsys.readouterr().out
    assert out.count("_debate.tsv") == 3 and "mean over debates" in out
    assert not (tmp_path / "debates" / "checkworthiness.json").exists()
