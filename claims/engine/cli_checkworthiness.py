"""`rank-sentences`, `train-checkworthiness` and `evaluate-checkworthiness`: the
check-worthiness model on CheckThat! 2019 task 1 style files."""

import argparse
import contextlib
import sys
import time
from pathlib import Path


def register(subparsers) -> None:
    rank = subparsers.add_parser(
        "rank-sentences",
        help="score every sentence of debate files for check-worthiness",
        description="For each DIR/*.tsv file (line, speaker, text[, label], tab-separated) "
        "write OUT/<same name> with one `line<TAB>score` line per sentence, in the "
        "file's order; print MAP, R-precision and P@10 when labels are given.",
    )
    rank.add_argument("--debates", required=True, help="folder of debate .tsv files")
    rank.add_argument("--out", required=True, help="folder to write the scores to")
    rank.add_argument("--model", default=None, help="artifact path without extension")
    rank.set_defaults(func=rank_sentences)

    train = subparsers.add_parser(
        "train-checkworthiness",
        help="train the check-worthiness model and write its artifact",
        description="DIR holds labelled debate .tsv files. Cross-validates over debates "
        "(figures printed and stored in the artifact, predictions used to calibrate "
        "scores), then refits on every debate.",
    )
    train.add_argument("--data", required=True, help="folder of labelled debate files")
    train.add_argument("--out", required=True, help="artifact prefix or folder")
    _model_options(train)
    train.set_defaults(func=train_checkworthiness)

    evaluate = subparsers.add_parser(
        "evaluate-checkworthiness",
        help="cross-validate the check-worthiness settings over debates",
        description="Leave-one-debate-out (or --folds K grouped) cross-validation: "
        "MAP, R-precision and P@10 per held-out debate and their means. Writes nothing.",
    )
    evaluate.add_argument("--data", required=True, help="folder of labelled debate files")
    _model_options(evaluate)
    evaluate.set_defaults(func=evaluate_checkworthiness)


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="grouped folds over debates (default 0: leave one debate out)",
    )
    parser.add_argument("--c", type=float, default=None, help="inverse L2 strength")
    parser.add_argument(
        "--positive-weight", type=float, default=None, help="weight of a check-worthy line"
    )


def _config(args: argparse.Namespace):
    from claims.engine.train_checkworthiness import Config

    config = Config()
    if args.c is not None:
        config.c = args.c
    if args.positive_weight is not None:
        config.positive_weight = args.positive_weight
    return config


def _one_thread():
    """BLAS on one thread: the fits are sparse, and on a busy machine threaded BLAS in
    liblinear's and the trees' dense steps only slowed them down (about 2x)."""
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def rank_sentences(args: argparse.Namespace) -> int:
    from claims.engine.checkworthiness import CheckWorthinessModel, get_model
    from claims.engine.train_checkworthiness import figures, format_table, read_debates
    from claims.engine.train_checkworthiness import summarise as mean_of

    model = get_model() if args.model is None else CheckWorthinessModel.load(args.model)
    try:
        debates = read_debates(args.debates)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    per_debate = {}
    started = time.perf_counter()
    for debate in debates:
        scores = model.score_sentences(debate.sentences)
        with open(out / debate.name, "w", encoding="utf-8", newline="\n") as handle:
            for line, score in zip(debate.lines, scores, strict=True):
                handle.write(f"{line}\t{score:.6f}\n")
        if debate.labels is not None:
            per_debate[debate.name] = {
                **figures(debate.labels, scores),
                "sentences": len(debate.sentences),
                "positives": debate.positives,
            }
    elapsed = time.perf_counter() - started
    sentences = sum(len(d.sentences) for d in debates)
    print(
        f"{len(debates)} files, {sentences} sentences ranked in {elapsed:.2f}s "
        f"with {model.version}; written to {out}"
    )
    if per_debate:
        print(format_table(per_debate, mean_of(per_debate)))
        seen = set(model.meta.get("training", {}).get("debates", [])) & per_debate.keys()
        if seen:
            print(
                f"note: the model was trained on {len(seen)} of these files; their figures "
                "are in-sample (see evaluate-checkworthiness for cross-validated ones)"
            )
    return 0


def train_checkworthiness(args: argparse.Namespace) -> int:
    from claims.engine.train_checkworthiness import train

    with _one_thread():
        train(args.data, args.out, _config(args), folds=args.folds)
    return 0


def evaluate_checkworthiness(args: argparse.Namespace) -> int:
    from claims.engine.train_checkworthiness import cross_validate, read_debates

    debates = [d for d in read_debates(args.data) if d.labels is not None]
    if len(debates) < 2:
        print("cross-validation needs at least two labelled debates", file=sys.stderr)
        return 2
    with _one_thread():
        cross_validate(debates, _config(args), args.folds, log=print)
    return 0
