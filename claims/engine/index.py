"""The percolator: tracked claims are stored queries, and each new article is run
against all of them at once.

Layout. Every claim is a row. Its terms (with their frequency in the claim's own text and
in its context, e.g. a title) sit in append-only entry buffers, so adding a claim costs
only its own size. An inverted index (term -> rows, weights) covers the rows present at
the last merge; rows added since (the delta) are scored straight from the entry buffers,
and removed rows are tombstoned. When the delta or the tombstones grow past a share of the
index, everything is compacted and the inverted index rebuilt, so the amortised cost of an
add stays small and a new claim is matchable at once.

Matching runs in two steps:
1. candidates: BM25 of the article's terms against each claim, accumulated over posting
   lists (np.bincount). Terms are taken rarest first within a postings budget, so very
   common words do not make the cost grow with the number of claims; they still count in
   step 2.
2. re-scoring: for the best few hundred candidates, every sentence and every pair of
   adjacent sentences is compared with the claim (`scoring.features`) and a small trained
   model turns the features into a probability; a claim's score is its best unit's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from claims.engine import scoring
from claims.engine.document import Document
from claims.engine.text import Span, terms

DEFAULT_MIN_SCORE = 0.5  # probability that the article is about the claim
POSTINGS_BUDGET = 400_000  # postings read per article in candidate generation
CANDIDATES = 300  # claims re-scored per article


@dataclass
class Match:
    """A claim an article (or short text) is about.

    score: the model's estimated probability (0..1) that the best-matching sentence or
    pair of sentences is about the claim; comparable across articles. `sentences`: the
    article's sentences that matched, best first (empty for `rank`)."""

    claim_id: int
    score: float
    sentences: list[Span] = field(default_factory=list)


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the `limit` highest positive scores."""
    found = np.flatnonzero(scores > 0)
    if len(found) > limit:
        found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
    return found


@dataclass(frozen=True)
class _Postings:
    """The immutable part of the inverted index: for term t, rows row[indptr[t]:
    indptr[t+1]] with BM25 weights (idf applied at query time) and coverage shares."""

    indptr: np.ndarray
    row: np.ndarray
    weight: np.ndarray
    cover: np.ndarray
    rows: int


class _Buffer:
    """A numpy array that grows by doubling."""

    def __init__(self, dtype, capacity: int = 1024):
        self.data = np.zeros(capacity, dtype=dtype)
        self.size = 0

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self.data.dtype)
        end = self.size + len(values)
        if end > len(self.data):
            grown = np.zeros(max(end, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.data[: self.size]

    def replace(self, values: np.ndarray) -> None:
        self.data = np.array(values, dtype=self.data.dtype)
        self.size = len(values)
        if not len(self.data):
            self.data = np.zeros(16, dtype=self.data.dtype)


class ClaimIndex:
    def __init__(
        self,
        model: scoring.Model | None = None,
        postings_budget: int = POSTINGS_BUDGET,
        candidates: int = CANDIDATES,
    ):
        self.model = model or scoring.Model.load()
        self.postings_budget = postings_budget
        self.candidates = candidates
        self.params = self.model.params
        self._term_ids: dict[str, int] = {}
        self._df = _Buffer(np.int64)
        self._is_number = _Buffer(np.bool_)
        # per row
        self._claim = _Buffer(np.int64)
        self._alive = _Buffer(np.bool_)
        self._entry_start = _Buffer(np.int64)
        self._bigram_start = _Buffer(np.int64)
        self._len_text = _Buffer(np.float32)
        self._len_extra = _Buffer(np.float32)
        # per entry / bigram
        self._term = _Buffer(np.int32)
        self._tf_text = _Buffer(np.float32)
        self._tf_extra = _Buffer(np.float32)
        self._owner = _Buffer(np.int32)
        self._bigram = _Buffer(np.int64)
        self._bigram_owner = _Buffer(np.int32)
        self._row_of: dict[int, int] = {}
        self._dead = 0
        self._sum_text = 0.0
        self._sum_extra = 0.0
        # inverted index over rows [0, _merged_rows)
        self._merged_rows = 0
        self._postings = _Postings(
            np.zeros(1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0), np.zeros(0), 0
        )
        self._version = 0
        self._stats_cache: tuple[int, scoring.Stats] | None = None

    # ---- writing -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._row_of

    @property
    def version(self) -> str:
        return self.model.version

    def claim_ids(self) -> set[int]:
        """The ids of every claim in the index."""
        return set(self._row_of)

    def upsert(self, claim_id: int, text: str, extra: str = "") -> None:
        """Add a claim, or replace its text; it is matchable as soon as this returns.
        `extra` is context such as a title; without it the claim text stands in, since
        the model was trained on claims that all had one."""
        self._append(int(claim_id), text, extra)
        self._maybe_merge()

    def upsert_many(self, items: Iterable[tuple[int, str] | tuple[int, str, str]]) -> None:
        """Bulk load (claim_id, text[, extra]) items; the index is rebuilt once at the end."""
        for item in items:
            self._append(int(item[0]), item[1], item[2] if len(item) > 2 else "")
        self._maybe_merge(force=self._delta_rows() > 0)

    def remove(self, claim_id: int) -> None:
        row = self._row_of.pop(int(claim_id), None)
        if row is None:
            raise KeyError(claim_id)
        self._kill(row)
        self._maybe_merge()

    def _term_id(self, term: str) -> int:
        tid = self._term_ids.get(term)
        if tid is None:
            tid = self._term_ids[term] = len(self._term_ids)
            self._df.extend([0])
            self._is_number.extend([any(c.isdigit() for c in term)])
        return tid

    def _append(self, claim_id: int, text: str, extra: str) -> None:
        old = self._row_of.get(claim_id)
        if old is not None:
            self._kill(old)
        text_ids = [self._term_id(t) for t in terms(text)]
        extra_ids = [self._term_id(t) for t in terms(extra)] if extra.strip() else text_ids
        ids, counts = np.unique(
            np.asarray(text_ids + extra_ids, dtype=np.int64), return_counts=True
        )
        tf_text = np.zeros(len(ids), dtype=np.float32)
        if text_ids:
            u, c = np.unique(np.asarray(text_ids, dtype=np.int64), return_counts=True)
            tf_text[np.searchsorted(ids, u)] = c
        row = self._claim.size
        self._row_of[claim_id] = row
        self._claim.extend([claim_id])
        self._alive.extend([True])
        self._entry_start.extend([self._term.size])
        self._bigram_start.extend([self._bigram.size])
        self._len_text.extend([len(text_ids)])
        self._len_extra.extend([len(extra_ids)])
        self._sum_text += len(text_ids)
        self._sum_extra += len(extra_ids)
        self._term.extend(ids)
        self._tf_text.extend(tf_text)
        self._tf_extra.extend(counts - tf_text)
        self._owner.extend(np.full(len(ids), row))
        keys = np.unique(scoring.bigram_keys(np.asarray(text_ids, dtype=np.int64)))
        self._bigram.extend(keys)
        self._bigram_owner.extend(np.full(len(keys), row))
        np.add.at(self._df.data, ids, 1)
        self._version += 1

    def _kill(self, row: int) -> None:
        self._alive.data[row] = False
        start, end = self._entries(row)
        np.subtract.at(self._df.data, self._term.data[start:end], 1)
        self._sum_text -= float(self._len_text.data[row])
        self._sum_extra -= float(self._len_extra.data[row])
        self._dead += 1
        self._version += 1

    def _entries(self, row: int) -> tuple[int, int]:
        end = self._entry_start.data[row + 1] if row + 1 < self._claim.size else self._term.size
        return int(self._entry_start.data[row]), int(end)

    def _delta_rows(self) -> int:
        return self._claim.size - self._merged_rows

    def _maybe_merge(self, force: bool = False) -> None:
        rows = self._claim.size
        limit = min(max(1000, rows // 4), 20_000)
        if force or self._delta_rows() > limit or self._dead > max(1000, rows // 4):
            self._merge()

    def _merge(self) -> None:
        """Drop removed rows and rebuild the inverted index over every row."""
        if self._dead:
            self._compact()
        stats = self._stats()
        rows = self._claim.size
        term, owner = self._term.view(), self._owner.view()
        order = np.argsort(term, kind="stable")
        weights = self._entry_weights(slice(0, self._term.size), stats)
        cover = self._entry_cover(slice(0, self._term.size), stats)
        counts = np.bincount(term, minlength=self._df.size)
        indptr = np.zeros(self._df.size + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        # Assign all at once, so a reader sees either the old or the new index.
        self._postings = _Postings(
            indptr,
            owner[order].astype(np.int32),
            weights[order].astype(np.float32),
            cover[order].astype(np.float32),
            rows,
        )
        self._merged_rows = rows

    def _compact(self) -> None:
        alive = self._alive.view()
        keep = np.flatnonzero(alive)
        new_row = np.full(len(alive), -1, dtype=np.int64)
        new_row[keep] = np.arange(len(keep))
        entry_keep = alive[self._owner.view()]
        bigram_keep = alive[self._bigram_owner.view()]
        lengths = np.bincount(self._owner.view()[entry_keep], minlength=len(alive))[keep]
        blengths = np.bincount(self._bigram_owner.view()[bigram_keep], minlength=len(alive))[keep]
        for buf in (self._term, self._tf_text, self._tf_extra):
            buf.replace(buf.view()[entry_keep])
        self._owner.replace(new_row[self._owner.view()[entry_keep]])
        self._bigram.replace(self._bigram.view()[bigram_keep])
        self._bigram_owner.replace(new_row[self._bigram_owner.view()[bigram_keep]])
        for buf in (self._claim, self._alive, self._len_text, self._len_extra):
            buf.replace(buf.view()[keep])
        self._entry_start.replace(np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64))
        self._bigram_start.replace(np.concatenate([[0], np.cumsum(blengths)[:-1]]).astype(np.int64))
        if not len(keep):
            self._entry_start.replace(np.zeros(0))
            self._bigram_start.replace(np.zeros(0))
        self._row_of = {int(c): r for r, c in enumerate(self._claim.view())}
        self._dead = 0
        self._merged_rows = 0
        self._postings = _Postings(
            np.zeros(1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0), np.zeros(0), 0
        )
        self._version += 1

    # ---- statistics ------------------------------------------------------------------
    def _stats(self) -> scoring.Stats:
        cached = self._stats_cache
        if cached is not None and cached[0] == self._version:
            return cached[1]
        n = max(len(self._row_of), 1)
        stats = scoring.Stats(
            idf=scoring.idf(self._df.view().astype(np.float64), n).astype(np.float32),
            unknown_idf=float(scoring.idf(np.zeros(1), n)[0]),
            is_number=self._is_number.view().copy(),
            avg_text=self._sum_text / n,
            avg_extra=self._sum_extra / n,
        )
        self._stats_cache = (self._version, stats)
        return stats

    def _entry_weights(self, entries: slice, stats: scoring.Stats) -> np.ndarray:
        """Candidate-generation weight of entries (without idf): BM25 term factor of the
        claim's text plus a share of its context's."""
        owner = self._owner.data[entries]
        p = self.params
        text = scoring.saturate(
            self._tf_text.data[entries], self._len_text.data[owner], stats.avg_text, p
        )
        extra = scoring.saturate(
            self._tf_extra.data[entries], self._len_extra.data[owner], stats.avg_extra, p
        )
        return text + p.extra_weight * extra

    def _entry_cover(self, entries: slice, stats: scoring.Stats) -> np.ndarray:
        """Share of its claim's text idf mass each entry carries: summed over an article's
        terms, how much of the claim the article covers."""
        owner = self._owner.data[entries]
        mass = stats.idf[self._term.data[entries]] * (self._tf_text.data[entries] > 0)
        total = np.bincount(owner - owner.min(), mass) if len(owner) else mass
        return mass / np.maximum(total[owner - owner.min()], 1e-9) if len(owner) else mass

    # ---- reading ---------------------------------------------------------------------
    def _units(self, doc: Document, whole: bool) -> scoring.Units:
        ids, unknown = [], []
        for sentence in doc.sentence_terms:
            ids.append([self._term_ids.get(t, -1) for t in sentence])
            unknown.append([t for t in sentence if t not in self._term_ids])
        return scoring.make_units(ids, whole, unknown)

    def _candidates(self, query_terms: np.ndarray, stats: scoring.Stats, limit: int) -> np.ndarray:
        """Rows of the best claims over the query's rarer terms: the `limit` best by BM25,
        plus as many by how much of the claim the text covers."""
        rows = self._claim.size
        if not rows or not len(query_terms):
            return np.zeros(0, dtype=np.int64)
        post = self._postings
        indptr, merged = post.indptr, post.rows
        terms_known = len(indptr) - 1
        df = self._df.data[query_terms]
        chosen, rows_read = [], 0
        for t in query_terms[np.argsort(df, kind="stable")]:
            n = indptr[t + 1] - indptr[t] if t < terms_known else 0
            if rows_read + n > self.postings_budget and chosen:
                break
            rows_read += n
            chosen.append(t)
        chosen = np.sort(np.asarray(chosen, dtype=np.int64))
        bm25 = np.zeros(rows, dtype=np.float32)
        cover = np.zeros(rows, dtype=np.float32)
        spans = [(t, indptr[t], indptr[t + 1]) for t in chosen if t < terms_known]
        spans = [(t, a, b) for t, a, b in spans if b > a]
        if spans:
            r = np.concatenate([post.row[a:b] for _, a, b in spans])
            w = np.concatenate([post.weight[a:b] * stats.idf[t] for t, a, b in spans])
            c = np.concatenate([post.cover[a:b] for _, a, b in spans])
            bm25[:merged] = np.bincount(r, w, minlength=merged)
            cover[:merged] = np.bincount(r, c, minlength=merged)
        if rows > merged:  # the delta, straight from the entry buffers
            entries = slice(int(self._entry_start.data[merged]), self._term.size)
            term = self._term.data[entries]
            pos = np.minimum(np.searchsorted(chosen, term), len(chosen) - 1)
            hit = chosen[pos] == term
            owner = self._owner.data[entries] - merged
            w = self._entry_weights(entries, stats) * stats.idf[term] * hit
            bm25[merged:] = np.bincount(owner, w, minlength=rows - merged)
            c = self._entry_cover(entries, stats) * hit
            cover[merged:] = np.bincount(owner, c, minlength=rows - merged)
        alive = self._alive.data[:rows]
        return np.union1d(_top(bm25 * alive, limit), _top(cover * alive, limit))

    def _gather(self, rows: np.ndarray) -> scoring.Claims:
        """The entries of the given rows, in scoring layout."""
        rows = np.asarray(rows, dtype=np.int64)
        n_rows = self._claim.size

        def ranges(starts: _Buffer, total: int) -> tuple[np.ndarray, np.ndarray]:
            s = starts.data[rows]
            nxt = np.where(rows + 1 < n_rows, starts.data[np.minimum(rows + 1, n_rows - 1)], total)
            lengths = (nxt - s).astype(np.int64)
            owner = np.repeat(np.arange(len(rows)), lengths)
            offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            return owner, np.repeat(s, lengths) + offsets

        owner, idx = ranges(self._entry_start, self._term.size)
        bowner, bidx = ranges(self._bigram_start, self._bigram.size)
        return scoring.Claims(
            n=len(rows),
            owner=owner,
            term=self._term.data[idx].astype(np.int64),
            tf_text=self._tf_text.data[idx],
            tf_extra=self._tf_extra.data[idx],
            len_text=self._len_text.data[rows],
            len_extra=self._len_extra.data[rows],
            bigram_owner=bowner,
            bigram_key=self._bigram.data[bidx],
        )

    def _score_rows(self, units: scoring.Units, rows: np.ndarray) -> np.ndarray:
        """(units, rows) logits."""
        if not len(rows):
            return np.zeros((units.size, 0))
        feats = scoring.features(units, self._gather(rows), self._stats(), self.params)
        return self.model.logits(feats)

    def _results(self, doc, units, rows, logits, top, min_score, with_sentences) -> list[Match]:
        if not len(rows):
            return []
        best_unit = logits.argmax(axis=0)
        best = logits[best_unit, np.arange(len(rows))]
        order = np.argsort(-best, kind="stable")
        singles = [u for u, m in enumerate(units.members) if len(m) == 1]
        out = []
        for i in order[: top * 2 + 10]:
            score = scoring.logit_to_score(float(best[i]))
            if score < min_score:
                break
            sentences = []
            if with_sentences:
                members = units.members[best_unit[i]]
                ranked = sorted(members, key=lambda s: -logits[singles[s], i])
                sentences = [doc.sentences[s] for s in ranked]
            out.append(Match(int(self._claim.data[rows[i]]), score, sentences))
        out.sort(key=lambda m: (-m.score, m.claim_id))
        return out[:top]

    def match(self, doc: Document, top: int = 20, min_score: float = DEFAULT_MIN_SCORE):
        """The claims `doc` is about, best first, with the sentences that matched."""
        units = self._units(doc, whole=False)
        if not units.size or not len(units.terms):
            return []
        rows = self._candidates(units.terms, self._stats(), max(self.candidates, top))
        logits = self._score_rows(units, rows)
        return self._results(doc, units, rows, logits, top, min_score, True)

    def could_match(self, doc: Document, claim_id: int, min_score: float) -> bool:
        """Whether the claim scores at least `min_score` for `doc`, scoring it alone: a
        necessary condition for `match` to return it, at a fraction of a full match's
        cost (no candidates gathered, no other claim scored)."""
        row = self._row_of.get(int(claim_id))
        if row is None:
            return False
        units = self._units(doc, whole=False)
        if not units.size or not len(units.terms):
            return False
        logits = self._score_rows(units, np.array([row], dtype=np.int64))
        return scoring.logit_to_score(float(logits.max())) >= min_score

    def match_bruteforce(
        self, doc: Document, top: int = 20, min_score: float = DEFAULT_MIN_SCORE, chunk=4000
    ):
        """`match` with every claim re-scored: slow, exact; a baseline for the index."""
        units = self._units(doc, whole=False)
        if not units.size:
            return []
        alive = np.flatnonzero(self._alive.view())
        keep_rows, keep_logits = [], []
        for start in range(0, len(alive), chunk):
            rows = alive[start : start + chunk]
            logits = self._score_rows(units, rows)
            best = logits.max(axis=0)
            k = min(len(rows), top * 2 + 10)
            pick = np.argpartition(-best, k - 1)[:k]
            keep_rows.append(rows[pick])
            keep_logits.append(logits[:, pick])
        if not keep_rows:
            return []
        rows = np.concatenate(keep_rows)
        logits = np.concatenate(keep_logits, axis=1)
        return self._results(doc, units, rows, logits, top, min_score, True)

    def rank(self, query_text: str, top: int = 20, min_score: float = 0.0) -> list[Match]:
        """Claims ranked for a short text (a tweet, a post), which is cleaned first and
        compared as a whole."""
        doc = Document.parse(scoring.clean_short_text(query_text))
        units = self._units(doc, whole=True)
        if not len(units.terms):
            return []
        rows = self._candidates(units.terms, self._stats(), max(self.candidates, top))
        logits = self._score_rows(units, rows)
        return self._results(doc, units, rows, logits, top, min_score, False)
