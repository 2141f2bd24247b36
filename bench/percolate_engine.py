"""Engine-only percolation benchmark: index N synthetic claims, match articles against
them, and compare with brute force. Prints one JSON object.

    .venv/bin/python bench/percolate_engine.py --claims 100000 --articles 50
"""

import os

# One core, as the target says; also avoids BLAS threads spinning on a shared machine.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from claims.engine.document import Document  # noqa: E402
from claims.engine.index import DEFAULT_MIN_SCORE, ClaimIndex  # noqa: E402


def _current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument(
        "--bruteforce", type=int, default=10, help="articles checked by brute force"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--adds", type=int, default=5000, help="single upserts timed after")
    args = parser.parse_args(argv)

    texts = synthetic.claims(args.claims, seed=args.seed)
    step = max(1, len(texts) // 1000)
    sample = texts[::step]
    made = synthetic.articles(args.articles, seed=args.seed + 1, about=sample)
    docs = [Document.parse(a.text) for a in made]

    started = time.perf_counter()
    index = ClaimIndex()
    index.upsert_many(enumerate(texts))
    build_s = time.perf_counter() - started
    n_claims = len(index)
    del texts, sample
    gc.collect()

    index.match(docs[0], top=args.top)  # warm-up
    times, results = [], []
    for doc in docs:
        t = time.perf_counter()
        results.append(index.match(doc, top=args.top, min_score=0.0))
        times.append((time.perf_counter() - t) * 1000)

    brute_times, overlap, total, sure, sure_found = [], 0, 0, 0, 0
    for doc, found in list(zip(docs, results, strict=True))[: args.bruteforce]:
        t = time.perf_counter()
        exact = index.match_bruteforce(doc, top=args.top, min_score=0.0)
        brute_times.append((time.perf_counter() - t) * 1000)
        overlap += len({m.claim_id for m in exact} & {m.claim_id for m in found})
        total += len(exact)
        confident = {m.claim_id for m in exact if m.score >= DEFAULT_MIN_SCORE}
        sure += len(confident)
        sure_found += len(confident & {m.claim_id for m in found})

    # Single adds after the bulk load (amortised: includes the merges they trigger), then
    # the same articles again with those rows in the delta.
    extra = synthetic.claims(args.adds, seed=args.seed + 2)
    t = time.perf_counter()
    for i, text in enumerate(extra):
        index.upsert(10**9 + i, text)
    upsert_ms = (time.perf_counter() - t) * 1000 / max(1, len(extra))
    delta_times = []
    for doc in docs[:10]:
        t = time.perf_counter()
        index.match(doc, top=args.top, min_score=0.0)
        delta_times.append((time.perf_counter() - t) * 1000)

    wanted = [{i * step for i in a.about} for a in made]
    found_about = sum(
        len(w & {m.claim_id for m in r}) for w, r in zip(wanted, results, strict=True)
    )
    times.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "claims": n_claims,
                "build_s": round(build_s, 2),
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                "bruteforce_median_ms": round(statistics.median(brute_times), 1)
                if brute_times
                else None,
                "recall_vs_bruteforce": round(overlap / total, 4) if total else None,
                "recall_vs_bruteforce_above_threshold": round(sure_found / sure, 4)
                if sure
                else None,
                "upsert_ms": round(upsert_ms, 3),
                "median_ms_after_adds": round(statistics.median(delta_times), 2),
                "rss_mb": round(_current_rss_mb(), 1),
                "peak_rss_mb": round(peak_mb, 1),
                "paraphrased_claims_found": round(found_about / sum(map(len, wanted)), 4),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
