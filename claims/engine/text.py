"""Sentences, tokens and terms: the text primitives every part of the engine shares.

Offsets are always character offsets into the original text, so what the engine finds
can be highlighted in the article exactly where it stands.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# Typographic variants folded to ASCII so curly and straight apostrophes tokenise alike.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*", re.UNICODE)

# Words too common to say what a text is about. Negations and modals are deliberately
# absent: "not" and "will" matter to stance and claim kind.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself of off on once only or other our ours
    ourselves out over own same she so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what
    when where which while who whom why with you your yours yourself yourselves also said
    says say according would could should may might one two new s t""".split()
)

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev inc ltd co corp
    dept univ vs etc e.g i.e approx no nos fig jan feb mar apr jun jul aug sep sept oct nov
    dec u.s u.k u.n e.u a.m p.m""".split()
)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a text and where it stands: text == source[start:end]."""

    text: str
    start: int
    end: int


def fold(text: str) -> str:
    """Unicode-normalised text with typographic quotes and dashes made plain; same length
    as the input for the common cases, so offsets stay usable."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def normalise(text: str) -> str:
    """Folded, case-folded text with whitespace collapsed: for comparing texts."""
    return " ".join(fold(text).casefold().split())


def token_spans(text: str) -> list[Span]:
    """Word tokens with their offsets. Internal apostrophes, hyphens and dots stay inside
    a token ("Meta's", "open-source", "U.S", "3.5")."""
    folded = text.translate(_FOLD)
    return [Span(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [m.group().casefold() for m in _WORD.finditer(text.translate(_FOLD))]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def _term(token: str) -> str | None:
    if token.endswith("'s"):
        token = token[:-2]
    if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
        return None
    return stem(token)


def terms(text: str) -> list[str]:
    """Content terms: tokens without stopwords, possessives dropped, stemmed. Hyphenated
    words also give their parts, so "open-source" matches "open source"."""
    out = []
    for token in tokenize(text):
        if "-" in token:
            out.extend(t for part in token.split("-") if (t := _term(part)))
        if (term := _term(token)) is not None:
            out.append(term)
    return out


# A run of stops is only tried from its first character (the lookbehind): trying it from
# every character of a long run ("!!!!...", "....") again would take quadratic time.
_BOUNDARY = re.compile(r"""(?<![.!?])[.!?]+["')\]]*(?=\s)|\n\s*\n|\n(?=[ \t]*["'(\[]*[A-Z0-9])""")
_NEXT_STARTS_SENTENCE = re.compile(r"""\s+["'(\[]*[A-Z0-9]""")
_STOPS = frozenset(".!?")


def _word_before_stop(text: str, start: int, stop: int) -> str:
    """The word that ends at the stop at text[stop], within text[start:stop + 1]: the run
    of word characters and dots just before the stops that end there, without its
    trailing dots, case-folded ("" when there is none). Scans back from the stop only, so
    a long text without sentence ends costs no more than its length."""
    at = stop + 1
    while at > start and text[at - 1] in _STOPS:
        at -= 1
    end = at
    while at > start and (text[at - 1].isalnum() or text[at - 1] in "_."):
        at -= 1
    return text[at:end].rstrip(".").casefold()


def split_sentences(text: str) -> list[Span]:
    """Sentences with their offsets into `text`.

    A sentence ends at . ! or ? followed by a space and a capital or digit, unless the
    word before the stop is a known abbreviation or a single initial; a blank line always
    ends one, and so does a line break before a capital (headlines, list items, and the
    one-paragraph-a-line text that extractors produce).
    """
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().strip():  # punctuation, not a blank line
            if not _NEXT_STARTS_SENTENCE.match(text, end):
                continue
            before = _word_before_stop(text, start, match.start())
            if match.group().startswith(".") and (
                before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha())
            ):
                continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append(Span(stripped, start + lead, start + lead + len(stripped)))
