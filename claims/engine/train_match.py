"""Train the matching model (`models/match.json`) on CheckThat! 2022 task 2A.

Features are computed for each training tweet against its candidate claims; a logistic
regression learns which candidate is the relevant one. The regularisation strength and
the BM25 constants are chosen by MAP@5 on the dev queries. Deterministic: the same data
gives the same weights.
"""

import dataclasses
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from claims.engine import checkthat, scoring
from claims.engine.document import Document
from claims.engine.index import CANDIDATES, ClaimIndex

QUERIES = "CT2022-Task2A-EN-Train-Dev_Queries.tsv"
TRAIN_QRELS = "CT2022-Task2A-EN-Train_QRELs.tsv"
DEV_QRELS = "CT2022-Task2A-EN-Dev_QRELs.tsv"

K1_GRID = (0.9, 1.2, 1.6)
B_GRID = (0.5, 0.75)
EXTRA_GRID = (0.5, 1.0)
C_GRID = (0.1, 1.0, 10.0)


@dataclass
class Split:
    """Per query: claim ids of its candidates, their features, and the relevant ids."""

    ids: list[str]
    candidates: list[list[str]]
    features: list[np.ndarray]
    relevant: list[set[str]]


def build_index(claims: list[checkthat.ClaimRecord], params: scoring.Params) -> ClaimIndex:
    index = ClaimIndex(dataclasses.replace(scoring.Model.default(), params=params))
    index.upsert_many((i, c.text, c.extra) for i, c in enumerate(claims))
    return index


def collect(index: ClaimIndex, claims, queries, qrels) -> Split:
    split = Split([], [], [], [])
    for qid, relevant in sorted(qrels.items()):
        doc = Document.parse(scoring.clean_short_text(queries.get(qid, "")))
        units = index._units(doc, whole=True)
        rows = index._candidates(units.terms, index._stats(), CANDIDATES)
        if len(rows):
            feats = scoring.features(units, index._gather(rows), index._stats(), index.params)[0]
        else:
            feats = np.zeros((0, len(scoring.FEATURES)))
        split.ids.append(qid)
        split.candidates.append([claims[int(index._claim.data[r])].id for r in rows])
        split.features.append(feats)
        split.relevant.append(relevant)
    return split


def run_of(split: Split, model: scoring.Model) -> dict[str, list[str]]:
    run = {}
    for qid, cands, feats in zip(split.ids, split.candidates, split.features, strict=True):
        logits = model.logits(feats) if len(cands) else np.zeros(0)
        order = np.argsort(-logits, kind="stable")
        run[qid] = [cands[i] for i in order]
    return run


def fit(split: Split, params: scoring.Params, c: float) -> scoring.Model:
    x = np.concatenate(split.features)
    pairs = zip(split.candidates, split.relevant, strict=True)
    y = np.concatenate([[cand in rel for cand in cands] for cands, rel in pairs]).astype(int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit((x - mean) / scale, y)
    return scoring.Model(clf.coef_[0], float(clf.intercept_[0]), mean, scale, params)


def train(data: Path, out: Path = scoring.MODEL_PATH, log=print) -> dict:
    claims = checkthat.read_claims(data / "vclaims.jsonl")
    queries = checkthat.read_queries(data / QUERIES)
    train_qrels = checkthat.read_qrels(data / TRAIN_QRELS)
    dev_qrels = checkthat.read_qrels(data / DEV_QRELS)
    best = None
    for k1, b, extra in itertools.product(K1_GRID, B_GRID, EXTRA_GRID):
        params = scoring.Params(k1=k1, b=b, extra_weight=extra)
        index = build_index(claims, params)
        train_split = collect(index, claims, queries, train_qrels)
        dev_split = collect(index, claims, queries, dev_qrels)
        for c in C_GRID:
            model = fit(train_split, params, c)
            dev = checkthat.evaluate(run_of(dev_split, model), dev_qrels)
            log(f"k1={k1} b={b} extra={extra} C={c}: dev MAP@5={dev['MAP@5']:.4f}")
            if best is None or dev["MAP@5"] > best[0]["MAP@5"] + 1e-9:
                trn = checkthat.evaluate(run_of(train_split, model), train_qrels)
                best = (dev, trn, model, c)
    dev, trn, model, c = best
    summary = {
        "dev": {k: round(v, 4) for k, v in dev.items()},
        "train": {k: round(v, 4) for k, v in trn.items()},
        "C": c,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model.to_json({"trained_on": "CheckThat! 2022 2A EN train", **summary}))
    log(f"saved {out}: {summary}")
    return summary
