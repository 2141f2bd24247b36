"""`predict-stance` and `train-stance`: the stance model on FNC-1 style files."""

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from claims.engine import fnc


def register(subparsers) -> None:
    predict = subparsers.add_parser(
        "predict-stance",
        help="label (headline, body) pairs of FNC-1 style files",
        description="Write Headline,Body ID,Stance; print figures when gold stances are given.",
    )
    predict.add_argument("--stances", required=True, help="CSV: Headline,Body ID[,Stance]")
    predict.add_argument("--bodies", required=True, help="CSV: Body ID,articleBody")
    predict.add_argument("--out", required=True, help="CSV to write")
    predict.add_argument("--model", default=None, help="artifact path without extension")
    predict.set_defaults(func=predict_stance)

    train = subparsers.add_parser(
        "train-stance",
        help="train the stance model and write its artifact",
        description="DIR holds train_stances.csv, train_bodies.csv and optionally "
        "splits/training_ids.txt and splits/hold_out_ids.txt (else 20%% of bodies are "
        "held out, seeded).",
    )
    train.add_argument("--data", required=True, help="folder with FNC-1 style files")
    train.add_argument("--out", required=True, help="artifact prefix or folder")
    train.add_argument(
        "--refit-all",
        action="store_true",
        help="after the hold-out run, refit on all pairs with the same settings",
    )
    train.add_argument(
        "--topic-cv",
        action="store_true",
        help="only cross-validate over topics of the training split (for tuning)",
    )
    train.add_argument("--members", type=int, default=None, help="networks per stage")
    train.add_argument(
        "--emergent",
        default=None,
        metavar="CSV",
        help="Emergent url-versions CSV (claimHeadline, articleHeadline, "
        "articleHeadlineStance, claimId): its pairs join the stance stage; claims sharing a "
        "text with a hold-out (or cross-validation test) headline are left out",
    )
    train.add_argument(
        "--emergent-weight",
        type=float,
        default=None,
        help="weight of an Emergent pair relative to an FNC-1 pair (default 2)",
    )
    train.set_defaults(func=train_stance)

    holdout = subparsers.add_parser(
        "fnc-holdout",
        help="write the FNC-1 hold-out pairs (the official split) as a stances file",
        description="Keep the pairs of DIR/train_stances.csv whose Body ID is listed in "
        "DIR/splits/hold_out_ids.txt: the input for predict-stance on the dev split.",
    )
    holdout.add_argument("--data", required=True, help="the FNC-1 folder")
    holdout.add_argument("--out", required=True, help="CSV to write")
    holdout.set_defaults(func=write_holdout)


def write_holdout(args: argparse.Namespace) -> int:
    data = Path(args.data)
    held_out = fnc.read_ids(data / "splits" / "hold_out_ids.txt")
    pairs = [p for p in fnc.read_stances(data / "train_stances.csv") if p.body_id in held_out]
    fnc.write_stances(args.out, pairs)
    print(f"{len(pairs)} hold-out pairs over {len(held_out)} bodies written to {args.out}")
    return 0


def predict_stance(args: argparse.Namespace) -> int:
    from claims.engine.document import Document
    from claims.engine.stance import StanceModel

    model = StanceModel.load(args.model)
    pairs = fnc.read_stances(args.stances)
    bodies = fnc.read_bodies(args.bodies)
    missing = sorted({p.body_id for p in pairs} - bodies.keys())
    if missing:
        print(f"bodies missing for ids: {missing[:10]}", file=sys.stderr)
        return 2
    by_body: dict[int, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        by_body[pair.body_id].append(i)
    predicted: list[str] = [""] * len(pairs)
    started = time.perf_counter()
    for body_id, indices in by_body.items():
        doc = Document.parse(bodies[body_id])  # parsed once, dropped after its claims
        for i in indices:
            result = model.predict(pairs[i].headline, doc)
            predicted[i] = fnc.TO_FNC[result.label]
    elapsed = time.perf_counter() - started
    fnc.write_stances(
        args.out,
        (fnc.Pair(p.headline, p.body_id, s) for p, s in zip(pairs, predicted, strict=True)),
    )
    print(
        f"{len(pairs)} pairs over {len(by_body)} bodies in {elapsed:.1f}s "
        f"({1000 * elapsed / max(len(pairs), 1):.2f} ms/pair) with {model.version}"
    )
    if pairs and all(p.stance for p in pairs):
        print(fnc.report([p.stance for p in pairs], predicted))
    return 0


def train_stance(args: argparse.Namespace) -> int:
    from claims.engine.train_stance import Config, topic_cv, train

    config = Config(refit_all=args.refit_all)
    if args.members:
        config.members = args.members
    if args.emergent:
        config.emergent = args.emergent
    if args.emergent_weight is not None:
        config.emergent_weight = args.emergent_weight
    if args.topic_cv:
        topic_cv(args.data, config)
    else:
        train(args.data, args.out, config)
    return 0
