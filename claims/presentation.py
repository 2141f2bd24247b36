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


def highlight_quotes(text: str, appearances, suggestions=()) -> SafeString:
    """The article's text with each logged quote marked and linked to its claim, and each
    suggested passage marked for the journalist (a logged quote wins where they overlap)."""
    spans = [(a.start, a.end, 0, a) for a in appearances if a.anchor != "lost"]
    spans += [(s.start, s.end, 1, s) for s in suggestions]
    out, position = [], 0
    for start, end, is_suggestion, item in sorted(spans, key=lambda span: span[:3]):
        if start < position:
            continue  # overlapping: the first one keeps the mark
        out.append(escape(text[position:start]))
        piece = escape(text[start:end])
        if is_suggestion:
            out.append(f'<mark class="suggested" id="suggestion-{item.pk}">{piece}</mark>')
        else:
            link = reverse("claims:detail", args=[item.claim_id])
            out.append(
                f'<a class="quote" id="quote-{item.pk}" href="{link}" '
                f'title="{escape(item.claim.text)}"><mark class="hl">{piece}</mark></a>'
            )
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece above is escaped)
