"""Stance of an article toward a claim: supports, refutes, discusses or unrelated.

The model is a committed artifact (``models/stance.npz`` arrays + ``models/stance.json``
vocabulary and settings) written by ``train_stance``; running it needs numpy and scipy
only. Two stages of small averaged networks, each blended with boosted trees stored as
arrays (stance_trees): is the article about the claim at all, and if so, which stance
does it take. Article-side features are computed once per Document.

    model = get_model()
    result = model.predict("Claim text", Document.parse(article_text))
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from claims.engine import stance_trees
from claims.engine.artifact import read_artifact
from claims.engine.document import Document
from claims.engine.stance_features import (
    LEXICONS,
    FeatureExtractor,
    PairFeatures,
    Vocabulary,
    cue_totals,
    dense_feature_names,
)
from claims.engine.text import Span

DEFAULT_PATH = Path(__file__).resolve().parent / "models" / "stance"
LABELS = ("supports", "refutes", "discusses", "unrelated")  # same order as FNC's labels

# Which cue lexicons make a sentence a better witness for each label.
_WITNESS_CUES = {
    "supports": ("support",),
    "refutes": ("refute", "negation"),
    "discusses": ("hedge",),
    "unrelated": (),
}
_LEX_ORDER = tuple(LEXICONS)


@dataclass
class StanceResult:
    label: str  # one of LABELS
    score: float  # calibrated probability of the label
    probabilities: dict[str, float]
    sentences: list[Span] = field(default_factory=list)  # deciding sentences, best first


class StanceModel:
    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]):
        if dense_feature_names() != meta["dense_features"]:
            raise ValueError("stance artifact was trained with different features; retrain it")
        v = meta["vocabulary"]
        self.vocab = Vocabulary(
            idf=v["idf"],
            default_idf=v["default_idf"],
            avg_doc_len=v["avg_doc_len"],
            claim_vocab=v["claim"],
            body_vocab=v["body"],
        )
        self.version: str = meta["version"]
        self.meta = meta
        self.mean = arrays["mean"].astype(np.float64)
        self.std = arrays["std"].astype(np.float64)
        self.stages = {
            s: {k: arrays[f"{s}_{k}"].astype(np.float32) for k in ("w1", "b1", "w2", "b2")}
            for s in ("a", "b")
        }
        # optional gradient-boosted trees on the raw dense features, blended per stage
        weights = meta.get("tree_weights", {})
        self.trees = {
            s: {k: arrays[f"trees_{s}_{k}"] for k in (*stance_trees.ARRAYS, "baseline", "depth")}
            for s in ("a", "b")
            if weights.get(s) and f"trees_{s}_root" in arrays
        }
        self.tree_weights = {s: float(weights[s]) for s in self.trees}
        self.t_a = float(meta["temperatures"]["a"])
        self.t_b = float(meta["temperatures"]["b"])
        self.n_dense = len(self.mean)
        self.extractor = FeatureExtractor(self.vocab, cache_key=f"stance:{self.version}")

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StanceModel":
        base = Path(path) if path is not None else DEFAULT_PATH
        return cls(*read_artifact(base))

    # --- scoring -----------------------------------------------------------------------

    def _log_probs(self, stage: dict[str, np.ndarray], first_layer: np.ndarray) -> np.ndarray:
        """Mean over members of log-softmax outputs, given each member's hidden
        pre-activation without bias (members x hidden)."""
        h = np.maximum(first_layer + stage["b1"], 0.0)
        z = np.einsum("mh,mhk->mk", h, stage["w2"]) + stage["b2"]
        z = z - z.max(axis=1, keepdims=True)
        return (z - np.log(np.exp(z).sum(axis=1, keepdims=True))).mean(axis=0)

    def probabilities(self, feats: PairFeatures) -> np.ndarray:
        """Calibrated probabilities in LABELS order."""
        x = ((feats.dense - self.mean) / self.std).astype(np.float32)
        a, b = self.stages["a"], self.stages["b"]
        za = self._log_probs(a, np.einsum("d,mdh->mh", x, a["w1"]))
        w1 = b["w1"]
        pre = np.einsum("d,mdh->mh", x, w1[:, : self.n_dense])
        body_offset = self.n_dense + len(self.vocab.claim_vocab)
        for (idx, val), offset in (
            (feats.claim_bow, self.n_dense),
            (feats.body_bow, body_offset),
        ):
            if len(idx):
                rows = w1[:, offset + idx]  # members x k x hidden
                pre = pre + np.einsum("k,mkh->mh", val.astype(np.float32), rows)
        zb = self._log_probs(b, pre)
        if self.trees:
            za, zb = self._blend_trees(feats.dense, za, zb)
        pa = _softmax(za / self.t_a)
        pb = _softmax(zb / self.t_b)
        return np.concatenate([pa[1] * pb, pa[:1]]).astype(np.float64)

    def _blend_trees(self, dense: np.ndarray, za: np.ndarray, zb: np.ndarray):
        out = {"a": za, "b": zb}
        for stage, trees in self.trees.items():
            w = self.tree_weights[stage]
            out[stage] = (1.0 - w) * out[stage] + w * stance_trees.log_probs(trees, dense)
        return out["a"], out["b"]

    def predict(self, claim_text: str, doc: Document) -> StanceResult:
        feats = self.extractor.features(claim_text, doc)
        probs = self.probabilities(feats)
        best = int(np.argmax(probs))
        label = LABELS[best]
        return StanceResult(
            label=label,
            score=float(probs[best]),
            probabilities={lab: float(p) for lab, p in zip(LABELS, probs, strict=True)},
            sentences=self._witnesses(label, feats, doc),
        )

    def predict_many(self, claim_texts, doc: Document) -> list[StanceResult]:
        return [self.predict(text, doc) for text in claim_texts]

    def _witnesses(self, label: str, feats: PairFeatures, doc: Document) -> list[Span]:
        """The 1-3 sentences most similar to the claim, with a bonus for the cue words of
        the decided label that stand near the claim's terms (or anywhere in the sentence)."""
        sims = feats.similarities
        if not len(sims) or sims.max() <= 0:
            return []
        cues = [_LEX_ORDER.index(name) for name in _WITNESS_CUES[label]]
        counts = cue_totals(doc, self.vocab, self.extractor.key)
        score = sims.copy()
        if cues:
            near = feats.near_cues[:, cues].sum(axis=1)
            anywhere = counts[:, cues].sum(axis=1)
            score = score + 0.15 * (near > 0) + 0.05 * (anywhere > 0)
        score[sims <= 0] = -math.inf
        limit = 1 if label == "unrelated" else 3
        top = [int(i) for i in np.argsort(-score, kind="stable")[:limit] if score[i] > -math.inf]
        floor = 0.5 * sims[top[0]]
        keep = [top[0]] + [i for i in top[1:] if sims[i] >= floor]
        return [doc.sentences[i] for i in keep]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


@lru_cache(maxsize=1)
def get_model() -> StanceModel:
    """The committed model, loaded once per process."""
    return StanceModel.load()
