"""How well a piece of text (a sentence, two adjacent sentences, or a whole short text)
matches a tracked claim: a handful of lexical features and a small logistic model over
them, computed for many (unit, claim) pairs at once with dense numpy arithmetic.

The score is the model's probability that the unit is about the claim. The model is
trained on CheckThat! 2022 task 2A (tweets against fact-checked claims, see
`train_match.py`) and stored as plain JSON next to this module.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("models") / "match.json"

FEATURES = (
    "log_bm25_text",  # BM25 of the unit's terms against the claim's own words (scaled)
    "log_bm25_extra",  # the same against the claim's context (title, subtitle)
    "coverage",  # share of the claim's idf mass the unit contains
    "coverage_sq",
    "coverage_extra",  # share of the context's idf mass the unit contains
    "precision",  # share of the unit's idf mass found in the claim or its context
    "bigrams",  # share of the claim's adjacent term pairs found in the unit
    "numbers",  # share of the claim's numbers found in the unit
    "numbers_missing",  # the claim has numbers and the unit has none of them
    "has_extra",
)


@dataclass(frozen=True)
class Params:
    """Retrieval constants: BM25 saturation and length normalisation, and the weight of
    the context field in candidate generation."""

    k1: float = 1.2
    b: float = 0.75
    extra_weight: float = 0.5


@dataclass(frozen=True)
class Model:
    """Logistic model over standardised features."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    params: Params

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "Model":
        if not path.exists():
            return cls.default()
        data = json.loads(path.read_text())
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"{path} was trained on other features: retrain it")
        return cls(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            Params(**data["params"]),
        )

    @classmethod
    def default(cls) -> "Model":
        """Hand-set weights, used only when no trained model is present."""
        weights = np.zeros(len(FEATURES))
        for name, value in {"coverage": 6.0, "precision": 2.0, "bigrams": 1.0}.items():
            weights[FEATURES.index(name)] = value
        n = len(FEATURES)
        return cls(weights, -5.0, np.zeros(n), np.ones(n), Params())

    def to_json(self, extra: dict | None = None) -> str:
        data = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
            "params": vars(self.params),
            **(extra or {}),
        }
        return json.dumps(data, indent=1) + "\n"

    @property
    def version(self) -> str:
        """Names these exact weights, so evidence records which matcher found it."""
        digest = hashlib.sha256(self.to_json().encode()).hexdigest()[:10]
        return f"match-1.0-{digest}"

    def logits(self, features: np.ndarray) -> np.ndarray:
        """features: (..., len(FEATURES)) -> logits (...)."""
        return ((features - self.mean) / self.scale) @ self.weights + self.bias


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


# A newsroom starts with a handful of claims, and then every word is in a few of them:
# idf would say nothing is rare. Counting the collection as at least this many claims
# (the others sharing none of its words) keeps a small index matching like a large one.
MIN_COLLECTION = 1000


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """BM25's idf, always positive, over a collection of at least MIN_COLLECTION."""
    n_docs = max(n_docs, MIN_COLLECTION)
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


def saturate(tf: np.ndarray, length: np.ndarray, avg: float, p: Params) -> np.ndarray:
    """BM25's term-frequency factor; zero where tf is zero."""
    norm = p.k1 * (1.0 - p.b + p.b * length / max(avg, 1e-9))
    return tf * (p.k1 + 1.0) / (tf + norm)


@dataclass
class Units:
    """The pieces of a text that are compared with claims, over a local vocabulary.

    terms: sorted known term ids the text contains; presence: (units, terms) 0/1;
    bigrams: sorted bigram keys; bigram_presence: (units, bigrams) 0/1; idf_mass: each
    unit's total idf, unknown terms included; members: the sentence indices of each unit.
    """

    terms: np.ndarray
    presence: np.ndarray
    bigrams: np.ndarray
    bigram_presence: np.ndarray
    unknown: list[list[str]]
    members: list[tuple[int, ...]]

    @property
    def size(self) -> int:
        return len(self.members)


def bigram_keys(ids: np.ndarray) -> np.ndarray:
    """Keys of adjacent term-id pairs (ids must be >= 0)."""
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) < 2:
        return np.zeros(0, dtype=np.int64)
    return (ids[:-1] << 32) | ids[1:]


def make_units(sentence_ids: list[list[int]], whole: bool, unknown: list[list[str]]) -> Units:
    """Units from per-sentence term ids (-1 for terms no claim has). With whole=True the
    text is one unit; otherwise each sentence and each pair of adjacent sentences."""
    if whole or len(sentence_ids) <= 1:
        members = [tuple(range(len(sentence_ids)))]
    else:
        n = len(sentence_ids)
        members = [(i,) for i in range(n)] + [(i, i + 1) for i in range(n - 1)]
    known = [np.asarray([t for t in ids if t >= 0], dtype=np.int64) for ids in sentence_ids]
    grams = []
    for ids in sentence_ids:
        arr = np.asarray(ids, dtype=np.int64)
        keys = bigram_keys(arr)
        if len(keys):
            keys = keys[(arr[:-1] >= 0) & (arr[1:] >= 0)]
        grams.append(keys)
    terms = np.unique(np.concatenate(known)) if known else np.zeros(0, dtype=np.int64)
    bigrams = np.unique(np.concatenate(grams)) if grams else np.zeros(0, dtype=np.int64)
    presence = np.zeros((len(members), len(terms)), dtype=np.float32)
    bigram_presence = np.zeros((len(members), len(bigrams)), dtype=np.float32)
    unit_unknown = []
    for u, sentences in enumerate(members):
        words: set[str] = set()
        for s in sentences:
            presence[u, np.searchsorted(terms, known[s])] = 1.0
            bigram_presence[u, np.searchsorted(bigrams, grams[s])] = 1.0
            words.update(unknown[s])
        unit_unknown.append(sorted(words))
    return Units(terms, presence, bigrams, bigram_presence, unit_unknown, members)


@dataclass
class Claims:
    """Entries of some claims gathered for scoring: one entry per (claim, term).

    owner: index of the claim (0..n-1) each entry belongs to; term, tf_text, tf_extra per
    entry; len_text, len_extra per claim; bigram_owner/bigram_key: the claim's own-text
    bigrams.
    """

    n: int
    owner: np.ndarray
    term: np.ndarray
    tf_text: np.ndarray
    tf_extra: np.ndarray
    len_text: np.ndarray
    len_extra: np.ndarray
    bigram_owner: np.ndarray
    bigram_key: np.ndarray


@dataclass(frozen=True)
class Stats:
    """Collection statistics at scoring time."""

    idf: np.ndarray  # per term id
    unknown_idf: float  # idf of a term no claim has
    is_number: np.ndarray  # per term id
    avg_text: float
    avg_extra: float


def features(units: Units, claims: Claims, stats: Stats, params: Params) -> np.ndarray:
    """(units, claims, len(FEATURES)) feature array."""
    n_units, n = units.size, claims.n
    term_idf = stats.idf[claims.term]
    in_text = claims.tf_text > 0
    in_extra = claims.tf_extra > 0
    idf_text = np.bincount(claims.owner, term_idf * in_text, minlength=n)
    idf_extra = np.bincount(claims.owner, term_idf * in_extra, minlength=n)
    numeric = stats.is_number[claims.term] & in_text
    n_numbers = np.bincount(claims.owner, numeric, minlength=n)
    n_bigrams = np.bincount(claims.bigram_owner, minlength=n)

    # Entries whose term the text contains, as dense (claims, local terms) matrices.
    pos = np.searchsorted(units.terms, claims.term)
    pos_clip = np.minimum(pos, max(len(units.terms) - 1, 0))
    hit = (
        (pos < len(units.terms)) & (units.terms[pos_clip] == claims.term)
        if len(units.terms)
        else np.zeros(len(claims.term), dtype=bool)
    )
    rows, cols = claims.owner[hit], pos[hit]
    shape = (n, len(units.terms))

    def dense(values: np.ndarray) -> np.ndarray:
        out = np.zeros(shape, dtype=np.float32)
        out[rows, cols] = values[hit]
        return out

    w_text = saturate(claims.tf_text, claims.len_text[claims.owner], stats.avg_text, params)
    w_extra = saturate(claims.tf_extra, claims.len_extra[claims.owner], stats.avg_extra, params)
    stacked = np.concatenate(
        [
            dense(term_idf * w_text),
            dense(term_idf * w_extra),
            dense(term_idf * in_text),
            dense(term_idf * in_extra),
            dense(term_idf),
            dense(numeric.astype(np.float32)),
        ],
        axis=0,
    )  # (6n, local terms)
    sums = (units.presence @ stacked.T).reshape(n_units, 6, n)
    bm25_text, bm25_extra, cov_text, cov_extra, matched, numbers = np.moveaxis(sums, 1, 0)

    unit_idf = units.presence @ stats.idf[units.terms].astype(np.float32)
    unit_idf = unit_idf + stats.unknown_idf * np.array([len(u) for u in units.unknown])

    bpos = np.searchsorted(units.bigrams, claims.bigram_key)
    bclip = np.minimum(bpos, max(len(units.bigrams) - 1, 0))
    if len(units.bigrams):
        bhit = (bpos < len(units.bigrams)) & (units.bigrams[bclip] == claims.bigram_key)
    else:
        bhit = np.zeros(len(claims.bigram_key), dtype=bool)
    bmat = np.zeros((n, len(units.bigrams)), dtype=np.float32)
    bmat[claims.bigram_owner[bhit], bpos[bhit]] = 1.0
    bigrams = units.bigram_presence @ bmat.T

    out = np.zeros((n_units, n, len(FEATURES)), dtype=np.float64)
    # BM25 in units of the largest possible idf, so scores mean the same in a small
    # collection as in a large one.
    out[..., 0] = np.log1p(bm25_text / stats.unknown_idf)
    out[..., 1] = np.log1p(bm25_extra / stats.unknown_idf)
    coverage = cov_text / np.maximum(idf_text, 1e-9)
    out[..., 2] = coverage
    out[..., 3] = coverage**2
    out[..., 4] = cov_extra / np.maximum(idf_extra, 1e-9)
    out[..., 5] = matched / np.maximum(unit_idf[:, None], 1e-9)
    out[..., 6] = bigrams / np.maximum(n_bigrams, 1)
    has_numbers = n_numbers > 0
    out[..., 7] = np.where(has_numbers, numbers / np.maximum(n_numbers, 1), 0.0)
    out[..., 8] = has_numbers & (numbers == 0)
    out[..., 9] = idf_extra > 0
    return out


# Short-text clean-up (tweets, social posts): links, handles, hashtags, emoji.
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_HANDLE = re.compile(r"@(\w+)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")


def _split_camel(word: str) -> str:
    return _CAMEL.sub(" ", word)


def clean_short_text(text: str) -> str:
    """A tweet or post made ready for matching: links and emoji dropped, hashtags and
    handles split into words ("#AustralianFires" -> "Australian Fires")."""
    text = _URL.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + _split_camel(m.group(1)) + " ", text)
    text = _HANDLE.sub(lambda m: " " + _split_camel(m.group(1)) + " ", text)
    text = _SYMBOLS.sub(" ", text)
    return " ".join(text.split())


def logit_to_score(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
