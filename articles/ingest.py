"""One way in for every article that is not pasted: from a URL, a feed entry or a file.

Each source of articles turns what it has into a Document and hands it to
`document_ingest`, which applies the duplicate rules once: the same canonical URL with
the same text is the stored article; the same URL with a changed text is a new revision;
the same normalised text under another URL is the stored article too.
"""

import csv
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.extraction import ExtractionError, extract_article, extract_plain_text
from articles.fetching import FetchError, decode_text, fetch
from articles.models import Article, ArticleOrigin, SourceKind
from articles.services import article_create, article_revise, source_get_or_create
from articles.text import UNSTORABLE, content_hash

log = logging.getLogger(__name__)

BATCH_MAX_ROWS = 20_000
BATCH_COLUMNS = ("title", "url", "outlet", "author", "published", "text")


class IngestError(Exception):
    """An article could not be taken in; `message` says why, for the journalist."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Document:
    title: str
    text: str
    origin: str
    url: str | None = None
    outlet: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str = ""
    html: str = ""


@dataclass(frozen=True)
class Ingested:
    """What happened: `created`, `duplicate` (already stored, unchanged) or `revised`
    (the same URL with a changed text, stored as its new revision)."""

    article: Article
    outcome: str

    @property
    def message(self) -> str:
        return {
            "created": "Article stored.",
            "duplicate": "This article was already stored; here it is.",
            "revised": "The article changed since it was stored: its new text is a new "
            "revision, and the quotes logged from it were looked for again.",
        }[self.outcome]


def _unstorable(document: Document) -> bool:
    fields = (document.title, document.text, document.url or "", document.outlet)
    fields += (document.author, document.language, document.html)
    return any(UNSTORABLE.search(value) for value in fields)


def document_ingest(document: Document) -> Ingested:
    if _unstorable(document):
        raise IngestError(
            "invalid",
            "The article holds NUL characters or unpaired surrogates, which are not text.",
        )
    text = document.text.strip()
    if not text:
        raise IngestError("empty", "The article has no text.")
    url = (document.url or "").strip() or None
    if url:
        same_url = Article.objects.filter(url=url).first()
        if same_url is not None:
            if same_url.content_hash == content_hash(text):
                return Ingested(same_url, "duplicate")
            try:
                revised, _ = article_revise(article=same_url, text=text, title=document.title)
            except ValidationError as refused:
                raise IngestError("invalid", " ".join(refused.messages)) from None
            return Ingested(revised, "revised")
    outlet = document.outlet.strip()
    publication = (
        source_get_or_create(name=outlet[:200], kind=SourceKind.PUBLICATION) if outlet else None
    )
    try:
        stored = article_create(
            title=(document.title.strip() or _title_from(text))[:500],
            text=text,
            url=url,
            origin=document.origin,
            publication=publication,
            author=document.author.strip()[:300],
            published_at=document.published_at,
            retrieved_at=timezone.now() if document.origin != ArticleOrigin.PASTE else None,
            language=document.language[:16],
            html=document.html,
        )
    except ValidationError as refused:
        raise IngestError("invalid", " ".join(refused.messages)) from None
    return Ingested(stored.article, "created" if stored.created else "duplicate")


def _title_from(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:120] or "Untitled"


def document_from_page(
    body: bytes, *, url: str, content_type: str, origin: str, charset: str | None = None
) -> Document:
    """An article from a fetched or uploaded page (HTML or plain text)."""
    try:
        if content_type == "text/plain":
            text = extract_plain_text(body, charset=charset)
            return Document(title=_title_from(text), text=text, url=url or None, origin=origin)
        page = extract_article(body, url=url, charset=charset)
    except ExtractionError as empty:
        raise IngestError("nothing_extractable", str(empty)) from None
    return Document(
        title=page.title or _title_from(page.text),
        text=page.text,
        url=page.canonical_url or url or None,
        outlet=page.site_name,
        author=page.author,
        published_at=page.published_at,
        language=page.language,
        html=page.html,
        origin=origin,
    )


def page_upload_check(data: bytes, *, html: bool) -> None:
    """IngestError unless an uploaded article's bytes are text: once decoded as the page
    will be, they hold no NUL character (a binary or compressed file under a .txt or
    .html name does; text in UTF-16 or UTF-32 decodes without any)."""
    decoded = decode_text(data, content_type="text/html" if html else "text/plain")
    if "\x00" in decoded:
        raise IngestError(
            "not_text", "The file is not text (it holds NUL bytes): upload a .txt or .html article."
        )


def batch_text(data: bytes) -> str:
    """A batch file's text (UTF-8, with or without a byte order mark), or IngestError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            "encoding", f"The file is not UTF-8 text (byte {error.start + 1} cannot be read)."
        ) from None
    if "\x00" in text:
        raise IngestError("not_text", "The file is not text: it holds NUL characters.")
    return text


def url_ingest(url: str, *, origin: str = ArticleOrigin.URL) -> Ingested:
    """Fetch `url` safely, extract the article, and store it (or find it stored)."""
    try:
        fetched = fetch(url)
    except FetchError as failed:
        raise IngestError(failed.code, failed.message) from None
    document = document_from_page(
        fetched.body,
        url=fetched.final_url,
        content_type=fetched.content_type,
        origin=origin,
        charset=fetched.charset,
    )
    return document_ingest(document)


# --- Batches ------------------------------------------------------------------------------


@dataclass
class BatchReport:
    created: int = 0
    duplicates: int = 0
    revised: int = 0
    errors: list[dict] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        name = {"created": "created", "duplicate": "duplicates", "revised": "revised"}[outcome]
        setattr(self, name, getattr(self, name) + 1)

    @property
    def summary(self) -> str:
        parts = [f"{self.created} stored", f"{self.duplicates} already stored"]
        if self.revised:
            parts.append(f"{self.revised} revised")
        if self.errors:
            parts.append(f"{len(self.errors)} refused")
        return ", ".join(parts) + "."


def _published(raw) -> datetime | None:
    if raw in (None, ""):
        return None
    value = str(raw).strip()
    when = parse_datetime(value)
    if when is None and (day := parse_date(value)):
        when = datetime(day.year, day.month, day.day)
    if when is None:
        raise IngestError("invalid", f"{value!r} is not a date (use ISO 8601).")
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def batch_rows(data: bytes, *, filename: str) -> list[dict]:
    """The rows of a JSON Lines (.jsonl) or CSV (.csv) batch, with the columns
    title, url, outlet, author, published, text. A file that cannot be read at all
    raises IngestError; problems with single rows are left to `batch_ingest`."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError("encoding", "The file is not UTF-8 text.") from None
    if filename.lower().endswith((".jsonl", ".ndjson", ".json")):
        rows = []
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = {"_error": f"Line {number} is not valid JSON."}
            rows.append(row if isinstance(row, dict) else {"_error": "A line is not an object."})
    elif filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
        try:
            rows = list(reader)
        except csv.Error as broken:
            raise IngestError("malformed", f"The CSV file is malformed: {broken}.") from None
        unknown = set(reader.fieldnames or ()) - set(BATCH_COLUMNS)
        if unknown:
            raise IngestError("columns", f"Unknown columns: {', '.join(sorted(unknown))}.")
    else:
        raise IngestError("file_type", "A batch is a .jsonl or a .csv file.")
    if len(rows) > BATCH_MAX_ROWS:
        raise IngestError("too_many", f"A batch holds at most {BATCH_MAX_ROWS:,} articles.")
    return rows


def _document_from_row(row: dict) -> Document:
    if "_error" in row:
        raise IngestError("invalid", row["_error"])
    text = str(row.get("text") or "").strip()
    if not text:
        raise IngestError("invalid", "The row has no text.")
    return Document(
        title=str(row.get("title") or ""),
        text=text,
        url=str(row.get("url") or "").strip() or None,
        outlet=str(row.get("outlet") or ""),
        author=str(row.get("author") or ""),
        published_at=_published(row.get("published")),
        origin=ArticleOrigin.UPLOAD,
    )


def batch_ingest(
    rows: list[dict], *, on_progress: Callable[[int, BatchReport], None] | None = None
) -> BatchReport:
    """Store every good row (each on its own); bad rows are reported by their number
    (1-based) and the good ones kept."""
    report = BatchReport()
    for number, row in enumerate(rows, start=1):
        try:
            report.count(document_ingest(_document_from_row(row)).outcome)
        except IngestError as refused:
            report.errors.append({"row": number, "error": refused.message})
        if on_progress is not None:
            on_progress(number, report)
    return report
