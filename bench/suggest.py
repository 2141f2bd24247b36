"""Claim suggestion benchmark: milliseconds per 2,000-word article on one core, with the
default check-worthiness scorer (the trained model when it is there), without and with a
ClaimIndex of synthetic tracked claims for the duplicate check. Prints one JSON object.

    .venv/bin/python bench/suggest.py --articles 30 --claims 10000

The articles are generated from news-like templates (attributions before, after and
around the statement, "according to", relays, anonymous sources, plain sentences), so
every path of the attribution reader is exercised.
"""

import os

# One core, as the target says; also avoids BLAS threads spinning on a shared machine.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from claims.engine import suggest  # noqa: E402
from claims.engine.index import ClaimIndex  # noqa: E402

COMPANIES = ["Corvid", "Quill Labs", "Halden Systems", "Brightwave AI", "Meta", "Nimbus Corp"]
PEOPLE = ["Priya Raman", "Tomas Berg", "Ines Wolff", "Dana Whitfield", "Oleg Marsh"]
OUTLETS = ["the Financial Times", "Reuters", "The Information", "Bloomberg", "the Morning Post"]
GROUPS = [
    "two people familiar with the plans",
    "three sources close to the company",
    "a person briefed on the talks",
    "people familiar with the matter",
]
THINGS = [
    "a coding model",
    "a second chip",
    "a cheaper subscription",
    "a data centre in Norway",
    "an open licence",
    "a robot for warehouses",
]
TEMPLATES = [
    "{person}, the chief executive of {company}, said that {company} will launch {thing} "
    "in {month}.",
    "{company} plans to spend {n} million dollars on {thing}, according to {outlet}.",
    "According to {outlet}, {company} is working on {thing} that could ship next year.",
    "{outlet}, citing {group}, reports that {company} wants to sell {thing} to carmakers.",
    "The project is said to cost about {n} million dollars.",
    '"We expect {thing} to be ready by {month}," {person} told reporters in Oslo.',
    "{company} will, {person} said, double its staff in {month}.",
    "Sales of {thing} rose {n} percent last quarter, {company} said in a statement.",
    "The market for {thing} has grown quickly over the past decade.",
    "Analysts have long argued about the value of {thing} for smaller firms.",
    "{person} joined {company} in 20{yy} after a decade at a rival.",
    "She added that the company may raise prices for {thing} later this year.",
    "Pricing is still undecided, says {group}.",
    "It is unclear whether regulators will look at the deal before {month}.",
    "{company} reportedly held talks with {company2} about {thing}.",
    "Thanks for reading.",
]
MONTHS = ["March", "May", "July", "September", "October", "December"]


def article(rng: random.Random, words: int = 2000) -> str:
    sentences, count = [], 0
    while count < words:
        company, company2 = rng.sample(COMPANIES, 2)
        sentence = rng.choice(TEMPLATES).format(
            person=rng.choice(PEOPLE),
            company=company,
            company2=company2,
            outlet=rng.choice(OUTLETS),
            group=rng.choice(GROUPS),
            thing=rng.choice(THINGS),
            month=rng.choice(MONTHS),
            n=rng.randint(2, 900),
            yy=rng.randint(10, 23),
        )
        sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += len(sentence.split())
        if rng.random() < 0.25:
            sentences.append("\n")
    return " ".join(sentences).replace(" \n ", "\n")


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=10_000, help="tracked claims indexed")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    texts = [article(rng, args.words) for _ in range(args.articles)]
    words = statistics.mean(len(t.split()) for t in texts)
    scorer, scorer_name = suggest.default_scorer()
    suggest.suggest_claims(texts[0], scorer=scorer)  # warm-up: loads the model

    split = [[s.text for s in suggest.article_sentences(t)] for t in texts]
    scoring = [_ms(lambda sentences=sentences: scorer(sentences)) for sentences in split]
    plain, found = [], []
    for text in texts:
        started = time.perf_counter()
        found.append(suggest.suggest_claims(text, scorer=scorer))
        plain.append((time.perf_counter() - started) * 1000)

    index = ClaimIndex()
    claims = synthetic.claims(args.claims, seed=args.seed)
    index.upsert_many(enumerate(claims))
    suggest.suggest_claims(texts[0], scorer=scorer, index=index)
    indexed = [
        _ms(lambda t=t: suggest.suggest_claims(t, scorer=scorer, index=index)) for t in texts
    ]

    per_2000 = 2000 / words
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words_per_article": round(words),
                "sentences_per_article": round(statistics.mean(len(x) for x in split)),
                "suggestions_per_article": round(statistics.mean(len(f) for f in found), 1),
                "attributed_share": round(
                    sum(s.speaker is not None for f in found for s in f)
                    / max(1, sum(len(f) for f in found)),
                    3,
                ),
                "scorer": scorer_name,
                "scoring_median_ms": round(statistics.median(scoring), 1),
                "median_ms": round(statistics.median(plain), 1),
                "p95_ms": round(sorted(plain)[int(0.95 * (len(plain) - 1))], 1),
                "ms_per_2000_words": round(statistics.median(plain) * per_2000, 1),
                "tracked_claims": len(index),
                "with_index_median_ms": round(statistics.median(indexed), 1),
                "with_index_ms_per_2000_words": round(statistics.median(indexed) * per_2000, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
