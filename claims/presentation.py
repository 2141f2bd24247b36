"""Rendering helpers shared by the admin and the pages."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def highlight(text: str, spans: list[tuple[int, int]], css_class: str = "hl") -> SafeString:
    """`text` as HTML with each (start, end) span wrapped in <mark>. Overlapping spans
    merge; every piece of text is escaped."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f'<mark class="{escape(css_class)}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece above is escaped)


def evidence_excerpt(evidence, context_chars: int = 240) -> SafeString:
    """The part of the evidence article around its deciding sentences, with those
    sentences highlighted."""
    spans = [(s["start"], s["end"]) for s in evidence.sentences]
    text = evidence.article.text
    if not spans:
        return escape(text[: 2 * context_chars]) + ("…" if len(text) > 2 * context_chars else "")
    start = max(0, min(s for s, _ in spans) - context_chars)
    end = min(len(text), max(e for _, e in spans) + context_chars)
    shifted = [(s - start, e - start) for s, e in spans]
    body = highlight(text[start:end], shifted)
    return mark_safe(  # noqa: S308  (pieces escaped by highlight)
        ("…" if start else "") + body + ("…" if end < len(text) else "")
    )


def highlight_quotes(text: str, appearances) -> SafeString:
    """The article's text with each logged quote marked and linked to its claim."""
    out, position = [], 0
    for appearance in sorted(appearances, key=lambda a: (a.start, a.end)):
        if appearance.anchor == "lost":
            continue  # its offsets belong to an earlier revision of the text
        if appearance.start < position:
            continue  # overlapping quotes: the first one keeps the mark
        out.append(escape(text[position : appearance.start]))
        link = reverse("claims:detail", args=[appearance.claim_id])
        out.append(
            f'<a class="quote" id="quote-{appearance.pk}" href="{link}" '
            f'title="{escape(appearance.claim.text)}"><mark class="hl">'
            f"{escape(text[appearance.start : appearance.end])}</mark></a>"
        )
        position = appearance.end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece above is escaped)
