"""Check-worthiness of sentences: how much a sentence is worth a fact-checker's time.

A factual, specific, consequential sentence (numbers, named people and bodies, plans and
promises, comparisons, what someone said) should score high; a greeting, a question or an
opinion low. Every sentence of an article gets a score in 0..1, read with its neighbours.

The model is a committed artifact (``models/checkworthiness.npz`` arrays +
``models/checkworthiness.json`` vocabulary and settings) written by
``train_checkworthiness``; running it needs numpy and scipy only. A logistic regression
reads tf-idf word n-grams of the sentence and, as a block of its own, those of its two
neighbours averaged; gradient-boosted trees (stored as arrays, see stance_trees) read
hand-made cue features of the sentence and of each neighbour; their logits are blended.
The score is that logit through a sigmoid whose slope and offset were fitted on
cross-validation predictions, so it reads as a probability under the training data's
base rate. See MODEL_CARD_checkworthiness.md.

    from claims.engine.checkworthiness import score_sentences
    scores = score_sentences(["Unemployment fell to 3.5% in 2019.", "Thank you all."])
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from claims.engine import stance_trees
from claims.engine.artifact import read_artifact
from claims.engine.text import fold, stem

DEFAULT_PATH = Path(__file__).resolve().parent / "models" / "checkworthiness"
FEATURE_SET = "cw-1"  # bumped whenever analysis below changes what a sentence yields

# Numbers (with thousands separators, decimals and ordinal or plural endings), words
# (internal apostrophes, hyphens and dots kept), and the symbols that say "quantity" or
# "question".
_TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?\b|[^\W\d_]+(?:['\-.][^\W_]+)*|[$%?!\u20ac\u00a3\"]"
)
_DIGIT = re.compile(r"\d")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- cue lexicons (lower-cased surface forms) -------------------------------------------

_FUTURE = _words(
    """will won't 'll shall gonna going plan plans planned planning intend intends
    intended promise promises promised propose proposes proposed proposal proposals
    pledge pledged vow vowed commit committed tomorrow soon next upcoming future"""
)
_REPORTED = _words(
    """said says say saying told tells tell claimed claims claim stated states announced
    announces reported reports according admitted admits testified wrote writes insisted
    argued suggested warned acknowledged confirmed denied denies predicted called
    endorsed quoted estimated estimates found finds concluded showed shows"""
)
_COMPARATIVE = _words(
    """more less fewer most least better worse best worst higher lower highest lowest
    bigger biggest larger largest greater greatest smaller smallest faster fastest
    slower richer poorest richest cheaper longer longest shorter than record ever
    single only first last twice double doubled triple tripled times"""
)
_CHANGE = _words(
    """increase increased increases increasing decrease decreased decreases rise rose
    risen rising fall fell fallen falling drop dropped dropping cut cuts grew grow grown
    growth gain gained lost lose losing loss losses declined decline up down raised
    raise reduced reduce doubled soared plunged jumped"""
)
_QUANTITY = _words(
    """million millions billion billions trillion trillions thousand thousands hundred
    hundreds percent percentage dollars dollar cents half third quarter dozen dozens
    majority minority number numbers rate average one two three four five six seven
    eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty
    ninety zero none every all nobody"""
)
_TIME = _words(
    """year years ago since decade decades century today yesterday last month months week
    weeks january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday during until
    before after when"""
)
_PAST = _words(
    """was were had did made got took gave went came voted passed signed approved
    supported opposed created killed lost won spent paid left sent built brought became
    began wrote"""
)
_FIRST_PLURAL = _words("we we're we've we'll we'd our ours us ourselves")
_FIRST_SINGULAR = _words("i i'm i've i'll i'd me my mine myself")
_SECOND = _words("you you're you've you'll you'd your yours yourself")
_THIRD = _words("he she they he's she's they're his her hers their theirs him them it's")
_NEGATION = _words(
    """not no never nothing none nobody neither nor without cannot can't don't doesn't
    didn't isn't wasn't aren't weren't won't hasn't haven't hadn't couldn't shouldn't
    wouldn't"""
)
_HEDGE = _words(
    """think thinks believe believes maybe perhaps probably possibly guess feel feels
    hope hopes seem seems might could may suppose frankly honestly certainly sure
    obviously clearly"""
)
_EVALUATIVE = _words(
    """great good bad terrible wonderful amazing beautiful horrible disaster disastrous
    incredible tremendous love loved hate nice fantastic sad strong weak stupid smart
    proud happy unfair fair wrong right important respect thank thanks
    honor honored pleasure glad"""
)
_OBLIGATION = _words("must should need needs needed ought have has got")
_PROCEDURAL = _words(
    """thank thanks welcome hello hi evening morning applause laughter crosstalk
    question questions minute minutes seconds please okay ok yes yeah wow oh audience
    ladies gentlemen goodnight bye"""
)
_DISCOURSE_OPENERS = _words("well so and but now look oh okay ok yes no because or")
_WH = _words("what who whom whose why how when where which")
_POLICY = _words(
    """tax taxes jobs job economy deficit debt trade wages income unemployment crime
    immigration immigrants border health healthcare insurance medicare medicaid budget
    spending military war troops terrorism energy oil coal climate emissions education
    schools prices inflation gdp deal deals law laws bill legislation vote voted court
    police guns refugees"""
)
_MONTHS = _words(
    "january february march april june july august september october november december"
)
_LEXICONS = {
    "future": _FUTURE,
    "reported": _REPORTED,
    "comparative": _COMPARATIVE,
    "change": _CHANGE,
    "quantity": _QUANTITY,
    "time": _TIME,
    "past": _PAST,
    "we": _FIRST_PLURAL,
    "i": _FIRST_SINGULAR,
    "you": _SECOND,
    "third_person": _THIRD,
    "negation": _NEGATION,
    "hedge": _HEDGE,
    "evaluative": _EVALUATIVE,
    "obligation": _OBLIGATION,
    "procedural": _PROCEDURAL,
    "policy": _POLICY,
}
_PHRASES = {
    "going_to": re.compile(r"\b(?:going|plan(?:s|ning)?|intend(?:s)?|want|wants) to\b"),
    "according_to": re.compile(r"\baccording to\b"),
    "than": re.compile(r"\b(?:\w+er|more|less|fewer) than\b"),
    "superlative": re.compile(
        r"\b(?:the )?(?:most|least|\w{3,}est)\b(?<!\binterest)(?<!\bforest)(?<!\bhonest)"
        r"(?<!\bmodest)(?<!\brest)(?<!\btest)(?<!\bprotest)(?<!\bguest)(?<!\bsuggest)"
        r"(?<!\brequest)(?<!\bmanifest)(?<!\bwest)(?<!\bdigest)(?<!\binvest)"
    ),
    "we_will": re.compile(r"\bwe(?:'ll| will| are going to| plan to| need to| must)\b"),
    "i_think": re.compile(r"\bi (?:think|believe|guess|feel|hope|mean)\b"),
    "per_time": re.compile(r"\b(?:a|per|each|every) (?:year|month|week|day)\b"),
    "since_year": re.compile(r"\b(?:since|in|by) (?:the )?(?:1[89]|20)\d\d\b"),
}


def tokens(text: str) -> list[str]:
    """Tokens of a sentence with their case: numbers, words and $ % ? ! "."""
    return _TOKEN.findall(fold(text))


def _shape(token: str) -> str:
    """The lower-cased term of a token, numbers reduced to their kind."""
    if token[0].isdigit():
        bare = token.replace(",", "")
        if len(bare) == 4 and bare[:2] in {"19", "20"}:
            return "<year>"
        if bare.endswith("s") and not bare.endswith("th"):
            return "<decade>" if len(bare) in {3, 5} else "<num>"
        if bare[-2:] in {"st", "nd", "rd", "th"}:
            return "<ordinal>"
        return "<num>"
    return token.casefold()


def cue_names() -> list[str]:
    names = [
        "log_tokens",
        "short",
        "long",
        "numbers",
        "has_number",
        "years",
        "percent",
        "money",
        "decimal",
        "capitalised",
        "capitalised_spans",
        "acronyms",
        "question",
        "exclamation",
        "quote",
        "starts_with_wh",
        "starts_with_discourse",
        "ends_with_ellipsis",
        "dashes",
        "past_ed",
        "stopword_share",
        "months",
    ]
    names += [f"lex_{name}" for name in _LEXICONS]
    names += [f"phrase_{name}" for name in _PHRASES]
    return names


_FUNCTION = _words(
    """the a an of to in and or but that this these those is are was were be been being
    it its for on at by with from as so if then there here just very really what which
    who do does did have has had not"""
)


def cues(text: str, toks: list[str] | None = None) -> list[float]:
    """The hand-made cue features of one sentence, in `cue_names()` order."""
    toks = tokens(text) if toks is None else toks
    lower = [t.casefold() for t in toks]
    words = [t for t in toks if t[0].isalpha()]
    n = max(len(lower), 1)
    numbers = [t for t in toks if t[0].isdigit()]
    folded = fold(text)
    flat = " ".join(lower)
    capitalised = 0
    spans = 0
    previous_cap = False
    for k, tok in enumerate(toks):
        is_cap = tok[0].isupper() and k > 0 and tok != "I" and not tok.startswith("I'")
        if is_cap:
            capitalised += 1
            if not previous_cap:
                spans += 1
        previous_cap = is_cap
    acronyms = sum(1 for t in words if len(t) >= 2 and t.isupper() and t != "I")
    stripped = folded.rstrip()
    first = lower[0] if lower else ""
    row = [
        math.log1p(len(lower)),
        float(len(lower) < 5),
        float(len(lower) > 30),
        math.log1p(len(numbers)),
        float(bool(numbers)),
        float(sum(1 for t in numbers if _shape(t) == "<year>")),
        float("%" in toks or "percent" in lower or "per cent" in flat),
        float(
            "$" in toks
            or "\u20ac" in toks
            or "\u00a3" in toks
            or any(w in {"dollars", "dollar", "cents"} for w in lower)
        ),
        float(any("." in t for t in numbers)),
        capitalised / n,
        math.log1p(spans),
        math.log1p(acronyms),
        float(stripped.endswith("?")),
        float(stripped.endswith("!")),
        float('"' in toks),
        float(first in _WH),
        float(first in _DISCOURSE_OPENERS),
        float(stripped.endswith("...") or stripped.endswith("--") or stripped.endswith("-")),
        float("--" in folded or " - " in folded),
        sum(1 for w in lower if len(w) > 4 and w.endswith("ed")) / n,
        sum(1 for w in lower if w in _FUNCTION) / n,
        float(any(w in _MONTHS for w in lower)),
    ]
    for lexicon in _LEXICONS.values():
        row.append(math.log1p(sum(1 for w in lower if w in lexicon)))
    for pattern in _PHRASES.values():
        row.append(float(bool(pattern.search(flat))))
    return row


@dataclass(frozen=True)
class Settings:
    """How sentences become features; stored in the artifact so inference matches."""

    word_ngrams: int = 3  # 1 = unigrams, 2 = unigrams and bigrams, ...
    stem: bool = True  # Snowball-stem words before making word n-grams
    char_min: int = 0  # character n-grams inside word boundaries (0 = none)
    char_max: int = 0
    context: bool = True  # the neighbours' n-grams as a block of their own
    context_cues: bool = True  # the neighbours' cues beside the sentence's own


@dataclass
class Analysis:
    """What one sentence yields, independent of any vocabulary."""

    terms: list[str]  # word n-grams, then character n-grams (prefixed "~")
    cues: list[float]


def analyse(text: str, settings: Settings) -> Analysis:
    toks = tokens(text)
    shapes = [_shape(t) for t in toks if t != '"']
    if settings.stem:
        shapes = [stem(s) if s[0].isalpha() else s for s in shapes]
    out = list(shapes)
    padded = ["<s>", *shapes]
    for n in range(2, settings.word_ngrams + 1):
        out += [" ".join(padded[k : k + n]) for k in range(len(padded) - n + 1)]
    if settings.char_min:
        for s in shapes:
            word = f" {s} "
            for n in range(settings.char_min, settings.char_max + 1):
                out += ["~" + word[k : k + n] for k in range(len(word) - n + 1)]
    return Analysis(out, cues(text, toks))


def term_matrix(analyses: list[Analysis], index: dict[str, int], idf: np.ndarray):
    """Sublinear tf times idf, each row L2-normalised, over the vocabulary `index`."""
    indptr = [0]
    cols: list[int] = []
    vals: list[float] = []
    for analysis in analyses:
        counts: dict[int, int] = {}
        for term in analysis.terms:
            col = index.get(term)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if counts:
            c = np.fromiter(counts.keys(), np.int64, len(counts))
            v = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * idf[c]
            v /= np.sqrt(v @ v)
            cols += c.tolist()
            vals += v.tolist()
        indptr.append(len(cols))
    return sparse.csr_matrix(
        (np.asarray(vals, np.float64), np.asarray(cols, np.int64), np.asarray(indptr)),
        shape=(len(analyses), len(idf)),
    )


def neighbours_mean(x):
    """Row i becomes the mean of rows i-1 and i+1 (the one that exists, at the ends);
    works on sparse and dense matrices alike."""
    n = x.shape[0]
    if n < 2:
        return x * 0.0
    rows = np.concatenate([np.arange(1, n), np.arange(n - 1)])
    cols = np.concatenate([np.arange(n - 1), np.arange(1, n)])
    weight = np.full(n, 0.5)
    weight[[0, -1]] = 1.0
    shift = sparse.csr_matrix((weight[rows], (rows, cols)), shape=(n, n))
    return shift @ x


def cue_block(analyses: list[Analysis], settings: Settings) -> np.ndarray:
    """Own cues, then (with context cues) the previous and next sentence's cues and two
    flags for a missing neighbour (first or last sentence)."""
    own = np.array([a.cues for a in analyses], dtype=np.float64).reshape(len(analyses), -1)
    if not settings.context_cues:
        return own
    n, d = own.shape
    prev = np.zeros((n, d))
    nxt = np.zeros((n, d))
    if n > 1:
        prev[1:] = own[:-1]
        nxt[:-1] = own[1:]
    first = np.zeros((n, 1))
    last = np.zeros((n, 1))
    if n:
        first[0] = 1.0
        last[-1] = 1.0
    return np.hstack([own, prev, nxt, first, last])


def cue_block_names(settings: Settings) -> list[str]:
    names = cue_names()
    if not settings.context_cues:
        return names
    previous = [f"prev_{c}" for c in names]
    following = [f"next_{c}" for c in names]
    return [*names, *previous, *following, "is_first", "is_last"]


def design(analyses: list[Analysis], index: dict[str, int], idf: np.ndarray, settings):
    """The blocks the linear model reads: sentence terms, neighbours' terms (or None) and
    raw cues (not yet standardised)."""
    own = term_matrix(analyses, index, idf)
    context = neighbours_mean(own) if settings.context else None
    return own, context, cue_block(analyses, settings)


class CheckWorthinessModel:
    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]):
        if meta.get("feature_set") != FEATURE_SET:
            raise ValueError("check-worthiness artifact has another feature set; retrain it")
        self.settings = Settings(**meta["settings"])
        if cue_block_names(self.settings) != meta["cues"]:
            raise ValueError("check-worthiness artifact was trained with other cues; retrain it")
        self.meta = meta
        self.version: str = meta["version"]
        self.vocabulary: list[str] = meta["vocabulary"]
        self.index = {t: i for i, t in enumerate(self.vocabulary)}
        self.idf = arrays["idf"].astype(np.float64)
        self.w_terms = arrays["w_terms"].astype(np.float64)
        self.w_context = arrays["w_context"].astype(np.float64) if self.settings.context else None
        self.cue_std = arrays["cue_std"].astype(np.float64)
        self.w_cues = arrays["w_cues"].astype(np.float64)
        self.bias = float(meta["bias"])
        trees = {k[len("trees_") :]: v for k, v in arrays.items() if k.startswith("trees_")}
        self.trees = trees or None
        self.tree_weight = float(meta.get("tree_weight", 0.0)) if trees else 0.0
        self.slope, self.offset = (float(v) for v in meta["calibration"])

    @classmethod
    def load(cls, path: str | Path | None = None) -> "CheckWorthinessModel":
        base = Path(path) if path is not None else DEFAULT_PATH
        if base.is_dir():
            base = base / "checkworthiness"
        return cls(*read_artifact(base))

    def logits(self, sentences: list[str]) -> np.ndarray:
        """Uncalibrated scores, one a sentence, each read with its neighbours in the list."""
        if not sentences:
            return np.zeros(0)
        analyses = [analyse(s, self.settings) for s in sentences]
        own, context, raw = design(analyses, self.index, self.idf, self.settings)
        z = own @ self.w_terms + (raw / self.cue_std) @ self.w_cues + self.bias
        if context is not None:
            z = z + context @ self.w_context
        if self.trees is not None:
            tree_z = stance_trees.raw_scores(self.trees, raw)[:, 0]
            z = (1.0 - self.tree_weight) * z + self.tree_weight * tree_z
        return np.asarray(z, dtype=np.float64).ravel()

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """Scores in 0..1, the calibrated probability that each sentence is worth checking."""
        z = self.slope * self.logits(sentences) + self.offset
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).tolist()


@lru_cache(maxsize=1)
def get_model() -> CheckWorthinessModel:
    """The committed model, loaded once per process."""
    return CheckWorthinessModel.load()


def score_sentences(sentences: list[str]) -> list[float]:
    """Check-worthiness in 0..1 for each sentence of one text, given in reading order
    (neighbouring sentences are part of each one's context)."""
    return get_model().score_sentences(list(sentences))


def version() -> str:
    """Version of the committed model, e.g. to record beside stored scores."""
    return get_model().version
