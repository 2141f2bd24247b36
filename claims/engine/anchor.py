"""Anchoring quotes in a text the way W3C Web Annotation selectors do: the exact text,
a little context before and after it, and its character offsets."""

import re
from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class QuoteSelector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> QuoteSelector:
    """The selector for text[start:end], with up to `context` characters either side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}, {end}) is outside a text of {len(text)} characters")
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def find_quote(text: str, exact: str, occurrence: int = 0) -> QuoteSelector:
    """The selector of the `occurrence`-th (0-based) place `exact` appears in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(exact, start + 1)
        if start < 0:
            raise ValueError(f"quote not found in text: {exact[:60]!r}")
    return quote_selector(text, start, start + len(exact))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _occurrences(text: str, exact: str) -> list[tuple[int, int]]:
    """Where `exact` stands in `text`: verbatim, else with its white space reflowed.
    An empty quote stands nowhere (it would match between every two characters)."""
    if not exact:
        return []
    spans, at = [], text.find(exact)
    while at >= 0:
        spans.append((at, at + len(exact)))
        at = text.find(exact, at + 1)
    if spans or not exact.split():
        return spans
    words = exact.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def reanchor(text: str, selector: QuoteSelector) -> QuoteSelector | None:
    """Find a quote again in a new version of its text: the exact words first (allowing
    reflowed white space), the surrounding context to choose among several places, then
    closeness to the old offsets. None when the words are no longer there."""
    spans = _occurrences(text, selector.exact)
    if not spans:
        return None

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        context = _common_suffix(
            text[max(0, start - len(selector.prefix)) : start], selector.prefix
        )
        context += _common_prefix(text[end : end + len(selector.suffix)], selector.suffix)
        return (-context, abs(start - selector.start))

    start, end = min(spans, key=fit)
    return quote_selector(text, start, end)
