"""`rank`: rank tracked claims for each query text and write a TREC run (CheckThat! task
2A style); `train-match`: retrain the matching model."""

import argparse
import sys
import time
from pathlib import Path

from claims.engine import checkthat
from claims.engine.index import ClaimIndex


def register(subparsers) -> None:
    rank = subparsers.add_parser("rank", help="rank claims for query texts (TREC run)")
    rank.add_argument("--claims", required=True, help="claims, JSON lines")
    rank.add_argument("--queries", required=True, help="queries, TSV id<TAB>text")
    rank.add_argument("--top", type=int, default=20)
    rank.add_argument("--out", required=True, help="TREC run to write")
    rank.add_argument("--qrels", help="evaluate on the queries these qrels name")
    rank.add_argument("--tag", default="claimtrack")
    rank.set_defaults(func=run_rank)

    train = subparsers.add_parser("train-match", help="retrain models/match.json")
    train.add_argument("--data", required=True, help="the checkthat2022-2a directory")
    train.add_argument("--out", help="where to write the model (default: the packaged one)")
    train.set_defaults(func=run_train)


def run_rank(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    claims = checkthat.read_claims(args.claims)
    queries = checkthat.read_queries(args.queries)
    qrels = checkthat.read_qrels(args.qrels) if args.qrels else None
    if qrels is not None:  # the queries file may hold several splits
        queries = {q: t for q, t in queries.items() if q in qrels}
    index = ClaimIndex()
    index.upsert_many((i, c.text, c.extra) for i, c in enumerate(claims))
    built = time.perf_counter()
    run = {}
    for qid, text in queries.items():
        run[qid] = [(claims[m.claim_id].id, m.score) for m in index.rank(text, top=args.top)]
    checkthat.write_run(args.out, run, args.tag)
    print(
        f"{len(claims)} claims indexed in {built - started:.1f}s; "
        f"{len(queries)} queries ranked in {time.perf_counter() - built:.1f}s; run: {args.out}",
        file=sys.stderr,
    )
    if qrels is not None:
        scores = checkthat.evaluate({q: [c for c, _ in r] for q, r in run.items()}, qrels)
        print(
            f"MAP@5={scores['MAP@5']:.4f} MAP@1={scores['MAP@1']:.4f} "
            f"MRR={scores['MRR']:.4f} queries={scores['queries']}"
        )
    return 0


def run_train(args: argparse.Namespace) -> int:
    from claims.engine import train_match  # scikit-learn is needed only here

    kwargs = {"out": Path(args.out)} if args.out else {}
    train_match.train(Path(args.data), **kwargs)
    return 0
