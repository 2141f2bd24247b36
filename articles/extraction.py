"""The article inside a fetched page: its text, a clean copy of its HTML, and its metadata.

trafilatura finds the main content and most metadata; it only ever gets the page we
already downloaded (see `articles.fetching`), never a URL to fetch. Around it, this module
reads the exact publication time, the canonical URL and the language from the page's own
metadata, turns trafilatura's content tree into plain text (paragraphs separated by blank
lines) and into HTML, and sanitises that HTML with nh3 so that only harmless tags remain.
"""

from __future__ import annotations

import html as html_escaping
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import nh3
import trafilatura
from lxml import etree

from articles.fetching import decode_text

logger = logging.getLogger(__name__)

MIN_WORDS = 20
TITLE_MAX = 500  # the lengths of the Article fields these go into
AUTHOR_MAX = 300

# What survives sanitising: structure and emphasis, links to the web or to an address.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "em",
        "strong",
        "code",
        "pre",
        "sub",
        "sup",
        "del",
        "a",
        "table",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"


class ExtractionError(ValueError):
    """Nothing that looks like an article could be found. `str()` is for people."""

    code = "nothing_extractable"


@dataclass(frozen=True)
class Extracted:
    """The article found in a page.

    `canonical_url` is the page's declared canonical address (<link rel=canonical>, else
    og:url) resolved against the page's URL, or the page's URL when it declares none;
    `published_at` is timezone-aware (a date without a time is midnight UTC) or None;
    `language` is the declared primary language code ("en", "fr") or "". `text` is plain
    text with paragraphs separated by blank lines; `html` the same content as sanitised
    HTML. Strings that were not found are "".
    """

    url: str
    canonical_url: str
    title: str
    author: str
    published_at: datetime | None
    site_name: str
    language: str
    description: str
    text: str
    html: str

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))


def extract_article(
    html: bytes | str, *, url: str, charset: str | None = None, min_words: int = MIN_WORDS
) -> Extracted:
    """The article in `html` (the page found at `url`), or ExtractionError.

    Bytes are decoded with `charset` when the server declared one, else the page's own
    declaration or a guess (`articles.fetching.decode_text`); malformed markup and stray
    bytes never raise. Fewer than `min_words` words of text raises ExtractionError."""
    if isinstance(html, bytes):
        html = decode_text(html, charset=charset, content_type="text/html")
    html = _strip_controls(html)
    if not html.strip():
        raise ExtractionError("The page is empty.")
    try:
        tree = trafilatura.load_html(html)
        document = _trafilatura(tree, url) if tree is not None else None
    except (ValueError, TypeError, LookupError, RecursionError, etree.LxmlError):
        # trafilatura copes with broken markup; this is for its own rare failures.
        logger.warning("Extraction failed for %s", url, exc_info=True)
        tree = document = None
    if tree is None:
        raise ExtractionError("The page could not be read as HTML.")
    if document is None:
        raise ExtractionError("No article text could be found on this page.")

    text = "\n\n".join(block for block in _text_blocks(document.body) if block)
    words = len(_WORD.findall(text))
    if words < min_words:
        raise ExtractionError(
            "No article text could be found on this page "
            f"({words} word{'' if words == 1 else 's'} of text)."
        )

    title = _clean(document.title) or _first_heading(document.body)
    return Extracted(
        url=url,
        canonical_url=_canonical_url(tree, url),
        title=title[:TITLE_MAX],
        author=_clean(document.author)[:AUTHOR_MAX],
        published_at=_published_at(tree, document.date),
        site_name=_clean(document.sitename),
        language=_language(tree),
        description=_clean(document.description),
        text=text,
        html=sanitise_html(_to_html(document.body), base_url=url),
    )


def _trafilatura(tree, url: str):
    """trafilatura's Document for the parsed page (None when it finds no content)."""
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=True,
        deduplicate=False,
        # The date in metadata, <time>, the URL or common patterns; not the extensive
        # search through the whole text, whose parser takes seconds to warm up.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
        },
    )


def extract_plain_text(
    data: bytes | str, *, charset: str | None = None, min_words: int = MIN_WORDS
) -> str:
    """A text/plain article as clean text: newlines normalised, NULs and other control
    characters removed, trailing spaces and runs of blank lines trimmed (paragraphs stay
    separated by one blank line). Fewer than `min_words` words raises ExtractionError
    (pass 0 to accept any text). Bytes are decoded with the server's `charset` if it
    declared one, else as UTF-8 or a detected encoding."""
    if isinstance(data, bytes):
        data = decode_text(data, charset=charset, content_type="text/plain")
    text = data.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _strip_controls(text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    words = len(_WORD.findall(text))
    if words < min_words:
        raise ExtractionError(
            f"The text is too short to be an article ({words} word{'' if words == 1 else 's'})."
        )
    return text


def sanitise_html(html: str, *, base_url: str | None = None) -> str:
    """`html` with only harmless tags left (see ALLOWED_TAGS): no scripts, styles,
    frames, event handlers or attributes other than a link's href, which must be
    http(s) or mailto (relative links are resolved against `base_url`, or dropped
    without one); every link gets rel="noopener noreferrer nofollow"."""

    def resolve(relative: str) -> str | None:
        return _http_url(relative, base_url, keep_fragment=True) or None

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "iframe", "object", "svg", "math"},
        # "*": no attribute on every tag (nh3 would otherwise keep lang and title).
        attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        url_relative=resolve if base_url else "deny",
        strip_comments=True,
    ).strip()


# --- Text and HTML from trafilatura's content tree --------------------------------------------

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
# C0 and C1 control characters other than tab and newlines, and the non-characters
# lxml refuses.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "div", "code"})
_HI_TAGS = {"#b": "strong", "#i": "em", "#t": "code", "#sub": "sub", "#sup": "sup"}
_HTML_TAGS = {
    "p": "p",
    "item": "li",
    "quote": "blockquote",
    "table": "table",
    "row": "tr",
    "code": "code",
    "del": "del",
}


def _strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def _clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def _inline_text(element) -> str:
    """The text of an element and its inline children; <lb/> is a line break."""
    parts = [_SPACES.sub(" ", element.text or "")]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in ("list", "table"):
            parts.append("\n" + _block_text(child) + "\n")
        elif isinstance(child.tag, str):  # not a comment or processing instruction
            parts.append(_inline_text(child))
        parts.append(_SPACES.sub(" ", child.tail or ""))
    return "".join(parts)


def _tidy(text: str) -> str:
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r" {2,}", " ", text).strip()


def _block_text(element) -> str:
    """One block as text: a list is one item per line, a table one row per line."""
    if element.tag == "list":
        lines = [_tidy(_inline_text(item)) for item in element if item.tag == "item"]
        return "\n".join(line for line in lines if line)
    if element.tag == "table":
        rows = []
        for row in element.iter("row"):
            cells = [_tidy(_inline_text(cell)) for cell in row if cell.tag == "cell"]
            rows.append(" | ".join(cell for cell in cells))
        return "\n".join(row for row in rows if row.strip(" |"))
    if element.tag == "code":
        return "".join(element.itertext()).strip("\n")
    return _tidy(_inline_text(element))


def _text_blocks(parent):
    """Plain-text blocks (paragraphs, headings, quotes, lists, tables) in order."""
    for child in parent:
        if child.tag in ("quote", "div") and any(grand.tag in _BLOCKS for grand in child):
            yield from _text_blocks(child)
        elif isinstance(child.tag, str):
            yield _block_text(child)


def _first_heading(body) -> str:
    for head in body.iter("head"):
        text = _clean("".join(head.itertext()))
        if text:
            return text[:TITLE_MAX]
    return ""


def _to_html(element) -> str:
    """trafilatura's content tree as HTML (sanitised afterwards by `sanitise_html`)."""
    keep_spaces = element.tag == "code"

    def escape(text: str | None) -> str:
        text = text or ""
        return html_escaping.escape(text if keep_spaces else _SPACES.sub(" ", text), quote=False)

    parts = [escape(element.text)]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_element_html(child))
        parts.append(escape(child.tail))
    return "".join(parts)


def _element_html(element) -> str:
    tag, rend = element.tag, element.get("rend", "")
    inner = _to_html(element)
    if tag == "lb":
        return "<br>"
    if tag == "head":
        level = rend[1] if re.fullmatch(r"h[1-6]", rend) else "2"
        return f"<h{level}>{inner}</h{level}>"
    if tag == "list":
        name = "ol" if rend == "ol" else "ul"
        return f"<{name}>{inner}</{name}>"
    if tag == "ref":
        target = element.get("target")
        if not target:
            return inner
        return f'<a href="{html_escaping.escape(target, quote=True)}">{inner}</a>'
    if tag == "hi":
        name = _HI_TAGS.get(rend)
        return f"<{name}>{inner}</{name}>" if name else inner
    if tag == "code" and element.getparent() is not None and element.getparent().tag == "body":
        return f"<pre><code>{inner}</code></pre>"
    if tag == "cell":
        name = "th" if element.get("role") == "head" else "td"
        return f"<{name}>{inner}</{name}>"
    if tag in _HTML_TAGS:
        return f"<{_HTML_TAGS[tag]}>{inner}</{_HTML_TAGS[tag]}>"
    return inner  # anything else (div, graphic, unknown): its content only


# --- Metadata trafilatura does not give precisely --------------------------------------------

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)


def _meta_values(tree, *names: str) -> list[str]:
    """Contents of <meta> elements whose property/name/itemprop is one of `names`, in
    the order of `names`."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key in names:
                found.setdefault(key, []).append(content)
    return [value for name in names for value in found.get(name, [])]


def _json_ld_objects(tree):
    """Every object in the page's JSON-LD blocks (inside @graph and lists too)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def parse_datetime(value: str) -> datetime | None:
    """An aware datetime from ISO 8601 or RFC 2822 text; a bare date is midnight UTC,
    a time without an offset is taken as UTC. None when it cannot be read."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            match = re.match(r"(\d{4}-\d{2}-\d{2})", value)
            if match:
                try:
                    parsed = datetime.fromisoformat(match.group(1))
                except ValueError:
                    return None
    if parsed is None or not 1900 <= parsed.year <= 2200:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _published_at(tree, fallback_date: str | None) -> datetime | None:
    candidates = []
    for item in _json_ld_objects(tree):
        if isinstance(item.get("datePublished"), str):
            candidates.append(item["datePublished"])
    candidates += _meta_values(tree, *_PUBLISHED_META)
    for element in tree.iter("time"):
        if element.get("pubdate") is not None or element.get("itemprop") == "datePublished":
            candidates.append(element.get("datetime") or "")
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    # trafilatura's own finding (htmldate): a date, read as midnight UTC.
    return parse_datetime(fallback_date or "")


def _http_url(value: str, base: str, *, keep_fragment: bool = False) -> str:
    """`value` resolved against `base` (without its fragment unless `keep_fragment`), if
    that is http(s) with a host; else ""."""
    try:
        parts = urlsplit(urljoin(base, value.strip()))
        host = parts.hostname
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, fragment)
    )


def _canonical_url(tree, url: str) -> str:
    candidates = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            candidates.append(link.get("href"))
    candidates += _meta_values(tree, "og:url")
    for candidate in candidates:
        resolved = _http_url(candidate, url)
        if resolved:
            return resolved
    return _http_url(url, url) or url


_LANGUAGE = re.compile(r"([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*")


def _language(tree) -> str:
    """The page's declared primary language ("en" for en-GB), or ""."""
    root = tree.getroottree().getroot()
    candidates = [
        root.get("lang") or "",
        root.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
    ]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content") or "")
    candidates += _meta_values(tree, "language", "dc.language", "og:locale")
    candidates += [
        item["inLanguage"]
        for item in _json_ld_objects(tree)
        if isinstance(item.get("inLanguage"), str)
    ]
    for candidate in candidates:
        match = _LANGUAGE.fullmatch(candidate.strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return ""
