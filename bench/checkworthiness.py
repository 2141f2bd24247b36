"""Check-worthiness scoring speed: milliseconds to score every sentence of a 2,000-word
article on one core, after the model is loaded. Prints one JSON object.

    .venv/bin/python bench/checkworthiness.py --articles 50

Articles are synthetic news-like text (bench/synthetic.py: common words at news
frequencies, names and numbers), about 2,000 words each, split into sentences the way the
engine splits articles. `load_ms` is reading the artifact; `first_article_ms` the first
article scored (cold caches), left out of the median and percentiles.
"""

import os

# One core, as the target says; also avoids BLAS threads spinning on a shared machine.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from claims.engine import checkworthiness  # noqa: E402
from claims.engine.text import split_sentences  # noqa: E402


def article_texts(n: int, words: int, seed: int) -> list[str]:
    """n texts of about `words` words, each made of consecutive synthetic articles."""
    pieces = iter(synthetic.articles(n * (words // 700 + 2), seed=seed))
    out = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            text = next(pieces).text
            parts.append(text)
            count += len(text.split())
        out.append(" ".join(" ".join(parts).split()[:words]) + ".")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--model", default=None, help="artifact path without extension")
    args = parser.parse_args(argv)

    texts = article_texts(args.articles, args.words, args.seed)
    sentences = [[s.text for s in split_sentences(t)] for t in texts]

    started = time.perf_counter()
    if args.model:
        model = checkworthiness.CheckWorthinessModel.load(args.model)
    else:
        model = checkworthiness.get_model()
    load_ms = 1000 * (time.perf_counter() - started)
    t0 = time.perf_counter()
    model.score_sentences(sentences[0])  # cold: the stem cache fills on first sight of words
    first_ms = 1000 * (time.perf_counter() - t0)

    timings, per_sentence = [], []
    for article in sentences:
        t0 = time.perf_counter()
        scores = model.score_sentences(article)
        elapsed = 1000 * (time.perf_counter() - t0)
        if len(scores) != len(article):
            raise SystemExit("one score per sentence expected")
        timings.append(elapsed)
        per_sentence.append(elapsed / max(len(article), 1))
    timings.sort()
    print(
        json.dumps(
            {
                "model": model.version,
                "articles": len(texts),
                "words_per_article": args.words,
                "sentences_per_article": round(statistics.mean(map(len, sentences)), 1),
                "load_ms": round(load_ms, 1),
                "first_article_ms": round(first_ms, 2),
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
                "max_ms": round(timings[-1], 2),
                "median_ms_per_sentence": round(statistics.median(per_sentence), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
