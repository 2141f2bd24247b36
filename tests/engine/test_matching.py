"""The claim percolator (claims.engine.index), CheckThat! files and metrics, and the rank
command, on small fixtures written here."""

import argparse
import ast
import json
import random
from pathlib import Path

import pytest

from claims.engine import checkthat, cli_match
from claims.engine.document import Document
from claims.engine.index import ClaimIndex

ENGINE = Path(__file__).resolve().parents[2] / "claims" / "engine"

CLAIMS = {
    1: "The city council of Springfield banned plastic bags in all grocery stores.",
    2: "A video shows a shark swimming on a flooded highway in Houston after the hurricane.",
    3: "Drinking hot water with lemon cures the flu within two days.",
    4: "The government will give every citizen 1,000 dollars in March 2021.",
    5: "Pope Francis endorsed Donald Trump for president.",
    6: "Scientists found that eating chocolate daily improves memory in older adults.",
}

ARTICLE = (
    "Storm season brings rumours.\n\n"
    "After the hurricane hit, residents shared many pictures online. "
    "One viral video claims a shark was swimming on a flooded highway in Houston. "
    "Experts say the clip has circulated after every major storm since 2011. "
    "Local officials asked people to check sources before sharing."
)


def make_index(claims=CLAIMS) -> ClaimIndex:
    index = ClaimIndex()
    index.upsert_many(claims.items())
    return index


def test_an_article_about_a_claim_ranks_it_first_with_the_sentence_that_matched():
    index = make_index()
    doc = Document.parse(ARTICLE)
    matches = index.match(doc, top=5, min_score=0.0)
    assert matches[0].claim_id == 2
    assert matches[0].score > 0.5
    assert all(matches[0].score >= m.score for m in matches)
    best = matches[0].sentences[0]
    assert "shark was swimming" in best.text
    for match in matches:
        for span in match.sentences:
            assert ARTICLE[span.start : span.end] == span.text


def test_default_threshold_keeps_only_the_claim_the_article_is_about():
    matches = make_index().match(Document.parse(ARTICLE))
    assert [m.claim_id for m in matches] == [2]


def test_upsert_remove_and_reupsert_change_results():
    index = make_index()
    doc = Document.parse(ARTICLE)
    index.remove(2)
    assert 2 not in index and len(index) == len(CLAIMS) - 1
    assert 2 not in {m.claim_id for m in index.match(doc, min_score=0.0)}
    index.upsert(2, "Viral video: a shark swimming on a flooded highway in Houston.")
    assert 2 in index
    assert index.match(doc)[0].claim_id == 2
    index.upsert(2, "The moon landing was staged in a studio.")  # replaced text
    assert 2 not in {m.claim_id for m in index.match(doc)}
    with pytest.raises(KeyError):
        index.remove(99)


def test_a_claim_added_after_the_index_was_built_is_found_at_once():
    rng = random.Random(3)  # noqa: S311
    words = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
    filler = {i: " ".join(rng.choice(words) for _ in range(10)) for i in range(100, 2300)}
    index = make_index({**CLAIMS, **filler})  # large enough to have a merged index
    index.upsert(77, "Crocodiles were spotted in the reservoir of Lake Wobegon on Sunday.")
    doc = Document.parse("Reports said crocodiles were spotted in the Lake Wobegon reservoir.")
    assert index.match(doc)[0].claim_id == 77
    assert index.rank("crocodiles spotted Lake Wobegon reservoir")[0].claim_id == 77


def test_rank_cleans_short_texts():
    index = make_index()
    tweet = "OMG #PopeFrancis endorsed @realDonaldTrump for president!! https://t.co/xyz 😱"
    ranked = index.rank(tweet, top=3)
    assert ranked[0].claim_id == 5 and ranked[0].sentences == []


def _random_corpus(seed: int, n: int):
    rng = random.Random(seed)  # noqa: S311
    vocab = [f"w{i}" for i in range(300)] + [f"Name{i}" for i in range(50)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    claims = {i: " ".join(rng.choices(vocab, weights, k=rng.randint(8, 20))) for i in range(n)}
    sentences = [" ".join(rng.choices(vocab, weights, k=15)) + "." for _ in range(30)]
    for i in rng.sample(range(n), 3):
        sentences.insert(rng.randrange(len(sentences)), claims[i] + ".")
    return claims, " ".join(sentences)


@pytest.mark.parametrize("seed", [1, 2])
def test_index_and_brute_force_agree(seed):
    claims, article = _random_corpus(seed, 3000)
    index = ClaimIndex()
    index.upsert_many(list(claims.items())[:2500])
    for claim_id, text in list(claims.items())[2500:]:  # some rows only in the delta
        index.upsert(claim_id, text)
    for claim_id in range(0, 3000, 97):
        if claim_id in index:
            index.remove(claim_id)
    doc = Document.parse(article)
    fast = index.match(doc, top=10, min_score=0.0)
    exact = index.match_bruteforce(doc, top=10, min_score=0.0)
    assert [m.claim_id for m in fast[:3]] == [m.claim_id for m in exact[:3]]
    overlap = {m.claim_id for m in fast} & {m.claim_id for m in exact}
    assert len(overlap) >= 9
    for a, b in zip(fast, exact, strict=False):
        if a.claim_id == b.claim_id:
            assert a.score == pytest.approx(b.score, rel=1e-5)


def test_merging_and_compaction_keep_ids_and_results():
    index = ClaimIndex()
    for i in range(3000):
        index.upsert(i, f"claim number {i} about topic{i % 50} and subject{i % 7}")
    for i in range(0, 3000, 2):
        index.remove(i)
    assert len(index) == 1500
    ranked = index.rank("claim number 1234 topic34 subject2", top=1)
    assert ranked == [] or ranked[0].claim_id != 1234  # removed
    ranked = index.rank("claim number 1235 topic35 subject3", top=1)
    assert ranked[0].claim_id == 1235


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def checkthat_files(tmp_path):
    claims = [
        {"vclaim_id": "c-shark", "vclaim": CLAIMS[2], "title": "Hurricane Shark"},
        {"vclaim_id": "c-pope", "vclaim": CLAIMS[5], "title": "Pope Endorses Trump?"},
        {"id": "c-lemon", "text": CLAIMS[3]},
        {"vclaim_id": "c-bags", "vclaim": CLAIMS[1], "subtitle": "Plastic bag ban"},
    ]
    return {
        "claims": _write(tmp_path / "c.jsonl", "\n".join(json.dumps(c) for c in claims) + "\n"),
        "queries": _write(
            tmp_path / "q.tsv",
            "tweet_id\ttweet_text\n"
            "q1\tWow a shark on the highway in Houston after the hurricane #flood\n"
            "q2\tThe pope just endorsed Trump? https://t.co/abc\n"
            "q3\tlemon water cures flu, share!\n",
        ),
        "qrels": _write(tmp_path / "qrels.tsv", "q1\t0\tc-shark\t1\nq2\t0\tc-pope\t1\n"),
    }


def test_readers(checkthat_files):
    claims = checkthat.read_claims(checkthat_files["claims"])
    assert [c.id for c in claims] == ["c-shark", "c-pope", "c-lemon", "c-bags"]
    assert claims[0].extra == "Hurricane Shark" and claims[2].extra == ""
    assert claims[3].extra == "Plastic bag ban"
    queries = checkthat.read_queries(checkthat_files["queries"])
    assert list(queries) == ["q1", "q2", "q3"]  # header skipped
    assert checkthat.read_qrels(checkthat_files["qrels"]) == {"q1": {"c-shark"}, "q2": {"c-pope"}}


def test_metrics_by_hand():
    qrels = {"a": {"x"}, "b": {"y"}, "c": {"z"}, "d": {"u", "v"}}
    run = {
        "a": ["x", "p", "q"],  # AP@5 = 1
        "b": ["p", "q", "y"],  # AP@5 = 1/3
        "c": ["p", "q", "r", "s", "t", "z"],  # outside the top 5: 0; RR = 1/6
        "d": ["u", "p", "v"],  # (1/1 + 2/3) / 2 = 5/6
    }
    scores = checkthat.evaluate(run, qrels)
    assert scores["MAP@5"] == pytest.approx((1 + 1 / 3 + 0 + 5 / 6) / 4)
    # d at k=1: one hit over min(k, |relevant|) = 1 possible
    assert scores["MAP@1"] == pytest.approx((1 + 0 + 0 + 1) / 4)
    assert scores["MRR"] == pytest.approx((1 + 1 / 3 + 1 / 6 + 1) / 4)


def test_run_writer(tmp_path):
    path = tmp_path / "run.tsv"
    checkthat.write_run(path, {"q1": [("c1", 0.9), ("c2", 0.1)]}, "tag")
    lines = path.read_text().splitlines()
    assert lines[0].split("\t") == ["q1", "Q0", "c1", "1", "0.900000", "tag"]
    assert lines[1].split("\t")[3] == "2"


def test_rank_command_end_to_end(checkthat_files, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    cli_match.register(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "run.tsv"
    args = parser.parse_args(
        [
            "rank",
            "--claims", str(checkthat_files["claims"]),
            "--queries", str(checkthat_files["queries"]),
            "--qrels", str(checkthat_files["qrels"]),
            "--top", "3",
            "--out", str(out),
            "--tag", "t",
        ]
    )  # fmt: skip
    assert args.func(args) == 0
    run = {}
    for line in out.read_text().splitlines():
        query, _, claim, _rank, _, tag = line.split("\t")
        assert tag == "t"
        run.setdefault(query, []).append(claim)
    assert set(run) == {"q1", "q2"}  # only the queries the qrels name
    assert run["q1"][0] == "c-shark" and run["q2"][0] == "c-pope"
    assert "MAP@5=1.0000" in capsys.readouterr().out


def test_the_matching_engine_imports_nothing_from_django_or_the_project():
    for name in ("index.py", "scoring.py", "checkthat.py", "cli_match.py", "train_match.py"):
        tree = ast.parse((ENGINE / name).read_text())
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            for module in modules:
                top = module.split(".")[0]
                assert top != "django", (name, module)
                if top == "claims":
                    assert module.startswith("claims.engine"), (name, module)


def test_a_newsroom_with_a_single_claim_still_matches_articles_about_it():
    index = ClaimIndex()
    index.upsert(7, "The city council will approve the new tram line before the summer.")
    about = Document.parse(
        "Councillors voted on Tuesday to approve the new tram line.\n\n"
        "The city council approved the plan before the summer recess, as promised."
    )
    elsewhere = Document.parse("Heavy rain is expected across the north this weekend.")
    assert [m.claim_id for m in index.match(about, top=5)] == [7]
    assert index.match(elsewhere, top=5) == []
