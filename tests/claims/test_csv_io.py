import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import Source, SourceKind
from claims import csv_io
from claims.csv_io import EXPORT_COLUMNS, claims_export_csv, claims_import_csv
from claims.models import Appearance, Claim, Tag
from claims.services import appearance_create, source_named
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db

ARTICLE_TEXT = (
    "Meta said on Tuesday that Llama 3 will be released in April. "
    "Critics said the model is not open source. "
    "Meta said on Tuesday that Llama 3 will be released in April."
)


def exported(claims) -> list[dict]:
    out = io.StringIO()
    claims_export_csv(claims, out)
    out.seek(0)
    return list(csv.DictReader(out))


def csv_text(*rows: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


class _AnyMessage:
    """Equal to any non-empty message."""

    def __eq__(self, other):
        return isinstance(other, str) and bool(other)


ANY_MESSAGE = _AnyMessage()


# --- Export ------------------------------------------------------------------------------


def test_export_writes_the_header_and_one_row_per_claim(journalist):
    article = make_article(title="Llama", text=ARTICLE_TEXT, url="https://example.com/llama-3")
    claim = make_claim(
        journalist,
        text="Llama 3 will be released in April.",
        kind="prediction",
        tags=["llama", "Open Source"],
        resolves_by=date(2024, 4, 30),
    )
    appearance_create(
        claim=claim,
        article=article,
        start=26,
        end=60,
        actor=journalist,
        speaker=source_named("Meta", kind=SourceKind.ORGANISATION),
    )
    bare = make_claim(journalist, text="Critics say the model is not open source.", kind="fact")

    out = io.StringIO()
    claims_export_csv(Claim.objects.order_by("pk"), out)
    out.seek(0)
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(EXPORT_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))

    assert len(rows) == 2
    first, second = rows
    assert first["id"] == str(claim.pk)
    assert first["text"] == "Llama 3 will be released in April."
    assert first["kind"] == "prediction"
    assert first["status"] == "unverified"
    assert first["tags"] == "llama;open-source"
    assert first["resolves_by"] == "2024-04-30"
    assert first["created_at"] == claim.created_at.isoformat()
    assert first["created_at"].endswith("+00:00")
    assert first["updated_at"] == Claim.objects.get(pk=claim.pk).updated_at.isoformat()
    assert first["appearances"] == "1"
    assert first["first_article_url"] == "https://example.com/llama-3"
    assert first["first_speaker"] == "Meta"
    assert second["id"] == str(bare.pk)
    assert (second["tags"], second["resolves_by"], second["appearances"]) == ("", "", "0")
    assert (second["first_article_url"], second["first_speaker"]) == ("", "")


def test_export_names_the_earliest_published_appearance(journalist):
    late = make_article(
        text="Late: Llama 3 ships in April.",
        url="https://example.com/late",
        published_at=datetime(2024, 3, 2, tzinfo=UTC),
    )
    early = make_article(
        text="Early: Llama 3 ships in April.",
        url="https://example.com/early",
        published_at=datetime(2024, 3, 1, tzinfo=UTC),
    )
    claim = make_claim(journalist, text="Llama 3 ships in April.", kind="fact")
    for article, speaker in ((late, "Late Speaker"), (early, "Early Speaker")):
        start = article.text.index("Llama")
        appearance_create(
            claim=claim,
            article=article,
            start=start,
            end=len(article.text),
            actor=journalist,
            speaker=source_named(speaker, kind=SourceKind.PERSON),
        )

    (row,) = exported(Claim.objects.all())
    assert row["appearances"] == "2"
    assert row["first_article_url"] == "https://example.com/early"
    assert row["first_speaker"] == "Early Speaker"


@pytest.mark.parametrize(
    "text", ["=HYPERLINK(1)", "+1 more", "-2 less", "@SUM(A1)", "\t=1+1", "\r=1+1"]
)
def test_export_guards_cells_against_formula_injection(journalist, text):
    claim = make_claim(journalist, text="placeholder", kind="fact")
    # The service normalises white space, so a leading tab or CR needs a direct write.
    Claim.objects.filter(pk=claim.pk).update(text=text)
    article = make_article(text="Quoted words here.")
    appearance_create(
        claim=claim,
        article=article,
        start=0,
        end=6,
        actor=journalist,
        speaker=source_named("=cmd|' /C calc'!A0", kind=SourceKind.PERSON),
    )

    (row,) = exported(Claim.objects.all())
    assert row["text"] == "'" + text
    assert row["first_speaker"] == "'=cmd|' /C calc'!A0"
    assert row["kind"] == "fact"  # harmless cells are untouched


def test_export_query_count_does_not_grow_with_rows(journalist, django_assert_max_num_queries):
    def add_claims(count):
        for _ in range(count):
            article = make_article()
            claim = make_claim(journalist, tags=["llama", "meta"])
            appearance_create(
                claim=claim,
                article=article,
                start=0,
                end=4,
                actor=journalist,
                speaker=source_named("Yann", kind=SourceKind.PERSON),
            )

    add_claims(2)
    with django_assert_max_num_queries(2):
        assert len(exported(Claim.objects.all())) == 2
    add_claims(25)
    with django_assert_max_num_queries(2):
        assert len(exported(Claim.objects.all())) == 27


# --- Import ------------------------------------------------------------------------------

HEADER = ["text", "kind", "tags", "resolves_by", "article", "quote", "start", "speaker"]


def test_import_creates_claims_and_appearances(journalist):
    publication = make_publication("The Daily Example")
    article = make_article(
        title="Llama",
        text=ARTICLE_TEXT,
        url="https://example.com/llama-3",
        publication=publication,
    )
    data = csv_text(
        [*HEADER, "speaker_kind", "outlet", "attribution", "anonymous_count"],
        [
            "Llama 3 will be released in April.",
            "prediction",
            "llama; open source",
            "2024-04-30",
            str(article.pk),
            "Llama 3 will be released in April.",
            "26",
            "Meta",
            "organisation",
            "The Daily Example",
            "said on Tuesday",
            "",
        ],
        [
            "The model is not open source.",
            "",
            "",
            "",
            "https://example.com/llama-3",
            "the model is not open source",
            "",
            "critics",
            "anonymous",
            "",
            "Critics said",
            "3",
        ],
        ["Meta is a company.", "fact", "", "", "", "", "", "", "person", "", "", ""],
    )

    report = claims_import_csv(data.encode(), actor=journalist)

    assert report.ok, report.errors
    assert (report.created_claims, report.created_appearances) == (3, 2)
    assert report.errors == []
    llama = Claim.objects.get(text="Llama 3 will be released in April.")
    assert llama.kind == "prediction"
    assert llama.resolves_by == date(2024, 4, 30)
    assert sorted(t.name for t in llama.tags.all()) == ["llama", "open-source"]
    assert llama.created_by == journalist
    (given,) = llama.appearances.all()
    assert (given.article, given.start, given.end) == (article, 26, 60)
    assert given.quote == article.text[26:60]
    assert given.speaker.name == "Meta"
    assert given.speaker.kind == SourceKind.ORGANISATION
    assert given.outlet == publication
    assert given.attribution == "said on Tuesday"

    (found,) = Claim.objects.get(text="The model is not open source.").appearances.all()
    assert found.start == ARTICLE_TEXT.index("the model is not open source")
    assert found.quote == "the model is not open source"
    assert found.speaker.kind == SourceKind.ANONYMOUS
    assert found.anonymous_count == 3
    assert found.outlet is None

    assert not Claim.objects.get(text="Meta is a company.").appearances.exists()


def test_import_reads_utf8_with_a_byte_order_mark_and_header_in_any_case(journalist):
    data = "\ufeffText,Kind\nÉmile Zola wrote about Llama 3.,opinion\n".encode()
    report = claims_import_csv(data, actor=journalist)
    assert report.ok, report.errors
    assert Claim.objects.get().text == "Émile Zola wrote about Llama 3."


def test_rows_with_the_same_text_become_one_claim(journalist):
    first = make_article(text="Meta will open Llama 3. More later.")
    second = make_article(text="Reuters: Meta will open Llama 3.")
    data = csv_text(
        ["text", "kind", "article", "quote"],
        ["Meta will open Llama 3.", "prediction", first.pk, "Meta will open Llama 3."],
        ["  meta WILL open   llama 3. ", "", second.pk, "Meta will open Llama 3."],
    )

    report = claims_import_csv(data, actor=journalist)

    assert report.ok, report.errors
    assert (report.created_claims, report.created_appearances) == (1, 2)
    claim = Claim.objects.get()
    assert claim.text == "Meta will open Llama 3."
    assert claim.kind == "prediction"
    assert {a.article_id for a in claim.appearances.all()} == {first.pk, second.pk}


def test_a_later_row_may_not_contradict_the_first_row_of_its_claim(journalist):
    data = csv_text(
        ["text", "kind", "tags"],
        ["Meta will open Llama 3.", "prediction", "llama"],
        ["Meta will open Llama 3.", "fact", "meta"],
    )
    report = claims_import_csv(data, actor=journalist)
    assert not report.ok
    assert report.errors == [{"row": 2, "errors": {"kind": [ANY_MESSAGE], "tags": [ANY_MESSAGE]}}]
    assert "row 1" in report.errors[0]["errors"]["kind"][0].lower()
    assert not Claim.objects.exists()


def test_one_bad_row_imports_nothing_and_names_the_row_and_field(journalist):
    article = make_article(text=ARTICLE_TEXT)
    sources_before = Source.objects.count()
    data = csv_text(
        ["text", "kind", "tags", "article", "quote", "start", "speaker"],
        ["A good claim.", "fact", "brand-new-tag", article.pk, "Critics said", "", "New One"],
        ["A claim of an unknown kind.", "rumour", "", "", "", "", ""],
        ["Another good claim.", "opinion", "", "", "", "", ""],
        ["A misplaced quote.", "fact", "", article.pk, "Critics said", "0", ""],
    )

    report = claims_import_csv(data, actor=journalist)

    assert not report.ok
    assert (report.created_claims, report.created_appearances) == (0, 0)
    assert [e["row"] for e in report.errors] == [2, 4]
    assert list(report.errors[0]["errors"]) == ["kind"]
    assert list(report.errors[1]["errors"]) == ["quote"]
    assert not Claim.all_objects.exists()
    assert not Appearance.objects.exists()
    assert not Tag.objects.exists()
    assert Source.objects.count() == sources_before


def test_row_numbers_count_data_rows_including_blank_lines(journalist):
    data = "text,kind\nFirst claim.,fact\n\n,fact\n"
    report = claims_import_csv(data, actor=journalist)
    assert report.errors == [{"row": 3, "errors": {"text": ["A claim needs its wording."]}}]


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"resolves_by": "30/04/2024", "kind": "prediction"}, "resolves_by"),
        ({"resolves_by": "2024-04-30", "kind": "fact"}, "resolves_by"),
        ({"tags": "!!!"}, "tags"),
        ({"article": "999999", "quote": "Critics"}, "article"),
        ({"quote": "Critics said"}, "article"),
        ({"article": "ARTICLE", "quote": ""}, "quote"),
        ({"article": "ARTICLE", "quote": "not in the text"}, "quote"),
        ({"article": "ARTICLE", "quote": "Critics", "start": "x"}, "start"),
        ({"article": "ARTICLE", "quote": "Critics", "start": "100000"}, "start"),
        ({"article": "ARTICLE", "quote": "Critics", "speaker_kind": "publication"}, "speaker_kind"),
        ({"article": "ARTICLE", "quote": "Critics", "anonymous_count": "0"}, "anonymous_count"),
    ],
)
def test_row_errors_are_reported_by_column(journalist, cells, column):
    article = make_article(text=ARTICLE_TEXT)
    cells = {k: str(article.pk) if v == "ARTICLE" else v for k, v in cells.items()}
    row = {"text": "A claim.", **cells}
    data = csv_text(list(row), list(row.values()))
    report = claims_import_csv(data, actor=journalist)
    assert [e["row"] for e in report.errors] == [1]
    assert column in report.errors[0]["errors"], report.errors
    assert not Claim.objects.exists()


def test_an_ambiguous_quote_needs_its_offset(journalist):
    article = make_article(text=ARTICLE_TEXT)
    quote = "Meta said on Tuesday"
    ambiguous = csv_text(["text", "article", "quote"], ["Meta said it.", article.pk, quote])
    report = claims_import_csv(ambiguous, actor=journalist)
    assert "more than once" in report.errors[0]["errors"]["quote"][0]

    second = ARTICLE_TEXT.rindex(quote)
    placed = csv_text(
        ["text", "article", "quote", "start"], ["Meta said it.", article.pk, quote, second]
    )
    assert claims_import_csv(placed, actor=journalist).ok
    assert Appearance.objects.get().start == second


def test_the_same_quote_twice_for_one_claim_is_refused(journalist):
    article = make_article(text=ARTICLE_TEXT)
    row = ["Critics doubt it.", article.pk, "Critics said"]
    report = claims_import_csv(csv_text(["text", "article", "quote"], row, row), actor=journalist)
    assert [e["row"] for e in report.errors] == [2]
    assert "quote" in report.errors[0]["errors"]
    assert not Claim.objects.exists()


def _file_error(report) -> str:
    assert not report.ok
    assert (report.created_claims, report.created_appearances) == (0, 0)
    (error,) = report.errors
    assert error["row"] is None
    (message,) = error["errors"]["file"]
    return message


def test_a_file_that_is_not_utf8_is_refused(journalist):
    data = "text\nÉmile Zola wrote about Llama 3.\n".encode("latin-1")
    assert "UTF-8" in _file_error(claims_import_csv(data, actor=journalist))
    utf16 = "text\nA claim.\n".encode("utf-16")
    assert "UTF-8" in _file_error(claims_import_csv(utf16, actor=journalist))
    assert not Claim.objects.exists()


def test_malformed_csv_is_refused(journalist):
    data = 'text,kind\n"An unclosed quote,fact\nAnother claim.,fact\n'
    assert "not valid CSV" in _file_error(claims_import_csv(data, actor=journalist))
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("text,kind,colour", "Unknown columns: colour"),
        ("kind,tags", "needs a text column"),
        ("text,text", "more than once"),
        ("text,,kind", "no name"),
    ],
)
def test_a_wrong_header_is_refused(journalist, header, words):
    data = f"{header}\nA claim.,fact,x\n"
    assert words in _file_error(claims_import_csv(data, actor=journalist))
    assert not Claim.objects.exists()


def test_an_empty_file_is_refused(journalist):
    assert "empty" in _file_error(claims_import_csv(b"", actor=journalist))


def test_a_row_with_more_cells_than_the_header_is_refused(journalist):
    report = claims_import_csv("text\nOne claim.,surplus\n", actor=journalist)
    assert report.errors == [{"row": 1, "errors": {"non_field_errors": [ANY_MESSAGE]}}]


def test_too_many_rows_are_refused(journalist, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_ROWS", 2)
    data = csv_text(["text"], ["One."], ["Two."])
    assert claims_import_csv(data, actor=journalist).created_claims == 2
    data = csv_text(["text"], ["Three."], ["Four."], ["Five."])
    assert "more than 2 rows" in _file_error(claims_import_csv(data, actor=journalist))
    assert Claim.objects.count() == 2


def test_too_large_files_are_refused(journalist, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_BYTES", 100)
    data = csv_text(["text"], ["A claim that makes the file too long. " * 3])
    assert "larger than" in _file_error(claims_import_csv(data.encode(), actor=journalist))
    assert "larger than" in _file_error(claims_import_csv(data, actor=journalist))


def test_an_outsider_may_not_import(outsider):
    data = csv_text(["text"], ["A claim."])
    with pytest.raises(PermissionDenied):
        claims_import_csv(data, actor=outsider)
    assert not Claim.objects.exists()


def test_export_then_import_round_trips_the_texts(journalist, editor):
    texts = [
        "Meta will release Llama 3 in April.",
        "=1+1 is a claim that looks like a formula.",
        'A claim with "quotes", commas;\nand a line break.',
        "Émile said 🦙 models are open.",
    ]
    for text in texts:
        make_claim(journalist, text=text, kind="opinion", tags=["llama"])
    make_claim(
        journalist, text="A dated prediction.", kind="prediction", resolves_by=date(2025, 1, 1)
    )
    out = io.StringIO()
    claims_export_csv(Claim.objects.all(), out)
    before = {(c.text, c.kind, c.resolves_by) for c in Claim.objects.all()}
    Claim.objects.all().delete()

    report = claims_import_csv(out.getvalue().encode(), actor=editor)

    assert report.ok, report.errors
    assert report.created_claims == 5
    assert {(c.text, c.kind, c.resolves_by) for c in Claim.objects.all()} == before
    assert all(c.created_by == editor for c in Claim.objects.all())
    formula = Claim.objects.get(text__startswith="=1+1")
    assert [t.name for t in formula.tags.all()] == ["llama"]
