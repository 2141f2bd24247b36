"""Train the stance model from a folder of FNC-1 style files and write its artifact.

Two stages, each a small ensemble of one-hidden-layer networks:
  A. related or unrelated, from the dense similarity and cue features;
  B. agree / disagree / discuss for related pairs, from the dense features plus a
     bag of words of the claim and of the article, with class weights for the rare
     classes.
Each stage's log-probabilities are blended with those of gradient-boosted trees on the
dense features (stance_trees), stopped early on held-out training topics.
Their probabilities are combined into four, and a temperature for each stage is fitted on
the hold-out so that the reported score is a calibrated probability. scikit-learn is used
here only; inference (claims/engine/stance.py) needs numpy and scipy alone.

    python -m claims.engine train-stance --data PATH --out claims/engine/models/stance
"""

import hashlib
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from claims.engine import fnc, stance_emergent, stance_trees
from claims.engine.document import Document
from claims.engine.stance_features import FeatureExtractor, Vocabulary, dense_feature_names
from claims.engine.text import terms

SEED = 20240611
CLASSES_B = ("agree", "disagree", "discuss")


@dataclass
class Config:
    claim_vocab: int = 0  # claim words did not carry over to new topics (topic CV)
    body_vocab: int = 1000
    hidden_a: int = 32
    hidden_b: int = 64
    alpha_a: float = 1e-3
    alpha_b: float = 0.3
    members: int = 3  # networks per stage, averaged
    class_weight_power: float = 0.7  # weight = (n_max / n_class) ** power
    max_iter: int = 200
    refit_all: bool = False
    emergent: str | None = None  # Emergent CSV: extra short pairs for stage B
    emergent_weight: float = 2.0  # weight of each Emergent pair relative to an FNC one
    # Gradient-boosted trees on the dense features, blended into each stage's MLP
    # log-probabilities with these weights (0 = MLP only, no trees trained).
    tree_weight_a: float = 0.7
    tree_weight_b: float = 0.3
    tree_rate: float = 0.05
    tree_max_iter: int = 400
    tree_leaves: int = 15
    tree_min_leaf: int = 40
    tree_l2: float = 1.0
    extra: dict = field(default_factory=dict)


# --- data ------------------------------------------------------------------------------


def load(data_dir: str | Path):
    data_dir = Path(data_dir)
    pairs = [p for p in fnc.read_stances(data_dir / "train_stances.csv") if p.stance]
    bodies = fnc.read_bodies(data_dir / "train_bodies.csv")
    pairs = [p for p in pairs if p.body_id in bodies]
    train_ids, hold_ids = fnc.split_bodies(data_dir, (p.body_id for p in pairs))
    return pairs, bodies, train_ids, hold_ids


def build_vocabulary(pairs, bodies, config: Config) -> Vocabulary:
    """idf over training bodies and distinct training claims; bag-of-words vocabularies
    from the most frequent terms."""
    body_sets = [set(terms(bodies[i])) for i in sorted({p.body_id for p in pairs})]
    claim_sets = [set(terms(h)) for h in sorted({p.headline for p in pairs})]
    df: Counter = Counter()
    for s in body_sets + claim_sets:
        df.update(s)
    n = len(body_sets) + len(claim_sets)
    idf = {t: round(math.log((n + 1) / (c + 1)) + 1.0, 4) for t, c in sorted(df.items()) if c >= 2}
    default_idf = math.log((n + 1) / 2) + 1.0
    body_lengths = [len(terms(bodies[i])) for i in sorted({p.body_id for p in pairs})]
    claim_df, body_df = _topic_spread(pairs, bodies)
    claim_vocab = [t for t, c in _most_common(claim_df, config.claim_vocab) if c >= 3]
    body_vocab = [t for t, c in _most_common(body_df, config.body_vocab) if c >= 3]
    return Vocabulary(
        idf=idf,
        default_idf=round(default_idf, 4),
        avg_doc_len=float(np.mean(body_lengths)) if body_lengths else 1.0,
        claim_vocab=claim_vocab,
        body_vocab=body_vocab,
    )


def topics(pairs) -> dict[tuple, tuple]:
    """Topic of every claim ("h", headline) and body ("b", id): the connected groups of
    claims and bodies linked by related pairs (one story, told by many articles)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = find(("h", p.headline)), find(("b", p.body_id))
        if p.stance != "unrelated" and a != b:
            parent[a] = b
    return {node: find(node) for node in list(parent)}


def _topic_spread(pairs, bodies) -> tuple[Counter, Counter]:
    """For each term, in how many distinct topics it occurs (claims, bodies). Ranking the
    bag-of-words vocabulary by spread keeps words that speak about stance in any story
    (hoax, confirm, report) ahead of the names of the training stories, which new topics
    will not share."""
    topic = topics(pairs)
    claim_topics: dict[str, set] = {}
    body_topics: dict[str, set] = {}
    for headline in {p.headline for p in pairs}:
        for t in set(terms(headline)):
            claim_topics.setdefault(t, set()).add(topic[("h", headline)])
    for body_id in {p.body_id for p in pairs}:
        for t in set(terms(bodies[body_id])):
            body_topics.setdefault(t, set()).add(topic[("b", body_id)])
    return (
        Counter({t: len(v) for t, v in claim_topics.items()}),
        Counter({t: len(v) for t, v in body_topics.items()}),
    )


def _most_common(counter: Counter, k: int):
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


def featurize(pairs, docs: dict[int, Document], extractor: FeatureExtractor):
    """Dense features and the two sparse bags of words for every pair."""
    dense = np.zeros((len(pairs), extractor.n_dense))
    c_rows, c_cols, c_vals, b_rows, b_cols, b_vals = [], [], [], [], [], []
    for i, pair in enumerate(pairs):
        feats = extractor.features(pair.headline, docs[pair.body_id])
        dense[i] = feats.dense
        c_rows += [i] * len(feats.claim_bow[0])
        c_cols += feats.claim_bow[0].tolist()
        c_vals += feats.claim_bow[1].tolist()
        b_rows += [i] * len(feats.body_bow[0])
        b_cols += feats.body_bow[0].tolist()
        b_vals += feats.body_bow[1].tolist()
    vocab = extractor.vocab
    shape_c = (len(pairs), len(vocab.claim_vocab))
    shape_b = (len(pairs), len(vocab.body_vocab))
    claim = sparse.csr_matrix((c_vals, (c_rows, c_cols)), shape=shape_c)
    body = sparse.csr_matrix((b_vals, (b_rows, b_cols)), shape=shape_b)
    return dense, claim, body


# --- networks --------------------------------------------------------------------------


def _fit_members(x, y, hidden, alpha, members, max_iter, sample_weight=None, seed=SEED):
    from sklearn.neural_network import MLPClassifier  # training only

    nets = []
    for m in range(members):
        net = MLPClassifier(
            hidden_layer_sizes=(hidden,),
            activation="relu",
            alpha=alpha,
            batch_size=256,
            learning_rate_init=1e-3,
            max_iter=max_iter,
            early_stopping=True,
            validation_fraction=0.1,
            n_iter_no_change=8,
            random_state=seed + m,
        )
        net.fit(x, y, sample_weight=sample_weight)
        nets.append(net)
    return nets


def _fit_trees(x, y, cfg: Config, validation, sample_weight=None):
    """Gradient-boosted trees, stopped early on `validation` rows (whole topics held out of
    the fit, so the number of trees suits unseen stories), exported as flat arrays."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # training only

    weight = np.ones(len(y)) if sample_weight is None else sample_weight
    fit = ~validation
    if not validation.any() or len(np.unique(y[fit])) < len(np.unique(y)):
        fit, validation = np.ones(len(y), bool), None
    clf = HistGradientBoostingClassifier(
        learning_rate=cfg.tree_rate,
        max_iter=cfg.tree_max_iter,
        max_leaf_nodes=cfg.tree_leaves,
        min_samples_leaf=min(cfg.tree_min_leaf, max(1, int(fit.sum()) // 4)),
        l2_regularization=cfg.tree_l2,
        early_stopping=validation is not None,
        scoring="loss",
        n_iter_no_change=30,
        random_state=SEED,
    )
    if validation is None:
        clf.fit(x, y, sample_weight=weight)
    else:
        clf.fit(
            x[fit],
            y[fit],
            sample_weight=weight[fit],
            X_val=x[validation],
            y_val=y[validation],
            sample_weight_val=weight[validation],
        )
    return stance_trees.export(clf)


def _inner_validation(pairs, share: float = 0.15) -> np.ndarray:
    """A seeded `share` of the topics of `pairs`, as a row mask, for early stopping."""
    import random

    topic = topics(pairs)
    groups = sorted(set(topic.values()), key=str)
    random.Random(SEED + 1).shuffle(groups)  # noqa: S311 (a seeded split, not a secret)
    held = set(groups[: int(len(groups) * share)])
    return np.array([topic[("b", p.body_id)] in held for p in pairs], dtype=bool)


def _stack(nets, binary: bool) -> dict[str, np.ndarray]:
    """Member weights as arrays: w1 (m, d, h), b1 (m, h), w2 (m, h, k), b2 (m, k).
    A binary network's single logit becomes two logits [0, z] so both stages softmax."""
    w1 = np.stack([n.coefs_[0] for n in nets])
    b1 = np.stack([n.intercepts_[0] for n in nets])
    w2 = np.stack([n.coefs_[1] for n in nets])
    b2 = np.stack([n.intercepts_[1] for n in nets])
    if binary:
        w2 = np.concatenate([np.zeros_like(w2), w2], axis=2)
        b2 = np.concatenate([np.zeros_like(b2), b2], axis=1)
    return {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


def mean_logits(stage: dict[str, np.ndarray], x) -> np.ndarray:
    """Average over members of each network's log-softmax output (n, k)."""
    out = 0.0
    for m in range(stage["w1"].shape[0]):
        h = x @ stage["w1"][m].astype(np.float64) + stage["b1"][m]
        h = np.maximum(h, 0.0)
        z = h @ stage["w2"][m].astype(np.float64) + stage["b2"][m]
        z = z - z.max(axis=1, keepdims=True)
        out = out + (z - np.log(np.exp(z).sum(axis=1, keepdims=True)))
    return np.asarray(out) / stage["w1"].shape[0]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def combine(logits_a, logits_b, t_a=1.0, t_b=1.0) -> np.ndarray:
    """Four probabilities in FNC order (agree, disagree, discuss, unrelated)."""
    pa = softmax(logits_a / t_a)  # [unrelated, related]
    pb = softmax(logits_b / t_b)
    return np.column_stack([pa[:, 1:2] * pb, pa[:, 0]])


# --- calibration and figures -----------------------------------------------------------


def fit_temperatures(logits_a, logits_b, gold_idx) -> tuple[float, float]:
    def nll(log_t):
        p = combine(logits_a, logits_b, *np.exp(log_t))
        return -np.mean(np.log(p[np.arange(len(gold_idx)), gold_idx] + 1e-12))

    res = optimize.minimize(nll, x0=np.zeros(2), method="Nelder-Mead")
    return tuple(float(t) for t in np.exp(res.x))


def expected_calibration_error(probs: np.ndarray, gold_idx: np.ndarray, bins: int = 15) -> float:
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold_idx
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return float(ece)


# --- the whole run ---------------------------------------------------------------------


class Trainer:
    def __init__(self, config: Config | None = None, log=print):
        self.config = config or Config()
        self.log = log

    def design(self, dense, claim, body, scale):
        mean, std = scale
        xd = (dense - mean) / std
        return xd, sparse.hstack([sparse.csr_matrix(xd), claim, body]).tocsr()

    def fit(self, pairs, docs, vocab, extra_b=()):
        """Both stages from `pairs`; `extra_b` (related pairs, e.g. Emergent's) joins the
        stance stage only, weighted by `emergent_weight`."""
        cfg = self.config
        extractor = FeatureExtractor(vocab, cache_key=f"train:{id(vocab)}")
        dense, claim, body = featurize(pairs, docs, extractor)
        mean, std = dense.mean(axis=0), dense.std(axis=0)
        std[std < 1e-6] = 1.0
        xa, xb = self.design(dense, claim, body, (mean, std))
        gold = np.array([p.stance for p in pairs])
        related = gold != "unrelated"
        nets_a = _fit_members(
            xa, related.astype(int), cfg.hidden_a, cfg.alpha_a, cfg.members, cfg.max_iter
        )
        xb, stances = xb[related], list(gold[related])
        source_weight = np.ones(len(stances))
        if extra_b:
            _, xe = self.design(*featurize(extra_b, docs, extractor), (mean, std))
            xb = sparse.vstack([xb, xe]).tocsr()
            stances += [p.stance for p in extra_b]
            source_weight = np.concatenate(
                [source_weight, np.full(len(extra_b), cfg.emergent_weight)]
            )
        yb = np.array([CLASSES_B.index(s) for s in stances])
        counts = np.bincount(yb, weights=source_weight, minlength=3)
        cw = (counts.max() / np.maximum(counts, 1)) ** cfg.class_weight_power
        weight = cw[yb] * source_weight
        nets_b = _fit_members(
            xb,
            yb,
            cfg.hidden_b,
            cfg.alpha_b,
            cfg.members,
            cfg.max_iter,
            sample_weight=weight / weight.mean(),
        )
        model = {
            "vocab": vocab,
            "mean": mean,
            "std": std,
            "a": _stack(nets_a, binary=True),
            "b": _stack(nets_b, binary=False),
            "class_weights": cw.tolist(),
        }
        if cfg.tree_weight_a or cfg.tree_weight_b:
            validation = _inner_validation(pairs)
            dense_b, weight_b = dense[related], weight[: int(related.sum())]
            if extra_b:
                dense_b = np.vstack([dense_b, featurize(extra_b, docs, extractor)[0]])
                weight_b = weight
            valid_b = np.concatenate(
                [validation[related], np.zeros(len(yb) - int(related.sum()), bool)]
            )
            if cfg.tree_weight_a:
                model["trees_a"] = _fit_trees(dense, related.astype(int), cfg, validation)
            if cfg.tree_weight_b:
                model["trees_b"] = _fit_trees(
                    dense_b, yb, cfg, valid_b, sample_weight=weight_b / weight_b.mean()
                )
        return model

    def logits(self, model, pairs, docs):
        extractor = FeatureExtractor(model["vocab"], cache_key=f"eval:{id(model['vocab'])}")
        dense, claim, body = featurize(pairs, docs, extractor)
        xa, xb = self.design(dense, claim, body, (model["mean"], model["std"]))
        la, lb = mean_logits(model["a"], xa), mean_logits(model["b"], xb)
        cfg = self.config
        if "trees_a" in model:
            la = blend(la, stance_trees.log_probs(model["trees_a"], dense), cfg.tree_weight_a)
        if "trees_b" in model:
            lb = blend(lb, stance_trees.log_probs(model["trees_b"], dense), cfg.tree_weight_b)
        return la, lb


def blend(mlp_log_probs, tree_log_probs, tree_weight: float):
    """Weighted mean of the two models' log-probabilities (a geometric blend)."""
    return (1.0 - tree_weight) * mlp_log_probs + tree_weight * tree_log_probs


def evaluate(probs: np.ndarray, pairs) -> dict:
    gold = [p.stance for p in pairs]
    pred = [fnc.FNC_LABELS[i] for i in probs.argmax(axis=1)]
    gold_idx = np.array([fnc.FNC_LABELS.index(g) for g in gold])
    f1 = fnc.per_class_f1(gold, pred)
    return {
        "fnc_score": round(fnc.relative_fnc_score(gold, pred), 2),
        "macro_f1": round(sum(f1.values()) / 4, 4),
        "per_class_f1": {k: round(v, 4) for k, v in f1.items()},
        "confusion": fnc.confusion(gold, pred),
        "ece": round(expected_calibration_error(probs, gold_idx), 4),
        "table": fnc.report(gold, pred),
    }


def train(data_dir, out, config: Config | None = None, log=print) -> dict:
    cfg = config or Config()
    started = time.time()
    pairs, bodies, train_ids, hold_ids = load(data_dir)
    train_pairs = [p for p in pairs if p.body_id in train_ids]
    hold_pairs = [p for p in pairs if p.body_id in hold_ids]
    log(f"{len(train_pairs)} training pairs, {len(hold_pairs)} hold-out pairs")
    docs = {i: Document.parse(t) for i, t in bodies.items()}
    trainer = Trainer(cfg, log)

    extra = emergent_pairs(cfg, [p.headline for p in hold_pairs], docs, log)
    vocab = build_vocabulary(train_pairs, bodies, cfg)
    model = trainer.fit(train_pairs, docs, vocab, extra)
    la, lb = trainer.logits(model, hold_pairs, docs)
    gold_idx = np.array([fnc.FNC_LABELS.index(p.stance) for p in hold_pairs])
    raw = evaluate(combine(la, lb), hold_pairs)
    t_a, t_b = fit_temperatures(la, lb, gold_idx)
    held = evaluate(combine(la, lb, t_a, t_b), hold_pairs)
    log(f"hold-out (trained on training split), temperatures a={t_a:.3f} b={t_b:.3f}")
    log(held["table"])
    log(f"ECE before calibration {raw['ece']:.4f}, after {held['ece']:.4f}")

    if cfg.refit_all:
        log("refitting on all pairs with the settings and temperatures chosen above")
        vocab = build_vocabulary(pairs, bodies, cfg)
        model = trainer.fit(pairs, docs, vocab, extra)
    path = write_artifact(model, out, cfg, (t_a, t_b), held, len(train_pairs), data_dir, len(extra))
    log(f"wrote {path}.npz and {path}.json in {time.time() - started:.0f}s")
    return held


def emergent_pairs(cfg: Config, banned_headlines, docs, log=print) -> list:
    """Emergent pairs for stage B, without the stories any of `banned_headlines` belongs
    to; their bodies (article headlines) are parsed into `docs`."""
    if not cfg.emergent:
        return []
    stories = stance_emergent.read(cfg.emergent)
    kept = stance_emergent.unseen(stories, banned_headlines)
    pairs, texts = stance_emergent.as_pairs(kept)
    for body_id, text in texts.items():
        docs[body_id] = Document.parse(text)
    log(f"Emergent: {len(pairs)} pairs from {len(kept)} of {len(stories)} claims")
    return pairs


def topic_cv(data_dir, config: Config | None = None, folds: int = 5, log=print) -> dict:
    """Cross-validation over topics of the training split: each fold's claims and bodies
    share no story with the rest, as the competition test set shares none with training.
    For tuning; the hold-out is left for the final decision."""
    import random

    cfg = config or Config()
    pairs, bodies, train_ids, hold_ids = load(data_dir)
    held_headlines = [p.headline for p in pairs if p.body_id in hold_ids]
    pairs = [p for p in pairs if p.body_id in train_ids]
    docs = {i: Document.parse(bodies[i]) for i in {p.body_id for p in pairs}}
    topic = topics(pairs)
    groups = sorted(set(topic.values()), key=str)
    random.Random(SEED).shuffle(groups)  # noqa: S311 (a seeded split, not a secret)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    trainer = Trainer(cfg, log)
    gold, pred = [], []
    for k in range(folds):
        body_fold = [fold_of[topic[("b", p.body_id)]] for p in pairs]
        head_fold = [fold_of[topic[("h", p.headline)]] for p in pairs]
        fit = [p for p, b, h in zip(pairs, body_fold, head_fold, strict=True) if b != k != h]
        test = [p for p, b, h in zip(pairs, body_fold, head_fold, strict=True) if b == k == h]
        extra = emergent_pairs(cfg, held_headlines + [p.headline for p in test], docs, log)
        model = trainer.fit(fit, docs, build_vocabulary(fit, bodies, cfg), extra)
        probs = combine(*trainer.logits(model, test, docs))
        figures = evaluate(probs, test)
        log(f"fold {k}: {len(test)} pairs, FNC {figures['fnc_score']}%, F1 {figures['macro_f1']}")
        gold += [p.stance for p in test]
        pred += [fnc.FNC_LABELS[i] for i in probs.argmax(axis=1)]
    log("pooled over folds:\n" + fnc.report(gold, pred))
    return {
        "fnc_score": fnc.relative_fnc_score(gold, pred),
        "macro_f1": fnc.macro_f1(gold, pred),
        "per_class_f1": fnc.per_class_f1(gold, pred),
    }


def write_artifact(model, out, cfg: Config, temps, held, n_train, data_dir, n_extra=0) -> Path:
    out = Path(out)
    if out.is_dir() or str(out).endswith("/"):
        out = out / "stance"
    out = out.with_suffix("") if out.suffix in {".npz", ".json"} else out
    out.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"mean": model["mean"].astype(np.float32), "std": model["std"].astype(np.float32)}
    for stage in ("a", "b"):
        for name, arr in model[stage].items():
            dtype = np.float16 if name == "w1" else np.float32
            arrays[f"{stage}_{name}"] = arr.astype(dtype)
        for name, arr in model.get(f"trees_{stage}", {}).items():
            arrays[f"trees_{stage}_{name}"] = arr
    with open(f"{out}.npz", "wb") as handle:
        np.savez_compressed(handle, **arrays)
    vocab = model["vocab"]
    digest = hashlib.sha256(Path(f"{out}.npz").read_bytes())
    digest.update(json.dumps([vocab.claim_vocab, vocab.body_vocab, vocab.idf]).encode())
    digest.update(json.dumps(temps).encode())
    meta = {
        "format": 1,
        "version": f"stance-1.0-{digest.hexdigest()[:10]}",
        "labels": list(fnc.FNC_LABELS),
        "stage_b_classes": list(CLASSES_B),
        "dense_features": dense_feature_names(),
        "temperatures": {"a": round(temps[0], 5), "b": round(temps[1], 5)},
        "tree_weights": {
            s: w if f"trees_{s}" in model else 0.0
            for s, w in (("a", cfg.tree_weight_a), ("b", cfg.tree_weight_b))
        },
        "vocabulary": {
            "default_idf": vocab.default_idf,
            "avg_doc_len": round(vocab.avg_doc_len, 3),
            "claim": vocab.claim_vocab,
            "body": vocab.body_vocab,
            "idf": vocab.idf,
        },
        "training": {
            "data": Path(data_dir).name,
            "pairs_in_training_split": n_train,
            "emergent_pairs_in_stage_b": n_extra,
            "refit_on_all": cfg.refit_all,
            "config": {
                k: Path(v).name if k == "emergent" and v else v
                for k, v in vars(cfg).items()
                if k != "extra"
            },
            "class_weights": [round(w, 4) for w in model["class_weights"]],
            "seed": SEED,
        },
        "hold_out": {k: v for k, v in held.items() if k != "table"},
    }
    Path(f"{out}.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")))
    return out
