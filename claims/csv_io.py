"""CSV export and import of claims, for the REST API.

Export writes one row per claim with the columns of `EXPORT_COLUMNS`. Import reads the
columns of `IMPORT_COLUMNS`: claims in canonical words, each optionally with where it
appeared. Every import row goes through the services the pages use (`claim_create`,
`source_named`, `appearance_create`), so the API obeys the same permissions and rules; a
file is stored whole or not at all.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from articles.models import Article, Source, SourceKind
from claims.models import Appearance, Claim, ClaimKind
from claims.services import appearance_create, claim_create, source_named

EXPORT_COLUMNS = (
    "id",
    "text",
    "kind",
    "status",
    "tags",
    "resolves_by",
    "created_at",
    "updated_at",
    "appearances",
    "first_article_url",
    "first_speaker",
)
IMPORT_COLUMNS = (
    "text",
    "kind",
    "tags",
    "resolves_by",
    "article",
    "quote",
    "start",
    "speaker",
    "speaker_kind",
    "outlet",
    "attribution",
    "anonymous_count",
)
# Columns an export writes that an import cannot set: accepted and ignored, so that an
# exported file can be imported as it is (into another instance, say).
EXPORT_ONLY_COLUMNS = frozenset(EXPORT_COLUMNS) - frozenset(IMPORT_COLUMNS)
# Any of these filled in makes the row an appearance too (speaker_kind alone does not:
# a spreadsheet may fill it in on every row).
_APPEARANCE_COLUMNS = (
    "article",
    "quote",
    "start",
    "speaker",
    "outlet",
    "attribution",
    "anonymous_count",
)

TAG_SEPARATOR = ";"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
EXPORT_CHUNK = 1000
# The same limits as the Log claim form and the columns the values are stored in.
MAX_TEXT_CHARS = 2000
MAX_NAME_CHARS = 200
MAX_ATTRIBUTION_CHARS = 300
MAX_TAG_CHARS = 60
MAX_ANONYMOUS = 1000
SPEAKER_KINDS = (SourceKind.PERSON, SourceKind.ORGANISATION, SourceKind.ANONYMOUS)

FILE_ERRORS = "file"  # the errors key of a problem with the whole file (its row is None)
ROW_ERRORS = "non_field_errors"  # the errors key of a problem with a row as a whole

# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage
# return are stripped by some before they look at the next character).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- Export ------------------------------------------------------------------------------


def _guarded(value: str) -> bool:
    """Whether the cell starts with a formula trigger, after any apostrophes (a value that
    really starts with "'=" must be guarded too, or the import would take its apostrophe
    for the guard and drop it)."""
    return value.lstrip("'").startswith(_FORMULA_TRIGGERS)


def _defuse(value: str) -> str:
    """The cell as a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + value if _guarded(value) else value


def _restore(value: str) -> str:
    """The cell as it was before `_defuse` guarded it."""
    if value.startswith("'") and _guarded(value[1:]):
        return value[1:]
    return value


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def claims_export_rows(claims) -> Iterator[list[str]]:
    """The header, then one row per claim of the queryset `claims` (in its order), with
    every cell guarded as `claims_export_csv` describes. For a streaming response, give
    the rows to a `csv.writer` over a buffer that returns what it is given."""
    of_claim = Appearance.objects.filter(claim=OuterRef("pk"))
    # The first appearance: the earliest published article (unknown dates last), then
    # the earliest place in it.
    first = of_claim.order_by(F("article__published_at").asc(nulls_last=True), "start", "pk")
    counted = of_claim.order_by().values("claim").annotate(n=Count("pk")).values("n")
    rows = (
        claims.annotate(
            csv_appearances=Coalesce(Subquery(counted), Value(0), output_field=IntegerField()),
            csv_first_article_url=Subquery(first.values("article__url")[:1]),
            csv_first_speaker=Subquery(first.values("speaker__name")[:1]),
        )
        .prefetch_related("tags")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    yield list(EXPORT_COLUMNS)
    for claim in rows:
        cells = [
            str(claim.pk),
            claim.text,
            claim.kind,
            claim.status,
            TAG_SEPARATOR.join(sorted(tag.name for tag in claim.tags.all())),
            _iso(claim.resolves_by),
            _iso(claim.created_at),
            _iso(claim.updated_at),
            str(claim.csv_appearances),
            claim.csv_first_article_url or "",
            claim.csv_first_speaker or "",
        ]
        yield [_defuse(cell) for cell in cells]


def claims_export_csv(claims, out) -> None:
    """Write the claims of the queryset `claims` to the text stream `out` as CSV.

    Columns: id, text, kind, status, tags (names joined with ";"), resolves_by (ISO
    date), created_at and updated_at (ISO 8601 with the zone, as stored: UTC),
    appearances (how many), first_article_url and first_speaker (of the first appearance:
    the earliest published article, unknown dates last, then the earliest quote in it;
    empty when unknown or when the claim has no appearance).

    Formula injection: a spreadsheet runs a cell that starts with "=", "+", "-" or "@"
    (or a tab or carriage return before one) as a formula, so any cell starting with one
    of those characters is written with a leading apostrophe ("'=1+1"), which spreadsheets
    show as text; so is one that starts with apostrophes before such a character ("''=1"
    for "'=1"). `claims_import_csv` removes that one apostrophe again, so every value
    round-trips exactly.

    The claims are read in chunks (`EXPORT_CHUNK`), each with one query for the claims
    and their appearance figures and one for their tags, however many rows there are.
    """
    writer = csv.writer(out)
    for row in claims_export_rows(claims):
        writer.writerow(row)


# --- Import ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """The outcome of `claims_import_csv`. With any error nothing was stored and both
    counts are 0. Each error is {"row": data row number from 1 (None for the file as a
    whole), "errors": {column: [messages]}}."""

    created_claims: int = 0
    created_appearances: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


def _decoded(data: bytes | str) -> str:
    if isinstance(data, str):
        if len(data) > MAX_BYTES or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise _FileRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise _FileRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileRefused(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read); "
            "save it as CSV UTF-8 and try again."
        ) from None


def _records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str] | None]]]:
    """The header and the data rows, numbered from 1, each as {column: cell} (None for
    a row with more cells than the header)."""
    if "\x00" in text:
        raise _FileRefused("The file contains NUL characters; it is not a CSV text file.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise _FileRefused("The file is empty; the first row must name the columns.")
        columns = [cell.strip().lower() for cell in header]
        _check_header(columns)
        rows: list[tuple[int, dict[str, str] | None]] = []
        filled = 0
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line; it still counts in the row numbers
            filled += 1
            if filled > MAX_ROWS:
                raise _FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it.")
            if len(cells) > len(columns):
                rows.append((number, None))
                continue
            cells = cells + [""] * (len(columns) - len(cells))
            rows.append((number, {c: _restore(v) for c, v in zip(columns, cells, strict=True)}))
    except csv.Error as error:
        raise _FileRefused(
            f"The file is not valid CSV near line {reader.line_num}: {error}. "
            'Check for a quote (") that is opened but never closed.'
        ) from None
    return columns, rows


def _check_header(columns: list[str]) -> None:
    problems = []
    if "" in columns:
        problems.append(f"Column {columns.index('') + 1} of the header has no name.")
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if twice:
        problems.append(f"Columns named more than once: {', '.join(twice)}.")
    unknown = [c for c in columns if c and c not in IMPORT_COLUMNS and c not in EXPORT_ONLY_COLUMNS]
    if unknown:
        problems.append(
            f"Unknown columns: {', '.join(unknown)}. The columns are: {', '.join(IMPORT_COLUMNS)}."
        )
    if "text" not in columns:
        problems.append("The header needs a text column (the claim in canonical words).")
    if problems:
        raise _FileRefused(" ".join(problems))


def _messages(error: ValidationError, column: str) -> dict[str, list[str]]:
    """A service's refusal as {column: [messages]}; refusals not tied to a field go to
    `column`, the one the call was about."""
    if hasattr(error, "error_dict"):
        return {(column if key == "__all__" else key): msgs for key, msgs in error}
    return {column: list(error.messages)}


def _add(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


def _group_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _tag_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(TAG_SEPARATOR) if name.strip()]


def _whole_number(cell: str) -> int | None:
    """The cell as a whole number, None if it is not one."""
    cell = cell.strip()
    return int(cell) if cell.isascii() and cell.isdigit() else None


@dataclass
class _ClaimFields:
    text: str
    kind: str | None  # None: not given
    tags: list[str] | None
    resolves_by: date | None
    resolves_by_given: bool


@dataclass
class _AppearanceFields:
    article: Article
    quote: str
    start: int
    speaker: str
    speaker_kind: str
    outlet: str
    attribution: str
    anonymous_count: int | None


@dataclass
class _Group:
    """The claim the rows with one wording share, as its first row logged it."""

    claim: Claim
    row: int
    kind: str
    tags: frozenset[str]
    resolves_by: date | None


def _occurrences(text: str, quote: str, most: int = 2) -> list[int]:
    found, at = [], text.find(quote)
    while at != -1 and len(found) < most:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


class _Importer:
    """Stores the rows of one file, one savepoint each, remembering what they created."""

    def __init__(self, actor):
        self.actor = actor
        self.groups: dict[str, _Group] = {}
        self.articles: dict[str, Article | None] = {}
        self.created_claims = 0
        self.created_appearances = 0

    # Reading cells ----------------------------------------------------------------------

    def claim_fields(self, row: dict[str, str], errors: dict) -> _ClaimFields | None:
        own: dict[str, list[str]] = {}
        text = " ".join(row.get("text", "").split())
        if not text:
            own["text"] = ["A claim needs its wording."]
        elif len(text) > MAX_TEXT_CHARS:
            own["text"] = [f"Keep the claim under {MAX_TEXT_CHARS} characters."]
        kind = row.get("kind", "").strip().lower() or None
        tags = None
        if row.get("tags", "").strip():
            tags = _tag_names(row["tags"])
            if any(len(slugify(name)) > MAX_TAG_CHARS for name in tags):
                own["tags"] = [f"Keep each tag under {MAX_TAG_CHARS} characters."]
        resolves_by, cell = None, row.get("resolves_by", "").strip()
        if cell:
            try:
                if not _ISO_DATE.fullmatch(cell):
                    raise ValueError(cell)
                resolves_by = date.fromisoformat(cell)
            except ValueError:
                own["resolves_by"] = ["Give the date as YYYY-MM-DD."]
        if own:
            _add(errors, own)
            return None
        return _ClaimFields(text, kind, tags, resolves_by, resolves_by_given=bool(cell))

    def article(self, ref: str) -> Article | None:
        if ref not in self.articles:
            number = _whole_number(ref)
            found = Article.objects.filter(pk=number) if number else Article.objects.none()
            self.articles[ref] = found.first() or Article.objects.filter(url=ref).first()
        return self.articles[ref]

    def appearance_fields(self, row: dict[str, str], errors: dict) -> _AppearanceFields | None:
        if not any(row.get(column, "").strip() for column in _APPEARANCE_COLUMNS):
            return None
        own: dict[str, list[str]] = {}
        ref = row.get("article", "").strip()
        article = None
        if not ref:
            own["article"] = ["An appearance needs its article: an article id or URL."]
        else:
            article = self.article(ref)
            if article is None:
                own["article"] = [f"No stored article has the id or URL {ref!r}."]
        quote = row.get("quote", "").strip()
        if not quote:
            own["quote"] = ["An appearance needs the exact quote from the article."]
        start = None
        if row.get("start", "").strip():
            start = _whole_number(row["start"])
            if start is None:
                own["start"] = ["Give the quote's start as a character offset (0 or more)."]
        elif article is not None and quote:
            found = _occurrences(article.text, quote)
            if not found:
                own["quote"] = ["The quote is not in the article's text."]
            elif len(found) > 1:
                own["quote"] = [
                    "The quote occurs more than once in the article's text; give its "
                    "start offset to say which."
                ]
            else:
                start = found[0]
        speaker = " ".join(row.get("speaker", "").split())
        outlet = " ".join(row.get("outlet", "").split())
        for column, name in (("speaker", speaker), ("outlet", outlet)):
            if len(name) > MAX_NAME_CHARS:
                own[column] = [f"Keep the name under {MAX_NAME_CHARS} characters."]
        speaker_kind = row.get("speaker_kind", "").strip().lower() or SourceKind.PERSON
        if speaker_kind not in SPEAKER_KINDS:
            own["speaker_kind"] = [f"Give one of: {', '.join(SPEAKER_KINDS)}."]
        attribution = row.get("attribution", "").strip()
        if len(attribution) > MAX_ATTRIBUTION_CHARS:
            own["attribution"] = [f"Keep it under {MAX_ATTRIBUTION_CHARS} characters."]
        anonymous_count = None
        if row.get("anonymous_count", "").strip():
            anonymous_count = _whole_number(row["anonymous_count"])
            if anonymous_count is None or not 1 <= anonymous_count <= MAX_ANONYMOUS:
                own["anonymous_count"] = [f"Give a whole number from 1 to {MAX_ANONYMOUS}."]
        if own:
            _add(errors, own)
            return None
        return _AppearanceFields(
            article=article,
            quote=quote,
            start=start,
            speaker=speaker,
            speaker_kind=speaker_kind,
            outlet=outlet,
            attribution=attribution,
            anonymous_count=anonymous_count,
        )

    # Storing ------------------------------------------------------------------------------

    def _same_claim(self, group: _Group, fields: _ClaimFields, errors: dict) -> None:
        """A later row of the same claim may repeat its first row's kind, tags and date,
        or leave them empty, but not contradict them."""
        said = f"row {group.row} logs this claim"
        if fields.kind is not None and fields.kind != group.kind:
            errors["kind"] = [f"{said.capitalize()} as {group.kind}; leave kind empty or match."]
        if fields.tags is not None and frozenset(map(slugify, fields.tags)) != group.tags:
            errors["tags"] = [f"{said.capitalize()} with other tags; leave tags empty or match."]
        if fields.resolves_by_given and fields.resolves_by != group.resolves_by:
            errors["resolves_by"] = [
                f"{said.capitalize()} with another resolves-by date; leave it empty or match."
            ]

    def _source(self, name: str, kind: str, column: str, errors: dict) -> Source | None:
        try:
            return source_named(name, kind=kind)
        except ValidationError as refused:
            _add(errors, {column: list(refused.messages)})
            return None

    def _store(self, number: int, row: dict[str, str], errors: dict) -> tuple[int, int]:
        """Store one row through the services; returns the claims and appearances it
        created. Refusals are added to `errors`."""
        fields = self.claim_fields(row, errors)
        place = self.appearance_fields(row, errors)
        speaker = outlet = None
        if place is not None:
            speaker = self._source(place.speaker, place.speaker_kind, "speaker", errors)
            outlet = self._source(place.outlet, SourceKind.PUBLICATION, "outlet", errors)
        if fields is None:
            return 0, 0
        key = _group_key(fields.text)
        group = self.groups.get(key)
        new_claims = 0
        if group is not None:
            self._same_claim(group, fields, errors)
            claim = group.claim
        else:
            kind = fields.kind or ClaimKind.FACT
            try:
                claim = claim_create(
                    text=fields.text,
                    kind=kind,
                    tags=fields.tags or (),
                    resolves_by=fields.resolves_by,
                    actor=self.actor,
                )
            except ValidationError as refused:
                _add(errors, _messages(refused, "text"))
                return 0, 0
            new_claims = 1
            group = _Group(
                claim=claim,
                row=number,
                kind=kind,
                tags=frozenset(map(slugify, fields.tags or ())),
                resolves_by=fields.resolves_by,
            )
        new_appearances = 0
        if place is not None:
            # Called even when the row is already refused, to report all that is wrong.
            new_appearances = self._appear(claim, place, speaker, outlet, errors)
        if not errors and new_claims:
            self.groups[key] = group
        return new_claims, new_appearances

    def _appear(self, claim, place: _AppearanceFields, speaker, outlet, errors: dict) -> int:
        try:
            appearance_create(
                claim=claim,
                article=place.article,
                start=place.start,
                end=place.start + len(place.quote),
                quote=place.quote,
                actor=self.actor,
                speaker=speaker,
                outlet=outlet,
                attribution=place.attribution,
                anonymous_count=place.anonymous_count,
            )
        except ValidationError as refused:
            _add(errors, _messages(refused, "quote"))
            return 0
        return 1

    def row(self, number: int, row: dict[str, str] | None) -> dict[str, list[str]]:
        """Store one row in its own savepoint, undone if the row is refused; returns the
        refusals by column (empty when the row was stored)."""
        if row is None:
            return {ROW_ERRORS: ["This row has more cells than the header has columns."]}
        errors: dict[str, list[str]] = {}
        try:
            with transaction.atomic():
                claims, appearances = self._store(number, row, errors)
                if errors:
                    raise _RowRefused
        except _RowRefused:
            return errors
        self.created_claims += claims
        self.created_appearances += appearances
        return errors


class _RowRefused(Exception):
    """Undoes a refused row's savepoint."""


def _may_log_claims(actor) -> None:
    if actor is None or not actor.is_active or not actor.has_perm("claims.add_claim"):
        raise PermissionDenied("You are not allowed to log claims.")


def claims_import_csv(data: bytes | str, *, actor) -> ImportReport:
    """Import claims, and where they appeared, from CSV (`data`: the file's bytes, UTF-8
    with or without a byte order mark, or its text).

    The first row names the columns (`IMPORT_COLUMNS`, in any order, any case):

    - text (required): the claim in canonical words;
    - kind: fact (default), prediction, intent or opinion;
    - tags: tag names separated by ";";
    - resolves_by: YYYY-MM-DD, predictions only;
    - for an appearance, article (an article id, or the URL of a stored article) and
      quote (its exact text), with start (its character offset; when empty the quote
      must occur exactly once in the article), speaker, speaker_kind (person, the
      default, organisation or anonymous; used when the speaker is new), outlet (the
      reporting publication), attribution and anonymous_count.

    The columns an export writes that an import cannot set (`EXPORT_ONLY_COLUMNS`: id,
    status, timestamps and appearance figures) are accepted and ignored, so an exported
    file imports as it is; any other column refuses the file. A cell that an export
    guarded against formula injection ("'=...") is read without the apostrophe.

    Rows whose texts are the same (ignoring case and spacing) log one claim with several
    appearances; the first of them sets its kind, tags and date, which the others may
    repeat or leave empty. Claims already stored are not looked up: the file's claims are
    new ones.

    Every row is validated by storing it through the services the pages use, in one
    transaction; if any row is refused, the transaction is rolled back (nothing is stored,
    not even new sources or tags) and the report lists every refusal. A file that cannot
    be read (over `MAX_BYTES` or `MAX_ROWS`, not UTF-8, not valid CSV, a wrong header)
    is refused as a whole. An actor who may not log claims gets PermissionDenied.
    """
    _may_log_claims(actor)
    try:
        _, rows = _records(_decoded(data))
    except _FileRefused as refused:
        return ImportReport(errors=[{"row": None, "errors": {FILE_ERRORS: [str(refused)]}}])
    report = ImportReport()
    with transaction.atomic():
        importer = _Importer(actor)
        for number, row in rows:
            errors = importer.row(number, row)
            if errors:
                report.errors.append({"row": number, "errors": errors})
        if report.errors:
            transaction.set_rollback(True)
        else:
            report.created_claims = importer.created_claims
            report.created_appearances = importer.created_appearances
    return report
