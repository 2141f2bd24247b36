"""`suggest`: the claims a plain-text article offers, as JSON lines, best first."""

import argparse
import json
import sys
from pathlib import Path

from claims.engine import suggest

# The fields printed for each suggestion, in this order.
FIELDS = (
    "quote",
    "start",
    "end",
    "score",
    "kind",
    "wording",
    "speaker",
    "speaker_kind",
    "anonymous_count",
    "outlet",
    "verb",
    "hedge",
    "attribution",
    "attribution_start",
    "attribution_end",
    "checkworthiness",
    "duplicate_of",
    "duplicate_score",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "suggest", help="suggest the check-worthy, attributed claims of an article (JSON lines)"
    )
    parser.add_argument("file", help="the article as plain text (UTF-8); - reads standard input")
    parser.add_argument("--limit", type=int, default=20, help="at most this many suggestions")
    parser.add_argument(
        "--min-score",
        type=float,
        default=suggest.DEFAULT_MIN_SCORE,
        help="keep sentences scoring at least this (0..1, after the reported-speech boost)",
    )
    parser.add_argument(
        "--claims",
        help="tracked claims, JSON lines with id and text: suggestions that repeat one name it",
    )
    parser.set_defaults(func=run_suggest)


def run_suggest(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    index, records = None, []
    if args.claims:
        from claims.engine import checkthat
        from claims.engine.index import ClaimIndex

        records = checkthat.read_claims(args.claims)
        index = ClaimIndex()
        index.upsert_many((i, r.text, r.extra) for i, r in enumerate(records))
    scorer, name = suggest.default_scorer()
    found = suggest.suggest_claims(
        text,
        scorer=scorer,
        index=index,
        claim_text={i: r.text for i, r in enumerate(records)},
        limit=args.limit,
        min_score=args.min_score,
    )
    for item in found:
        row = item.as_dict()
        if row["duplicate_of"] is not None:
            row["duplicate_of"] = _claim_id(records[row["duplicate_of"]].id)
        print(json.dumps({k: row[k] for k in FIELDS}, ensure_ascii=False))
    print(f"{len(found)} suggestions; check-worthiness: {name}", file=sys.stderr)
    return 0


def _claim_id(value: str) -> int | str:
    return int(value) if value.isdigit() else value
