"""Anchoring quotes in a text the way W3C Web Annotation selectors do: the exact text,
a little context before and after it, and its character offsets."""

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
