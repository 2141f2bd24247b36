import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.ingest import Document, IngestError, document_ingest, url_ingest
from articles.models import Article, ArticleOrigin, Job
from tests.articles.website import Website
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

STORY = (
    "The port authority said on Tuesday that ferry fares will rise by twelve percent in "
    "spring. Commuters on the Eastbank crossing face the largest increase in a decade, and "
    "the council asked for the figures behind the decision before the vote next month."
)


@pytest.fixture
def website(settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    site = Website()
    yield site
    site.stop()


def test_a_page_is_fetched_extracted_and_stored_once(website):
    url = website.serve_page("/news/ferry", "boilerplate.html")
    first = url_ingest(url)
    assert first.outcome == "created"
    article = first.article
    assert article.title.startswith("Ferry fares to rise 12% in spring")
    assert article.author == "Amira Okafor" and article.publication.name == "The Harbour Gazette"
    assert article.url == website.base + "/news/2024/02/ferry-fares-rise"  # canonical
    assert article.published_at.isoformat().startswith("2024-02-14T07:45")
    assert "cookies" not in article.text and "Declan Murray" in article.text
    assert article.origin == ArticleOrigin.URL and article.retrieved_at is not None
    assert url_ingest(url).outcome == "duplicate"
    assert Article.objects.count() == 1


def _page(text: str) -> str:
    head = "<head><title>Fares</title></head>"
    return f"<html>{head}<body><article><p>{text}</p></article></body></html>"


def test_a_changed_page_at_the_same_url_becomes_a_revision(website):
    url = website.serve("/story", _page(STORY))
    first = url_ingest(url).article
    website.serve("/story", _page(STORY + " Update: the vote was postponed."))
    again = url_ingest(url)
    assert again.outcome == "revised" and again.article.pk == first.pk
    assert again.article.revision == 2 and "postponed" in again.article.text


def test_the_stored_html_is_inert(website):
    url = website.serve_page("/hostile", "hostile.html")
    article = url_ingest(url).article
    assert "<script" not in article.html and "onerror" not in article.html
    assert "javascript:" not in article.html


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"body": b"\x89PNG....", "content_type": "image/png"}, "not_allowed_type"),
        ({"body": b"gone", "status": 404}, "http_error"),
        ({"body": b"<html><body><p>Too short.</p></body></html>"}, "nothing_extractable"),
    ],
)
def test_a_refusal_comes_with_its_reason(website, answer, code):
    url = website.serve("/bad", **answer)
    with pytest.raises(IngestError) as refused:
        url_ingest(url)
    assert refused.value.code == code and refused.value.message
    assert not Article.objects.exists()


def test_a_private_address_is_refused(settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(IngestError) as refused:
        url_ingest("http://169.254.169.254/latest/meta-data/")
    assert refused.value.code == "blocked"


def test_the_same_text_under_another_url_is_the_stored_article():
    first = document_ingest(
        Document(title="A", text=STORY, url="https://a.example/1", origin=ArticleOrigin.URL)
    )
    second = document_ingest(
        Document(title="B", text=STORY, url="https://b.example/2", origin=ArticleOrigin.URL)
    )
    assert second.outcome == "duplicate" and second.article.pk == first.article.pk


def test_the_page_starts_a_job_whose_page_leads_to_the_article(
    client, journalist, website, django_capture_on_commit_callbacks
):
    url = website.serve_page("/news/ferry", "boilerplate.html")
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:add-url"), {"url": url}, secure=True)
    job = Job.objects.get()
    assert response.url == reverse("articles:job", args=[job.pk])
    page = client.get(response.url, secure=True).content.decode()
    article = Article.objects.get()
    assert "Open the article" in page and reverse("article-detail", args=[article.pk]) in page


def test_a_failed_fetch_is_shown_as_a_clear_message_on_the_job_page(
    client, journalist, django_capture_on_commit_callbacks, settings
):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:add-url"), {"url": "http://10.0.0.1/x"}, secure=True
        )
    job = Job.objects.get()
    assert job.state == "failed" and "private" in job.message.lower()
    assert job.message in client.get(response.url, secure=True).content.decode()


def test_a_bad_url_stays_on_the_form_with_its_error(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("articles:add-url"), {"url": "ftp://example.com/x"}, secure=True)
    assert response.status_code == 400
    assert "Enter a valid URL" in response.content.decode() or "http" in response.content.decode()
    assert not Job.objects.exists()


def _batch(n: int, bad_rows=()) -> bytes:
    lines = []
    for i in range(1, n + 1):
        row = {
            "title": f"Story {i}",
            "url": f"https://example.com/{i}",
            "outlet": "Wire",
            "published": "2024-03-01",
            "text": f"{STORY} Number {i}.",
        }
        if i in bad_rows:
            row["text"] = ""
        lines.append(json.dumps(row))
    return "\n".join(lines).encode()


def test_a_batch_upload_runs_as_a_job_and_keeps_the_good_rows(
    client, journalist, django_capture_on_commit_callbacks
):
    client.force_login(journalist)
    upload = SimpleUploadedFile("batch.jsonl", _batch(30, bad_rows={7}))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:upload"), {"file": upload}, secure=True)
    job = Job.objects.get()
    assert response.url == reverse("articles:job", args=[job.pk])
    assert (job.state, job.total, job.done, job.failed) == ("done", 30, 30, 1)
    assert job.result["created"] == 29 and job.result["errors"] == [
        {"row": 7, "error": "The row has no text."}
    ]
    assert Article.objects.count() == 29
    assert "29 stored" in client.get(response.url, secure=True).content.decode()


def test_a_single_text_file_is_stored_at_once(client, journalist):
    client.force_login(journalist)
    upload = SimpleUploadedFile("ferry.txt", STORY.encode("cp1252"))
    response = client.post(reverse("articles:upload"), {"file": upload}, secure=True)
    article = Article.objects.get()
    assert response.url == reverse("article-detail", args=[article.pk])
    assert article.origin == ArticleOrigin.UPLOAD


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"\x89PNG", "Upload a .txt or .html article"),
        ("batch.jsonl", b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_an_unusable_file_is_refused_on_the_form(client, journalist, name, content, message):
    client.force_login(journalist)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("articles:upload"), {"file": upload}, secure=True)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Job.objects.exists() and not Article.objects.exists()


def test_the_api_answers_202_with_a_job_to_follow(
    website, journalist, django_capture_on_commit_callbacks
):
    url = website.serve_page("/news/ferry", "boilerplate.html")
    client = api_client(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/articles/ingest", {"url": url}, format="json", secure=True)
    assert response.status_code == 202 and response["Location"] == response.json()["job"]
    job = client.get(response.json()["job"], secure=True).json()
    assert job["state"] == "done" and job["article"] == Article.objects.get().pk
    assert job["error"] is None
    assert job["percent"] == 100


def test_the_api_takes_a_batch_file_and_refuses_bad_input(
    journalist, reader, django_capture_on_commit_callbacks
):
    client = api_client(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/articles/ingest",
            {"file": SimpleUploadedFile("b.jsonl", _batch(3))},
            format="multipart",
            secure=True,
        )
    assert response.status_code == 202 and Article.objects.count() == 3
    bad = client.post("/api/v1/articles/ingest", {"url": "not a url"}, format="json", secure=True)
    assert bad.status_code == 400 and "url" in bad.json()["error"]["details"]
    refused = api_client(reader).post(
        "/api/v1/articles/ingest", {"url": "https://x.org/"}, format="json", secure=True
    )
    assert refused.status_code == 403
    other = api_client(reader).get(response.json()["job"], secure=True)
    assert other.status_code == 404  # someone else's job


def test_the_api_takes_one_article_file_as_a_job(journalist, django_capture_on_commit_callbacks):
    client = api_client(journalist)

    def ingest_file(name: str, content: bytes) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/articles/ingest",
                {"file": SimpleUploadedFile(name, content)},
                format="multipart",
                secure=True,
            )
        assert response.status_code == 202
        return client.get(response.json()["job"], secure=True).json()

    stored = ingest_file("ferry.txt", STORY.encode("cp1252"))
    article = Article.objects.get()
    assert (stored["state"], stored["article"]) == ("done", article.pk)
    assert article.origin == ArticleOrigin.UPLOAD
    again = ingest_file("ferry-again.txt", STORY.encode("utf-8"))  # the same text
    assert (again["state"], again["article"]) == ("done", article.pk)
    refused = ingest_file("empty.html", b"<html><body></body></html>")
    assert refused["state"] == "failed" and refused["error"]
    assert Article.objects.count() == 1


def test_the_commands_report_and_exit_non_zero_on_refusal(website, tmp_path, capsys):
    url = website.serve_page("/news/ferry", "boilerplate.html")
    call_command("ingest_url", url, verbosity=0)
    assert "created: article" in capsys.readouterr().out
    with pytest.raises(CommandError, match="http_error"):
        call_command("ingest_url", website.base + "/nothing-here", verbosity=0)
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(_batch(5, bad_rows={2}))
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_articles", str(batch), verbosity=0)
    assert Article.objects.count() == 1 + 4
    good = tmp_path / "good.csv"
    good.write_text("title,text\nA title," + STORY.replace(",", "") + " Fresh.\n")
    call_command("import_articles", str(good), verbosity=0)
    assert "1 stored" in capsys.readouterr().out


def test_a_hostile_page_comes_out_inert_in_the_article_page(website, client, journalist):
    url = website.serve_page("/hostile", "hostile.html")
    article = url_ingest(url).article
    client.force_login(journalist)
    html = client.get(reverse("article-detail", args=[article.pk]), secure=True).content.decode()
    body = html[html.index('id="article-text"') :]
    assert "<script" not in body.split("</article>")[0]
    assert " onerror=" not in html and " onclick=" not in html and "javascript:" not in html


def test_the_feed_command_follows_polls_and_ingests(website, django_user_model, capsys):
    django_user_model.objects.create_superuser("root", password="pw")
    for i in (1, 2):
        website.serve(f"/story/{i}", _page(f"{STORY} Story number {i} of the feed."))
    items = "".join(
        f"<item><title>Story {i}</title><link>{website.base}/story/{i}</link>"
        f"<guid>story-{i}</guid></item>"
        for i in (1, 2)
    )
    channel = f"<channel><title>Wire</title>{items}</channel>"
    rss = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    url = website.serve("/feed.xml", rss, content_type="application/rss+xml")
    call_command("ingest_feed", url, verbosity=0)
    assert Article.objects.filter(origin=ArticleOrigin.FEED).count() == 2
    assert "0 failed" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("ingest_feed", "ftp://example.com/feed", verbosity=0)
