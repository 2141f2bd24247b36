"""Deterministic synthetic claims and news articles for benchmarks.

Words are drawn with the frequencies of `vocabulary.txt` (real news word counts, so
common words are as common as in news), plus names (capitalised words, alone or in
pairs) and numbers. Each article is ~800 words; some of its sentences paraphrase claims
from the `about` sample, so matching has true positives to find.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

VOCABULARY = Path(__file__).with_name("vocabulary.txt")
FUNCTION_WORDS = "the of to in and a that is for on was with as by at from".split()


@dataclass(frozen=True)
class Article:
    text: str
    about: tuple[int, ...]  # indices into the `about` sample that the article paraphrases


@dataclass(frozen=True)
class _Lexicon:
    words: np.ndarray  # lower-case common words
    cumulative: np.ndarray  # cumulative probabilities for `words`
    names: np.ndarray  # capitalised words
    name_cumulative: np.ndarray


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    words, counts, names, name_counts = [], [], [], []
    for line in VOCABULARY.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, count = line.rsplit(" ", 1)
        if word[0].isupper():
            names.append(word)
            name_counts.append(int(count))
        else:
            words.append(word)
            counts.append(int(count))

    def cumulative(c):
        p = np.asarray(c, dtype=np.float64)
        return np.cumsum(p / p.sum())

    return _Lexicon(np.array(words), cumulative(counts), np.array(names), cumulative(name_counts))


def _draw(rng: np.random.Generator, cumulative: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(n)), len(cumulative) - 1)


def _name(rng: np.random.Generator, lex: _Lexicon) -> str:
    """A person-, place- or organisation-like name: one or two capitalised words; two-word
    names are drawn uniformly, so there are millions of distinct ones."""
    if rng.random() < 0.5:
        return str(lex.names[_draw(rng, lex.name_cumulative, 1)[0]])
    first, last = rng.integers(0, len(lex.names), 2)
    return f"{lex.names[first]} {lex.names[last]}"


def _number(rng: np.random.Generator) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(int(rng.integers(1950, 2030)))
    if kind < 0.8:
        return str(int(rng.integers(2, 1000)))
    return f"{rng.integers(1, 100)}.{rng.integers(0, 10)} million"


def _sentence(rng: np.random.Generator, lex: _Lexicon, n_words: int, names: float) -> list[str]:
    words = list(lex.words[_draw(rng, lex.cumulative, n_words)])
    for i in range(n_words):
        roll = rng.random()
        if roll < names:
            words[i] = _name(rng, lex)
        elif roll < names + 0.03:
            words[i] = _number(rng)
    return words


def _render(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def claims(n: int, seed: int = 0) -> list[str]:
    """n claims of 8-25 words, each naming someone or something, some with a number."""
    rng = np.random.default_rng(seed)
    lex = _lexicon()
    out = []
    for _ in range(n):
        words = _sentence(rng, lex, int(rng.integers(8, 26)), names=0.08)
        words.insert(int(rng.integers(0, 3)), _name(rng, lex))
        if rng.random() < 0.3:
            words.insert(int(rng.integers(1, len(words))), _number(rng))
        out.append(_render(words))
    return out


def _paraphrase(rng: np.random.Generator, lex: _Lexicon, claim: str) -> str:
    """The claim's words with some dropped, a few swapped, and some filler added."""
    words = claim.rstrip(".").split()
    kept = [w for w in words if rng.random() > 0.2] or words[:3]
    if len(kept) > 3 and rng.random() < 0.5:
        i = int(rng.integers(0, len(kept) - 1))
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    filler = list(lex.words[_draw(rng, lex.cumulative, int(rng.integers(2, 8)))])
    lead = [str(rng.choice(["Officials", "Critics", "Reports", "Posts online"])), "said", "that"]
    return _render(lead + kept + [str(rng.choice(FUNCTION_WORDS))] + filler)


def articles(n: int, seed: int = 0, about: list[str] | None = None) -> list[Article]:
    """n articles of ~800 words in paragraphs; with `about`, each paraphrases one to three
    of those claims somewhere in its body."""
    rng = np.random.default_rng(seed)
    lex = _lexicon()
    out = []
    for _ in range(n):
        sentences, words = [], 0
        while words < 800:
            sentence = _sentence(rng, lex, int(rng.integers(12, 32)), names=0.05)
            sentences.append(_render(sentence))
            words += len(sentence)
        chosen: tuple[int, ...] = ()
        if about:
            k = int(rng.integers(1, 4))
            chosen = tuple(int(i) for i in rng.choice(len(about), size=min(k, len(about))))
            for i in chosen:
                position = int(rng.integers(0, len(sentences) + 1))
                sentences.insert(position, _paraphrase(rng, lex, about[i]))
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        out.append(Article("\n\n".join(paragraphs), chosen))
    return out
