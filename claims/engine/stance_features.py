"""Features of a (claim, article) pair for the stance model.

Everything about the article is computed once per Document and kept in ``doc.cache``;
a claim then costs a few vector products. The same code serves training and inference,
so the numbers the model learnt from are exactly the numbers it sees later.
"""

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from claims.engine.document import Document
from claims.engine.text import STOPWORDS, stem, terms, token_spans, tokenize

# --- cue lexicons (matched on stemmed, lower-cased tokens, stopwords kept) ---------------

_REFUTE = """fake fakes faked hoax hoaxes false falsely debunk debunked debunks debunking
deny denies denied denial untrue satire satirical myth fabricated fabrication fabricate
misleading baseless doctored photoshopped photoshop prank bogus scam refute refuted refutes
retract retracted retraction dismiss dismissed nonsense lie lies lied erroneous incorrect
wrong disprove disproved unfounded fiction fictional spoof parody joke contrary contradict
contradicted reject rejected rebut rebuffed phony fraud fraudulent invented made-up
misreported mistaken""".split()
_NEGATION = """not no never none nobody nothing neither nor without cannot can't don't
doesn't didn't isn't wasn't aren't weren't won't hasn't haven't hadn't couldn't
shouldn't wouldn't""".split()
_HEDGE = """reportedly allegedly alleged claim claims claimed claiming rumor rumour rumors
rumours rumored rumoured unconfirmed unverified appear appears appeared apparently seem
seems seemingly possibly possible may might could suggest suggests suggested speculate
speculation speculated purportedly purported believed report reports reported sources
source unclear if whether likely unlikely perhaps question questions investigate
investigating investigation supposedly would""".split()
_SUPPORT = """confirm confirmed confirms confirmation official officially announced announce
announces revealed reveal reveals proof proved proven evidence verified verify indeed true
actually authentic genuine real shows showed showing footage revealed admitted admits
acknowledged""".split()


def _stems(words: list[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


LEXICONS = {
    "refute": _stems(_REFUTE),
    "negation": _stems(_NEGATION),
    "hedge": _stems(_HEDGE),
    "support": _stems(_SUPPORT),
}
_LEX_NAMES = tuple(LEXICONS)
_WINDOW = 6  # tokens either side of a claim term that count as "near" it
# The strongest words of denial, for "is the claim itself denied" near the claim's terms.
_DENIAL = _stems(
    """deny denies denied denial false falsely untrue hoax fake debunk debunked refute
    refuted dismiss dismissed reject rejected baseless fabricated bogus unfounded""".split()
)
_QUOTES = frozenset('"\u201c\u201d')
_FOCUS = 3  # sentences most similar to the claim that the focus features read


def _cue_stem(token: str) -> str:
    if token.endswith("n't"):
        return "not"
    return stem(token)


_SOURCE = stem("sources")


def _cue_stems(text: str) -> list[str]:
    """Stemmed tokens for cue matching; "source" after "open" (open source software) is
    not the hedge "sources say"."""
    out = [_cue_stem(tok) for tok in tokenize(text)]
    for k in range(1, len(out)):
        if out[k] == _SOURCE and out[k - 1] == "open":
            out[k] = "open-source"
    return out


def dense_feature_names() -> list[str]:
    names = [
        "cos_body",
        "cos_max_sentence",
        "cos_top3_mean",
        "cos_first_sentence",
        "cos_lead3_max",
        "coverage_idf",
        "coverage_plain",
        "coverage_best_sentence",
        "coverage_lead3",
        "bigram_overlap",
        "bm25_normalised",
        "max_unmatched_idf",
        "best_sentence_position",
        "claim_length",
        "body_sentences",
        "share_matching_sentences",
        "claim_question",
        "claim_quote",
        "names_found",
        "numbers_found",
        "coverage_best_window",
    ]
    for lex in _LEX_NAMES:
        names += [
            f"{lex}_claim",
            f"{lex}_body_rate",
            f"{lex}_top3",
            f"{lex}_lead2",
            f"{lex}_near_claim_terms",
            f"{lex}_similarity_weighted",
        ]
    # claim-focused and length-free: shares over the few sentences most like the claim
    names += [f"{lex}_focus_share" for lex in _LEX_NAMES]
    names += [f"{lex}_focus_near_share" for lex in _LEX_NAMES]
    names += [
        "polarity_mismatch",
        "focus_refute_quoted",
        "focus_report_and_refute",
        "focus_question",
        "focus_size",
        "denial_of_claim_terms",
    ]
    return names


@dataclass
class Vocabulary:
    """What feature extraction needs from training: idf weights and the two bag-of-words
    vocabularies (claim terms and article terms)."""

    idf: dict[str, float]
    default_idf: float
    avg_doc_len: float
    claim_vocab: list[str]
    body_vocab: list[str]

    def __post_init__(self):
        self.claim_index = {t: i for i, t in enumerate(self.claim_vocab)}
        self.body_index = {t: i for i, t in enumerate(self.body_vocab)}

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)


@dataclass
class _DocState:
    local: dict[str, int]  # term -> column in the sentence matrix
    idf: np.ndarray  # idf per local column
    sentence_matrix: sparse.csr_matrix  # L2-normalised tf-idf rows
    body_vector: np.ndarray  # L2-normalised tf-idf over the whole body
    term_freq: np.ndarray  # counts per local column
    sentence_sets: list[frozenset[str]]
    window_sets: list[frozenset[str]]  # terms of each two adjacent sentences
    bigrams: frozenset[tuple[str, str]]
    cue_stems: list[list[str]]  # per sentence, stemmed tokens incl. stopwords
    cue_counts: np.ndarray  # sentences x lexicons
    quoted: np.ndarray  # per sentence: holds a double quote mark
    question: np.ndarray  # per sentence: ends with a question mark
    n_tokens: int
    surface: frozenset[str]  # lower-cased tokens of the whole text, stopwords kept
    body_bow: tuple[np.ndarray, np.ndarray]  # indices, values into body_vocab


def _doc_state(doc: Document, vocab: Vocabulary, key: str) -> _DocState:
    state = doc.cache.get(key)
    if state is not None:
        return state
    local: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, sentence_terms in enumerate(doc.sentence_terms):
        counts: dict[int, int] = {}
        for t in sentence_terms:
            j = local.setdefault(t, len(local))
            counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            rows.append(i)
            cols.append(j)
            vals.append(float(c))
    n_sent, n_terms = len(doc.sentences), len(local)
    idf = np.array([vocab.weight(t) for t in local], dtype=np.float64)
    tf = sparse.csr_matrix((vals, (rows, cols)), shape=(n_sent, n_terms), dtype=np.float64)
    term_freq = np.asarray(tf.sum(axis=0)).ravel() if n_sent else np.zeros(0)
    weighted = tf.multiply(idf[None, :]).tocsr() if n_terms else tf
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    sentence_matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)
    body_vector = term_freq * idf
    body_vector = body_vector / (np.linalg.norm(body_vector) or 1.0)

    all_terms = doc.terms
    bigrams = frozenset(pairwise(all_terms))
    cue_stems = [_cue_stems(s.text) for s in doc.sentences]
    cue_counts = np.array(
        [[sum(1 for s in toks if s in LEXICONS[lex]) for lex in _LEX_NAMES] for toks in cue_stems],
        dtype=np.float64,
    ).reshape(n_sent, len(_LEX_NAMES))
    body_idx, body_val = [], []
    for t, j in local.items():
        k = vocab.body_index.get(t)
        if k is not None:
            body_idx.append(k)
            body_val.append(1.0 + math.log(term_freq[j]))
    body_val_arr = np.array(body_val, dtype=np.float64)
    body_val_arr /= np.linalg.norm(body_val_arr) or 1.0
    state = _DocState(
        local=local,
        idf=idf,
        sentence_matrix=sentence_matrix,
        body_vector=body_vector,
        term_freq=term_freq,
        sentence_sets=[frozenset(s) for s in doc.sentence_terms],
        window_sets=[frozenset(a) | frozenset(b) for a, b in pairwise(doc.sentence_terms)],
        bigrams=bigrams,
        cue_stems=cue_stems,
        cue_counts=cue_counts,
        quoted=np.array([any(c in _QUOTES for c in s.text) for s in doc.sentences], dtype=bool),
        question=np.array([s.text.rstrip("\"')\u201d ").endswith("?") for s in doc.sentences]),
        n_tokens=sum(len(t) for t in cue_stems),
        surface=frozenset(tokenize(doc.text)),
        body_bow=(np.array(body_idx, dtype=np.int64), body_val_arr),
    )
    doc.cache[key] = state
    return state


@dataclass
class PairFeatures:
    dense: np.ndarray
    claim_bow: tuple[np.ndarray, np.ndarray]
    body_bow: tuple[np.ndarray, np.ndarray]
    similarities: np.ndarray  # claim vs each sentence (cosine), for choosing sentences
    near_cues: np.ndarray  # sentences x lexicons, cues near claim terms


class FeatureExtractor:
    def __init__(self, vocab: Vocabulary, cache_key: str = "stance"):
        self.vocab = vocab
        self.key = cache_key
        self.n_dense = len(dense_feature_names())

    def features(self, claim: str, doc: Document) -> PairFeatures:
        vocab = self.vocab
        st = _doc_state(doc, vocab, self.key)
        claim_terms = terms(claim)
        claim_set = list(dict.fromkeys(claim_terms))
        n_sent = len(doc.sentences)
        f: list[float] = []

        # claim tf-idf vector in the document's local term space
        q = np.zeros(len(st.local))
        q_norm_sq = 0.0
        for t in claim_set:
            w = vocab.weight(t) * claim_terms.count(t)
            q_norm_sq += w * w
            j = st.local.get(t)
            if j is not None:
                q[j] = w
        q_norm = math.sqrt(q_norm_sq) or 1.0
        q /= q_norm
        sims = st.sentence_matrix @ q if n_sent else np.zeros(0)
        order = np.argsort(-sims, kind="stable") if n_sent else np.zeros(0, dtype=int)
        top3 = order[:3]
        cos_body = float(st.body_vector @ q) if len(q) else 0.0
        f += [
            cos_body,
            float(sims.max()) if n_sent else 0.0,
            float(sims[top3].mean()) if n_sent else 0.0,
            float(sims[0]) if n_sent else 0.0,
            float(sims[:3].max()) if n_sent else 0.0,
        ]

        weights = {t: vocab.weight(t) for t in claim_set}
        total = sum(weights.values()) or 1.0
        present = [t for t in claim_set if t in st.local]
        coverage = sum(weights[t] for t in present) / total
        best_cov = 0.0
        for s in st.sentence_sets:
            if s:
                best_cov = max(best_cov, sum(w for t, w in weights.items() if t in s) / total)
        lead = frozenset().union(*st.sentence_sets[:3]) if n_sent else frozenset()
        claim_bigrams = list(pairwise(claim_terms))
        bigram = (
            sum(1 for b in claim_bigrams if b in st.bigrams) / len(claim_bigrams)
            if claim_bigrams
            else 0.0
        )
        bm25 = 0.0
        k1, b = 1.2, 0.75
        dl_ratio = len(st.term_freq) and float(st.term_freq.sum()) / vocab.avg_doc_len
        for t in present:
            tf = st.term_freq[st.local[t]]
            bm25 += weights[t] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl_ratio))
        unmatched = [weights[t] for t in claim_set if t not in st.local]
        f += [
            coverage,
            len(present) / len(claim_set) if claim_set else 0.0,
            best_cov,
            sum(weights[t] for t in claim_set if t in lead) / total,
            bigram,
            bm25 / (total * (k1 + 1)),
            max(unmatched) / 10.0 if unmatched else 0.0,
            float(order[0]) / n_sent if n_sent else 1.0,
            len(claim_set) / 20.0,
            math.log1p(n_sent) / 5.0,
            float((sims > 0.2).mean()) if n_sent else 0.0,
            1.0 if "?" in claim else 0.0,
            1.0 if any(c in claim for c in "'\"\u2018\u2019\u201c\u201d") else 0.0,
        ]
        # capitalised words (names) and numbers of the claim, as written, found in the text
        names, numbers = set(), set()
        for span in token_spans(claim):
            word = span.text.casefold()
            if word[:1].isdigit():
                numbers.add(word)
            elif span.text[:1].isupper() and span.start > 0 and word not in STOPWORDS:
                names.add(word)
        best_window = 0.0
        for pair in st.window_sets:
            best_window = max(best_window, sum(w for t, w in weights.items() if t in pair))
        f += [
            sum(1 for n in names if n in st.surface) / len(names) if names else 0.5,
            sum(1 for n in numbers if n in st.surface) / len(numbers) if numbers else 0.5,
            max(best_window / total, best_cov),
        ]

        # cue words: in the claim, over the body, in the best and lead sentences, and
        # within a few tokens of the claim's own terms
        claim_cues = _cue_stems(claim)
        near = np.zeros((n_sent, len(_LEX_NAMES) + 1))  # last column: strong denials
        claim_stems = set(claim_set)
        for i in order[:5]:
            toks = st.cue_stems[i]
            hits = [k for k, tok in enumerate(toks) if tok in claim_stems]
            if not hits:
                continue
            for k, tok in enumerate(toks):
                if any(abs(k - h) <= _WINDOW for h in hits):
                    for li, lex in enumerate(_LEX_NAMES):
                        if tok in LEXICONS[lex]:
                            near[i, li] += 1
                    if tok in _DENIAL:
                        near[i, -1] += 1
        sim_pos = np.clip(sims, 0, None)
        sim_total = float(sim_pos.sum()) or 1.0
        body_counts = st.cue_counts.sum(axis=0) if n_sent else np.zeros(len(_LEX_NAMES))
        for li, lex in enumerate(_LEX_NAMES):
            col = st.cue_counts[:, li] if n_sent else np.zeros(0)
            f += [
                min(sum(1 for c in claim_cues if c in LEXICONS[lex]), 3) / 3.0,
                math.log1p(100.0 * body_counts[li] / max(st.n_tokens, 1)),
                math.log1p(float(col[top3].sum())) if n_sent else 0.0,
                math.log1p(float(col[:2].sum())) if n_sent else 0.0,
                math.log1p(float(near[:, li].sum())),
                float(sim_pos @ col) / sim_total if n_sent else 0.0,
            ]

        f += self._focus_features(st, sims, order, near, claim_cues)

        claim_idx = sorted({vocab.claim_index[t] for t in claim_set if t in vocab.claim_index})
        claim_val = np.ones(len(claim_idx)) / math.sqrt(max(len(claim_idx), 1))
        return PairFeatures(
            dense=np.array(f, dtype=np.float64),
            claim_bow=(np.array(claim_idx, dtype=np.int64), claim_val),
            body_bow=st.body_bow,
            similarities=sims,
            near_cues=near[:, : len(_LEX_NAMES)],
        )

    @staticmethod
    def _focus_features(st, sims, order, near, claim_cues) -> list[float]:
        """Features of the (up to three) sentences most similar to the claim, as shares so
        that a 60-word article and a 900-word one are on the same scale: which cues they
        hold, which stand near the claim's own terms, whether a negation near the claim's
        terms disagrees with the claim's own polarity, quoted refutations, reports called
        false, questions."""
        n_lex = len(_LEX_NAMES)
        if not len(sims) or sims.max() <= 0:
            return [0.0] * (2 * n_lex + 6)
        top = float(sims[order[0]])
        focus = [int(i) for i in order[:_FOCUS] if sims[i] > 0 and sims[i] >= 0.5 * top]
        size = len(focus)
        has = st.cue_counts[focus] > 0  # focus x lexicons
        near_has = near[focus] > 0
        neg, ref, hedge = (_LEX_NAMES.index(n) for n in ("negation", "refute", "hedge"))
        claim_negated = any(c in LEXICONS["negation"] for c in claim_cues)
        best_negated = bool(near[focus[0], neg] > 0)
        refuting = has[:, ref] | has[:, neg]
        out = list(has.mean(axis=0)) + list(near_has[:, :n_lex].mean(axis=0))
        out += [
            float(claim_negated != best_negated),
            float((refuting & st.quoted[focus]).any()),
            float((has[:, ref] & has[:, hedge]).any()),
            float(st.question[focus].mean()),
            size / _FOCUS,
            float(near_has[:, -1].mean()),
        ]
        return [float(v) for v in out]


def cue_totals(doc: Document, vocab: Vocabulary, key: str = "stance") -> np.ndarray:
    """Per-sentence cue counts (sentences x lexicons) of a parsed article."""
    return _doc_state(doc, vocab, key).cue_counts
