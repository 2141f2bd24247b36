"""Train and evaluate the check-worthiness model on CheckThat! 2019 task 1 style files.

A folder of debates or speeches, one ``.tsv`` file each, one sentence a line:
``line<TAB>speaker<TAB>text<TAB>label`` (label 1 = worth checking, 0 = not; a file to be
ranked may leave the label out). Sentences are read in file order, so each one's
neighbours are its context, as in an article.

Evaluation is leave-one-debate-out cross-validation (or grouped k-fold over debates):
each held-out debate is ranked by a model that never saw it, and its average precision,
R-precision and precision at 10 are averaged over debates, as the lab scored the task.
The final model is refitted on every debate; the cross-validated predictions fit the
calibration of its scores. scikit-learn is used here only; inference
(claims/engine/checkworthiness.py) needs numpy and scipy alone.

    python -m claims.engine train-checkworthiness --data DIR --out claims/engine/models
    python -m claims.engine evaluate-checkworthiness --data DIR
"""

import hashlib
import json
import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from claims.engine import stance_trees
from claims.engine.checkworthiness import (
    FEATURE_SET,
    Analysis,
    Settings,
    analyse,
    cue_block,
    cue_block_names,
    design,
)

SEED = 20190901


# --- data ------------------------------------------------------------------------------


@dataclass
class Debate:
    name: str  # file name, kept for the ranked output
    lines: list[str]  # the line ids as written
    speakers: list[str]
    sentences: list[str]
    labels: np.ndarray | None  # 0/1 for each sentence, None when the file has none

    @property
    def positives(self) -> int:
        return 0 if self.labels is None else int(self.labels.sum())


def read_debate(path: str | Path) -> Debate:
    """One file: `line speaker text [label]`, tab-separated, no header, no quoting."""
    path = Path(path)
    lines, speakers, sentences, labels = [], [], [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, 1):
            row = raw.rstrip("\r\n").split("\t")
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < 3:
                raise ValueError(f"{path}:{number}: needs line, speaker and text")
            lines.append(row[0].strip())
            speakers.append(row[1].strip())
            sentences.append(row[2])
            label = row[3].strip() if len(row) > 3 else ""
            labels.append(int(label) if label else None)
    known = [lab for lab in labels if lab is not None]
    if known and len(known) != len(labels):
        raise ValueError(f"{path}: some lines have a label and some do not")
    gold = np.array(labels, dtype=np.int64) if known else None
    return Debate(path.name, lines, speakers, sentences, gold)


def read_debates(folder: str | Path) -> list[Debate]:
    """Every ``.tsv`` (or ``.txt``) file of `folder`, in name order."""
    folder = Path(folder)
    paths = sorted(p for p in folder.iterdir() if p.suffix in {".tsv", ".txt"} and p.is_file())
    if not paths:
        raise ValueError(f"no .tsv debate files in {folder}")
    return [read_debate(p) for p in paths]


# --- metrics ---------------------------------------------------------------------------


def _ranking(scores: np.ndarray) -> np.ndarray:
    """Indices from best to worst; ties keep the order of the text."""
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def average_precision(labels, scores) -> float:
    labels = np.asarray(labels)
    relevant = labels[_ranking(scores)] > 0
    if not relevant.any():
        return 0.0
    hits = np.cumsum(relevant)
    return float((hits[relevant] / (np.flatnonzero(relevant) + 1)).mean())


def r_precision(labels, scores) -> float:
    labels = np.asarray(labels)
    r = int((labels > 0).sum())
    return float((labels[_ranking(scores)][:r] > 0).mean()) if r else 0.0


def precision_at(labels, scores, k: int = 10) -> float:
    labels = np.asarray(labels)
    return float((labels[_ranking(scores)][:k] > 0).sum() / k)


def figures(labels, scores) -> dict[str, float]:
    return {
        "ap": average_precision(labels, scores),
        "r_precision": r_precision(labels, scores),
        "p_at_10": precision_at(labels, scores, 10),
    }


# --- training --------------------------------------------------------------------------


@dataclass
class Config:
    """Defaults are the settings chosen by leave-one-debate-out cross-validation."""

    # analysis (stored in the artifact as Settings)
    word_ngrams: int = 3
    stem: bool = True
    char_min: int = 0
    char_max: int = 0
    context: bool = True
    context_cues: bool = True
    # vocabulary
    min_df: int = 2  # sentences a term occurs in
    min_debates: int = 2  # debates a term occurs in: names of one debate do not transfer
    max_terms: int = 30000
    # logistic regression on the terms (and the cues when cue_scale > 0)
    c: float = 0.5  # inverse L2 strength
    positive_weight: float = 10.0  # weight of a check-worthy sentence (about 1/36 are)
    debate_weight_power: float = 0.0  # 1 = every debate weighs the same in the fit
    context_scale: float = 0.5  # neighbours' terms, relative to the sentence's own
    cue_scale: float = 0.0  # standardised cues in the regression, relative to the terms
    # gradient-boosted trees on the raw cue block, blended into the logit (0 = none)
    tree_weight: float = 0.3
    tree_rate: float = 0.05
    tree_max_iter: int = 100
    tree_leaves: int = 15
    tree_min_leaf: int = 40
    tree_l2: float = 1.0

    def settings(self) -> Settings:
        return Settings(**{f.name: getattr(self, f.name) for f in fields(Settings)})


class Analyses:
    """Analysis of every sentence of every debate, per settings, computed once."""

    def __init__(self, debates: list[Debate]):
        self.debates = debates
        self._memo: dict[Settings, list[list[Analysis]]] = {}

    def of(self, settings: Settings) -> list[list[Analysis]]:
        if settings not in self._memo:
            self._memo[settings] = [
                [analyse(s, settings) for s in d.sentences] for d in self.debates
            ]
        return self._memo[settings]


def build_vocabulary(analyses: list[list[Analysis]], cfg: Config):
    """Terms kept by sentence and debate frequency, most frequent first (ties by name),
    and their idf over sentences."""
    df: Counter = Counter()
    spread: Counter = Counter()
    n = 0
    for debate in analyses:
        seen: set[str] = set()
        for analysis in debate:
            unique = set(analysis.terms)
            df.update(unique)
            seen |= unique
            n += 1
        spread.update(seen)
    kept = [t for t, c in df.items() if c >= cfg.min_df and spread[t] >= cfg.min_debates]
    kept.sort(key=lambda t: (-df[t], t))
    vocabulary = sorted(kept[: cfg.max_terms])
    idf = np.array([math.log((n + 1) / (df[t] + 1)) + 1.0 for t in vocabulary])
    return vocabulary, idf


@dataclass
class Fitted:
    """A fitted model in the artifact's terms."""

    settings: Settings
    vocabulary: list[str]
    idf: np.ndarray
    w_terms: np.ndarray
    w_context: np.ndarray | None
    cue_std: np.ndarray
    w_cues: np.ndarray
    bias: float
    trees: dict | None = None
    tree_weight: float = 0.0

    def linear_logits(self, analyses: list[Analysis]):
        index = {t: i for i, t in enumerate(self.vocabulary)}
        own, context, raw = design(analyses, index, self.idf, self.settings)
        z = own @ self.w_terms + (raw / self.cue_std) @ self.w_cues + self.bias
        if context is not None:
            z = z + context @ self.w_context
        return np.asarray(z).ravel(), raw

    def logits(self, analyses: list[Analysis]) -> np.ndarray:
        z, raw = self.linear_logits(analyses)
        if self.trees is None:
            return z
        tree_z = stance_trees.raw_scores(self.trees, raw)[:, 0]
        return (1 - self.tree_weight) * z + self.tree_weight * tree_z


def _blocks(analyses, index, idf, settings, cue_std, cfg: Config):
    parts = []
    for debate in analyses:
        own, context, raw = design(debate, index, idf, settings)
        block = [own]
        if context is not None:
            block.append(context * cfg.context_scale)
        if cfg.cue_scale:
            block.append(sparse.csr_matrix(raw / cue_std * cfg.cue_scale))
        parts.append(sparse.hstack(block).tocsr())
    return sparse.vstack(parts).tocsr()


def fit(analyses: list[list[Analysis]], labels: list[np.ndarray], cfg: Config) -> Fitted:
    """The linear model on all of `analyses`, then (with a tree weight) gradient-boosted
    trees on their cue block, whose logit is blended into the linear one."""
    fitted = fit_linear(analyses, labels, cfg)
    if cfg.tree_weight:
        y = np.concatenate(labels)
        weight = sample_weights(labels, cfg)
        raw = np.vstack([cue_block(d, fitted.settings) for d in analyses])
        fitted.trees = _fit_trees(raw, y, weight, cfg)
        fitted.tree_weight = cfg.tree_weight
    return fitted


def sample_weights(labels: list[np.ndarray], cfg: Config) -> np.ndarray:
    """`positive_weight` for a check-worthy sentence, 1 for the others; with
    `debate_weight_power` p, each debate's sentences are also scaled by size ** -p, and
    all rescaled so that the total weight of sentences is unchanged."""
    sizes = np.array([len(y) for y in labels], dtype=np.float64)
    scale = np.maximum(sizes, 1.0) ** -cfg.debate_weight_power
    scale *= sizes.sum() / (scale * sizes).sum()
    return np.concatenate(
        [np.where(y > 0, cfg.positive_weight, 1.0) * k for y, k in zip(labels, scale, strict=True)]
    )


def fit_linear(analyses: list[list[Analysis]], labels: list[np.ndarray], cfg: Config) -> Fitted:
    from sklearn.linear_model import LogisticRegression  # training only

    settings = cfg.settings()
    vocabulary, idf = build_vocabulary(analyses, cfg)
    index = {t: i for i, t in enumerate(vocabulary)}
    raw_all = np.vstack([cue_block(d, settings) for d in analyses])
    # scaled, not centred, so that the many zero cues stay sparse; the bias absorbs means
    cue_std = raw_all.std(axis=0)
    cue_std[cue_std < 1e-6] = 1.0
    x = _blocks(analyses, index, idf, settings, cue_std, cfg)
    y = np.concatenate(labels)
    weight = sample_weights(labels, cfg)
    clf = LogisticRegression(C=cfg.c, solver="liblinear", max_iter=1000, random_state=SEED)
    clf.fit(x, y, sample_weight=weight)
    w = clf.coef_.ravel()
    v = len(vocabulary)
    w_terms = w[:v]
    offset = v
    w_context = None
    if settings.context:
        w_context = w[offset : offset + v] * cfg.context_scale
        offset += v
    w_cues = w[offset:] * cfg.cue_scale if cfg.cue_scale else np.zeros(len(cue_std))
    return Fitted(
        settings=settings,
        vocabulary=vocabulary,
        idf=idf,
        w_terms=w_terms,
        w_context=w_context,
        cue_std=cue_std,
        w_cues=w_cues,
        bias=float(clf.intercept_[0]),
    )


def _fit_trees(raw, y, weight, cfg: Config) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier  # training only

    clf = HistGradientBoostingClassifier(
        learning_rate=cfg.tree_rate,
        max_iter=cfg.tree_max_iter,
        max_leaf_nodes=cfg.tree_leaves,
        min_samples_leaf=cfg.tree_min_leaf,
        l2_regularization=cfg.tree_l2,
        early_stopping=False,
        random_state=SEED,
    )
    clf.fit(raw, y, sample_weight=weight)
    return stance_trees.export(clf)


# --- cross-validation ------------------------------------------------------------------


def fold_of(debates: list[Debate], folds: int) -> list[int]:
    """Leave-one-debate-out when `folds` is 0 or at least the number of debates; else
    debates dealt to `folds` groups, largest first, each to the group with the fewest
    sentences so far (deterministic, balanced)."""
    return _groups([len(d.sentences) for d in debates], folds)


def _groups(sizes: list[int], folds: int) -> list[int]:
    if folds <= 0 or folds >= len(sizes):
        return list(range(len(sizes)))
    totals = [0] * folds
    out = [0] * len(sizes)
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        k = min(range(folds), key=lambda k: (totals[k], k))
        out[i] = k
        totals[k] += sizes[i]
    return out


def cross_validate(debates, cfg: Config, folds: int = 0, memo: Analyses | None = None, log=None):
    """Out-of-fold logits per debate and the figures of each held-out debate."""
    labelled = [d for d in debates if d.labels is not None]
    memo = memo or Analyses(labelled)
    analyses = memo.of(cfg.settings())
    group = fold_of(labelled, folds)
    logits: list[np.ndarray] = [np.zeros(0)] * len(labelled)
    for k in sorted(set(group)):
        train = [i for i, g in enumerate(group) if g != k]
        model = fit([analyses[i] for i in train], [labelled[i].labels for i in train], cfg)
        for i, g in enumerate(group):
            if g == k:
                logits[i] = model.logits(analyses[i])
    per_debate = {
        d.name: {**figures(d.labels, z), "sentences": len(d.sentences), "positives": d.positives}
        for d, z in zip(labelled, logits, strict=True)
    }
    summary = summarise(per_debate)
    if log:
        log(format_table(per_debate, summary))
    return {"per_debate": per_debate, "mean": summary, "logits": logits}


def summarise(per_debate: dict) -> dict[str, float]:
    return {
        key: float(np.mean([row[key] for row in per_debate.values()]))
        for key in ("ap", "r_precision", "p_at_10")
    }


def format_table(per_debate: dict, summary: dict) -> str:
    lines = [f"{'debate':32} {'sent':>5} {'pos':>4} {'AP':>7} {'R-prec':>7} {'P@10':>6}"]
    for name, row in per_debate.items():
        lines.append(
            f"{name:32} {row['sentences']:5d} {row['positives']:4d} {row['ap']:7.4f} "
            f"{row['r_precision']:7.4f} {row['p_at_10']:6.3f}"
        )
    lines.append(
        f"{'mean over debates':43} {summary['ap']:7.4f} {summary['r_precision']:7.4f} "
        f"{summary['p_at_10']:6.3f}"
    )
    return "\n".join(lines)


def fit_calibration(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling: slope and offset so sigmoid(slope * z + offset) fits the labels."""

    def nll(params):
        a, b = params
        z = a * logits + b
        return float(np.mean(np.logaddexp(0.0, z) - labels * z))

    result = optimize.minimize(nll, x0=np.array([1.0, -3.0]), method="Nelder-Mead")
    return float(result.x[0]), float(result.x[1])


# --- the whole run ---------------------------------------------------------------------


def train(data_dir, out, cfg: Config | None = None, folds: int = 0, log=print) -> dict:
    """Cross-validate (for the figures and the calibration), refit on every debate and
    write the artifact. Returns the cross-validation figures."""
    cfg = cfg or Config()
    started = time.time()
    debates = [d for d in read_debates(data_dir) if d.labels is not None]
    if not debates:
        raise ValueError(f"no labelled debates in {data_dir}")
    total = sum(len(d.sentences) for d in debates)
    positives = sum(d.positives for d in debates)
    log(f"{len(debates)} debates, {total} sentences, {positives} check-worthy")
    memo = Analyses(debates)
    cv = None
    if len(debates) >= 2:
        cv = cross_validate(debates, cfg, folds, memo, log)
        z = np.concatenate(cv["logits"])
        y = np.concatenate([d.labels for d in debates])
        calibration = fit_calibration(z, y)
    analyses = memo.of(cfg.settings())
    model = fit(analyses, [d.labels for d in debates], cfg)
    if cv is None:  # one debate: calibrate on its own (optimistic) predictions
        calibration = fit_calibration(model.logits(analyses[0]), debates[0].labels)
    path = write_artifact(model, out, cfg, calibration, cv, debates, folds, data_dir)
    log(f"calibration: slope {calibration[0]:.4f}, offset {calibration[1]:.4f}")
    log(f"wrote {path}.npz and {path}.json in {time.time() - started:.0f}s")
    return cv["mean"] if cv else {}


def write_artifact(model: Fitted, out, cfg, calibration, cv, debates, folds, data_dir) -> Path:
    as_folder = str(out).endswith(("/", "\\"))  # Path() would drop the trailing slash
    out = Path(out)
    if out.is_dir() or as_folder:
        out = out / "checkworthiness"
    out = out.with_suffix("") if out.suffix in {".npz", ".json"} else out
    out.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        "idf": model.idf.astype(np.float32),
        "w_terms": model.w_terms.astype(np.float32),
        "cue_std": model.cue_std.astype(np.float32),
        "w_cues": model.w_cues.astype(np.float32),
    }
    if model.w_context is not None:
        arrays["w_context"] = model.w_context.astype(np.float32)
    for name, arr in (model.trees or {}).items():
        arrays[f"trees_{name}"] = arr
    # float32 is what inference reads: the bias and calibration are fitted in float64
    # on weights that are later rounded, a difference far below the scores' resolution.
    with open(f"{out}.npz", "wb") as handle:
        np.savez_compressed(handle, **arrays)
    digest = hashlib.sha256(Path(f"{out}.npz").read_bytes())
    digest.update(json.dumps([model.vocabulary, model.bias, calibration]).encode())
    meta = {
        "format": 1,
        "version": f"checkworthiness-1.0-{digest.hexdigest()[:10]}",
        "feature_set": FEATURE_SET,
        "settings": asdict(model.settings),
        "cues": cue_block_names(model.settings),
        "bias": model.bias,
        "tree_weight": model.tree_weight if model.trees is not None else 0.0,
        "calibration": [round(calibration[0], 6), round(calibration[1], 6)],
        "training": {
            "data": Path(data_dir).name,
            "debates": [d.name for d in debates],
            "sentences": sum(len(d.sentences) for d in debates),
            "positives": sum(d.positives for d in debates),
            "config": asdict(cfg),
            "seed": SEED,
        },
        "cross_validation": None
        if cv is None
        else {
            "scheme": "leave-one-debate-out"
            if folds <= 0 or folds >= len(debates)
            else f"grouped {folds}-fold over debates",
            "mean": {k: round(v, 4) for k, v in cv["mean"].items()},
            "per_debate": {
                name: {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
                for name, row in cv["per_debate"].items()
            },
        },
        "vocabulary": model.vocabulary,
    }
    Path(f"{out}.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")))
    return out
