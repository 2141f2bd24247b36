"""Hostile uploads on the real paths (the Add article page's upload form, POST
/api/v1/articles/ingest, POST /api/v1/claims/import): a 50 MB file, compressed bombs, bytes
that are not text, NUL characters. Each is refused with a reason a person can act on (a
form error on the page, {"error": ...} from the API), never a 500, and each refused
request leaves every stored row as it was (tests/stored_state.py).

Decompression: no endpoint takes compressed input. A .gz or .zip file is not a type the
forms accept; compressed bytes under a text name are not text and are refused as such;
a gzip Content-Encoding on a request body is not inflated (Django and DRF never decode
it), so the body is simply not JSON. Pages fetched from the web may be compressed: those
are capped after decompression (tests/articles/test_fetching.py,
test_the_cap_comes_from_settings_and_counts_decompressed_bytes).
"""

import gzip
import json
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from articles.models import Article, Job
from tests.conftest import token_key
from tests.hostile import (
    MB,
    MULTIPART,
    StreamedBody,
    gzip_bomb,
    multipart_upload,
    post_streamed,
    zip_bomb,
)
from tests.stored_state import assert_unchanged, stored_rows

pytestmark = pytest.mark.django_db

STORY = (
    "The port authority said on Tuesday that ferry fares will rise by twelve percent in "
    "spring. Commuters on the Eastbank crossing face the largest increase in a decade, and "
    "the council asked for the figures behind the decision before the vote next month."
)
INGEST = "/api/v1/articles/ingest"
ORIGIN = {"HTTP_ORIGIN": "https://testserver"}  # what a browser sends with a form
IMPORT = "/api/v1/claims/import/"


@pytest.fixture
def kept_files(monkeypatch):
    """The files Django's storing upload handlers began to keep (in memory or on disk)."""
    started = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.new_file

        def spy(self, field_name, file_name, *args, _original=original, **kwargs):
            started.append(file_name)
            return _original(self, field_name, file_name, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", spy)
    return started


@pytest.fixture
def page_client(journalist):
    """A journalist's browser: real CSRF checks, the token from the page's cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    client.get(reverse("articles:add"), secure=True)
    return client


def _token(client) -> str:
    return client.cookies["csrftoken"].value


@pytest.fixture
def api(journalist) -> dict:
    """A journalist's API token, as request headers (issued before any snapshot)."""
    return {"HTTP_AUTHORIZATION": f"Token {token_key(journalist)}"}


def _error(response) -> dict:
    return response.json()["error"]


# --- 50 MB -----------------------------------------------------------------------------------


def test_a_50_mb_upload_is_refused_on_the_page_before_any_of_it_is_kept(page_client, kept_files):
    before = stored_rows()
    body = multipart_upload(
        filename="huge.txt", size=50 * MB, fields={"csrfmiddlewaretoken": _token(page_client)}
    )
    response = post_streamed(page_client, reverse("articles:upload"), body, MULTIPART, **ORIGIN)

    assert response.status_code == 413
    assert "The upload is larger than 21 MB, the most accepted." in response.content.decode()
    assert response.context["upload_form"].errors["file"]  # shown on the upload form
    assert kept_files == []  # no handler began to keep the file
    # Read to its end so the browser, still sending, gets the page; never held at once.
    assert body.position == body.length and body.largest_read <= 64 * 1024
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("path", "filename"), [(INGEST, "huge.txt"), (INGEST, "huge.jsonl"), (IMPORT, "huge.csv")]
)
def test_a_50_mb_upload_to_the_api_answers_413_with_the_reason(
    client, journalist, api, kept_files, path, filename
):
    before = stored_rows()
    body = multipart_upload(filename=filename, size=50 * MB)
    response = post_streamed(client, path, body, MULTIPART, **api)

    assert response.status_code == 413
    assert _error(response) == {
        "code": "too_large",
        "message": "The upload is larger than 21 MB, the most accepted.",
        "details": {},
    }
    assert kept_files == [] and body.largest_read <= 64 * 1024
    assert_unchanged(before)


def test_a_body_far_over_the_cap_is_not_read_at_all(client, journalist, api, kept_files):
    """Draining is for clients that picked the wrong file; 500 MB is not read."""
    body = multipart_upload(filename="huge.txt", size=500 * MB)
    response = post_streamed(client, INGEST, body, MULTIPART, **api)
    assert response.status_code == 413 and _error(response)["code"] == "too_large"
    assert body.position < MB and kept_files == []


def test_the_cap_comes_from_settings(client, journalist, api, settings):
    settings.CLAIMTRACK_MAX_UPLOAD_BYTES = 1 * MB
    body = multipart_upload(filename="story.txt", size=2 * MB)
    response = post_streamed(client, INGEST, body, MULTIPART, **api)
    assert response.status_code == 413
    assert _error(response)["message"] == "The upload is larger than 1 MB, the most accepted."


def test_an_upload_under_the_cap_still_meets_the_forms_own_limits(page_client):
    """Under the 21 MB cap, an article file still has its 5 MB limit (after upload)."""
    before = stored_rows()
    body = multipart_upload(
        filename="long.txt", size=6 * MB, fields={"csrfmiddlewaretoken": _token(page_client)}
    )
    response = post_streamed(page_client, reverse("articles:upload"), body, MULTIPART, **ORIGIN)
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.content.decode()
    assert_unchanged(before)


def test_a_json_body_over_the_limit_is_refused_before_it_is_parsed(client, journalist, api):
    """DRF would read any JSON body whole; the API's parser refuses one past
    DATA_UPLOAD_MAX_MEMORY_SIZE (6 MB) from its declared length."""
    before = stored_rows()
    body = StreamedBody(b'{"title": "Long", "text": "', 7 * MB, b'"}')
    response = post_streamed(client, "/api/v1/articles/", body, "application/json", **api)
    assert response.status_code == 413
    assert _error(response)["message"] == "The request body is larger than 6 MB, the most accepted."
    assert body.largest_read <= 64 * 1024
    assert_unchanged(before)


# --- Compressed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("batch.csv.gz", gzip_bomb), ("articles.zip", zip_bomb), ("story.txt.gz", gzip_bomb)],
)
def test_compressed_files_are_not_a_type_the_forms_take(client, journalist, api, name, content):
    bomb = content(20)
    client.force_login(journalist)
    before = stored_rows()
    page = client.post(
        reverse("articles:upload"), {"file": SimpleUploadedFile(name, bomb)}, secure=True
    )
    assert page.status_code == 400
    assert "Upload a .txt or .html article, or a .jsonl or .csv batch." in page.content.decode()
    answer = client.post(INGEST, {"file": SimpleUploadedFile(name, bomb)}, secure=True, **api)
    assert answer.status_code == 400
    assert _error(answer)["details"]["file"] == [
        "Upload a .txt or .html article, or a .jsonl or .csv batch."
    ]
    assert_unchanged(before)


@pytest.fixture
def no_inflating(monkeypatch):
    """Nothing may decompress the upload during the request (small inputs pass: the
    session cookie's signed data is compressed too)."""

    def guarded(original):
        def decompress(data, *args, **kwargs):
            if len(data) > 4096:
                raise AssertionError("something tried to inflate the upload")
            return original(data, *args, **kwargs)

        return decompress

    def refuse(*args, **kwargs):
        raise AssertionError("something tried to open the upload as an archive")

    monkeypatch.setattr(zlib, "decompress", guarded(zlib.decompress))
    monkeypatch.setattr(gzip, "decompress", guarded(gzip.decompress))
    monkeypatch.setattr(gzip.GzipFile, "__init__", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", refuse)


@pytest.fixture(scope="module")
def bombs():
    """100 MB of zeros in about 100 KB, gzipped and zipped (made before `no_inflating`)."""
    return {"gzip": gzip_bomb(100), "zip": zip_bomb(100)}


@pytest.mark.parametrize(
    ("name", "bomb", "message"),
    [
        ("story.txt", "gzip", "The file is not text (it holds NUL bytes)"),
        ("page.html", "zip", "The file is not text (it holds NUL bytes)"),
        ("batch.csv", "gzip", "The file is not UTF-8 text (byte 2 cannot be read)."),
        ("batch.jsonl", "zip", "The file is not UTF-8 text (byte "),
    ],
)
def test_a_bomb_under_a_text_name_is_refused_as_not_text_without_inflating_it(
    client, journalist, api, bombs, no_inflating, name, bomb, message
):
    _refused_by_page_and_api(client, journalist, api, name, bombs[bomb], message)


def test_a_gzip_encoded_json_body_is_not_inflated(client, journalist, api, no_inflating):
    before = stored_rows()
    body = gzip.compress(json.dumps({"text": "A claim.", "kind": "fact"}).encode())
    response = client.post(
        "/api/v1/claims/",
        body,
        content_type="application/json",
        secure=True,
        HTTP_CONTENT_ENCODING="gzip",
        **api,
    )
    assert response.status_code == 400 and _error(response)["code"] == "parse_error"
    assert_unchanged(before)


def test_a_gzipped_claims_csv_is_not_inflated(client, journalist, api, no_inflating):
    before = stored_rows()
    csv = gzip.compress(b"text,kind\nA claim.,fact\n")
    response = client.post(
        IMPORT,
        {"file": SimpleUploadedFile("claims.csv", csv)},
        secure=True,
        **api,
    )
    assert response.status_code == 400
    (problem,) = _error(response)["details"]["rows"]
    assert problem["errors"]["file"][0].startswith("The file is not UTF-8 text (byte 2")
    assert_unchanged(before)


# --- Not text: invalid UTF-8, NUL ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("story.txt", STORY.encode() + b"\x00\x00\x00", "The file is not text (it holds NUL"),
        ("page.html", b"<p>" + STORY.encode() + b"\x00</p>", "The file is not text (it holds NUL"),
        ("batch.csv", b"title,text\nA,B\x00C\n", "The file is not text: it holds NUL"),
        ("batch.jsonl", b'{"text": "a"}\n\x00', "The file is not text: it holds NUL"),
        ("batch.csv", b"title,text\nA,caf\xe9\n", "The file is not UTF-8 text (byte 17"),
        ("batch.jsonl", b'{"text": "\xff"}', "The file is not UTF-8 text (byte 11"),
    ],
)
def test_files_that_are_not_text_are_refused_with_the_reason(
    client, journalist, api, name, content, message
):
    _refused_by_page_and_api(client, journalist, api, name, content, message)


def _refused_by_page_and_api(client, journalist, api, name, content, message):
    """The upload page and the ingest API both refuse the file with `message`, and
    nothing stored changes."""
    client.force_login(journalist)
    before = stored_rows()
    page = client.post(
        reverse("articles:upload"), {"file": SimpleUploadedFile(name, content)}, secure=True
    )
    assert page.status_code == 400 and message in page.content.decode()
    answer = client.post(INGEST, {"file": SimpleUploadedFile(name, content)}, secure=True, **api)
    assert answer.status_code == 400 and _error(answer)["details"]["file"][0].startswith(message)
    assert_unchanged(before)


def test_an_article_in_another_encoding_is_read_as_text(client, journalist):
    """Invalid UTF-8 is not refused for a single article: it is decoded with its declared
    or detected encoding (here Windows-1252, its curly quotes and accents kept)."""
    client.force_login(journalist)
    text = f"\u201cFerry fares\u201d, said the caf\u00e9 owner. {STORY}"
    upload = SimpleUploadedFile("ferry.txt", text.encode("cp1252"))
    response = client.post(reverse("articles:upload"), {"file": upload}, secure=True)
    assert response.status_code == 302
    assert Article.objects.get().text == text


def test_nul_and_surrogate_escapes_in_a_batch_are_refused_row_by_row(
    client, journalist, django_capture_on_commit_callbacks
):
    """JSON escapes can carry characters no text column holds; the job reports the rows,
    stores the others, and does not fail (on PostgreSQL, NUL would fail the insert)."""
    rows = [
        {"title": "Good", "text": STORY},
        {"title": "NUL in text", "text": STORY + "\\u0000"},
        {"title": "NUL\\u0000in title", "text": STORY + " Two."},
        {"title": "Lone surrogate", "text": STORY + " \\ud800"},
        {"title": "Outlet", "outlet": "The \\u0000 Wire", "text": STORY + " Three."},
    ]
    lines = [json.dumps(row).replace("\\\\", "\\") for row in rows]
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:upload"),
            {"file": SimpleUploadedFile("batch.jsonl", "\n".join(lines).encode())},
            secure=True,
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.state, job.done, job.failed) == ("done", 5, 4)
    message = "The article holds NUL characters or unpaired surrogates, which are not text."
    assert job.result["errors"] == [{"row": n, "error": message} for n in (2, 3, 4, 5)]
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]


def test_nul_in_json_fields_of_the_articles_api_is_a_400(client, journalist, api):
    before = stored_rows()
    cases = [
        ("/api/v1/articles/", {"title": "Nul\u0000", "text": STORY}, "title"),
        ("/api/v1/articles/", {"title": "Fine", "text": STORY + "\u0000"}, "text"),
        ("/api/v1/sources/", {"name": "Meta\u0000", "kind": "organisation"}, "name"),
        (INGEST, {"url": "https://example.com/\u0000"}, "url"),
    ]
    for path, payload, field in cases:
        response = client.post(path, payload, content_type="application/json", secure=True, **api)
        assert response.status_code == 400, (path, response.content)
        assert _error(response)["details"][field] == ["Null characters are not allowed."]
    assert_unchanged(before)


def test_nul_in_query_strings_is_no_server_error(client, journalist, api):
    """Filters and the source autocomplete take NUL in their text as bad input (400) or
    as text that matches nothing, never as a database error."""
    client.force_login(journalist)
    for path in (
        "/api/v1/articles/?q=%00",
        "/api/v1/sources/?name=%00",
        "/api/v1/claims/?text=a%00b",
        "/api/v1/claims/?tag=%00",
        "/articles/?q=%00",
        "/claims/?q=%00",
        "/sources/options/?q=%00",
        "/sources/options/?speaker=Me%00ta",
        "/claims/similar/?text=%00",
    ):
        response = client.get(path, secure=True, **api)
        assert response.status_code in (200, 400), (path, response.status_code)
