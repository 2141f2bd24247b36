import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Source
from claims.models import Appearance, Claim

pytestmark = pytest.mark.django_db


def test_an_article_is_stored_once_and_a_duplicate_answers_with_the_stored_one(as_role):
    client = as_role("journalist")
    body = {
        "title": "LLaMA 2 is out",
        "text": "Meta released LLaMA 2.",
        "outlet": "The Verge",
        "url": "https://example.com/llama-2",
        "published_at": "2023-07-18T16:00:00Z",
    }
    first = client.post("/api/v1/articles/", body, format="json", secure=True)
    again = client.post(
        "/api/v1/articles/", {**body, "title": "Other title"}, format="json", secure=True
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["title"] == "LLaMA 2 is out"
    assert first.json()["outlet"] == "The Verge"
    assert Source.objects.get(name="The Verge").kind == "publication"


def test_an_articles_text_and_url_cannot_be_changed_but_its_metadata_can(world, as_role):
    client = as_role("journalist")
    url = f"/api/v1/articles/{world['article'].pk}/"
    response = client.patch(
        url,
        {"text": "Rewritten.", "author": "A. Reporter", "outlet": "FT"},
        format="json",
        secure=True,
    )
    assert response.status_code == 200
    article = Article.objects.get(pk=world["article"].pk)
    assert article.text == world["article"].text  # read-only: ignored
    assert (article.author, article.publication.name) == ("A. Reporter", "FT")


def test_articles_filter_by_outlet_dates_and_title(world, as_role):
    client = as_role("reader")
    ids = [
        row["id"]
        for row in client.get(f"/api/v1/articles/?outlet={world['outlet'].pk}", secure=True).json()[
            "results"
        ]
    ]
    assert ids == [world["article"].pk]
    found = client.get("/api/v1/articles/?q=licence", secure=True).json()["results"]
    assert [row["id"] for row in found] == [world["later"].pk]
    bad = client.get("/api/v1/articles/?published_after=never", secure=True)
    assert bad.status_code == 400 and "published_after" in bad.json()["error"]["details"]


def test_a_source_is_found_by_alias_and_gains_aliases(as_role):
    client = as_role("journalist")
    made = client.post(
        "/api/v1/sources/",
        {"name": "Financial Times", "kind": "publication", "aliases": ["FT"]},
        format="json",
        secure=True,
    )
    assert made.status_code == 201 and made.json()["aliases"] == ["FT"]
    again = client.post(
        "/api/v1/sources/",
        {"name": "FT", "kind": "publication", "aliases": ["The FT"]},
        format="json",
        secure=True,
    )
    assert again.status_code == 200 and again.json()["aliases"] == ["FT", "The FT"]
    renamed = client.patch(
        f"/api/v1/sources/{made.json()['id']}/", {"name": "Other"}, format="json", secure=True
    )
    assert renamed.status_code == 400
    found = client.get("/api/v1/sources/?q=the+ft", secure=True).json()["results"]
    assert [row["name"] for row in found] == ["Financial Times"]


def test_claimreview_is_served_as_json_ld_by_suffix_and_by_format(world, editor, as_role):
    client = as_role("reader")
    claim = world["claim"]
    by_suffix = client.get(f"/api/v1/claims/{claim.pk}.jsonld", secure=True)
    by_format = client.get(f"/api/v1/claims/{claim.pk}/?format=jsonld", secure=True)
    assert by_suffix.status_code == by_format.status_code == 200
    assert by_suffix["Content-Type"].startswith("application/ld+json")
    review = by_suffix.json()
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == claim.text
    assert review["reviewRating"]["alternateName"] == "Unverified"
    assert by_format.json() == review
    many = client.get("/api/v1/claims/?format=jsonld", secure=True)
    assert many.status_code == 406 and many.json()["error"]["code"] == "not_acceptable"


def test_claims_export_as_csv_follows_the_filters(world, journalist, as_role):
    from tests.factories import make_claim

    make_claim(journalist, text="Unrelated claim.")
    response = as_role("reader").get("/api/v1/claims/export/?tag=llama", secure=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,text,kind,status")
    assert len(lines) == 2 and "LLaMA 2 is free for commercial use." in lines[1]


def _upload(text: str):
    return {"file": SimpleUploadedFile("claims.csv", text.encode(), content_type="text/csv")}


def test_a_csv_import_with_any_bad_row_imports_nothing_and_names_the_rows(world, as_role):
    client = as_role("journalist")
    article = world["article"]
    good = (
        f"text,kind,article,quote\nMeta released LLaMA 2.,fact,{article.pk},Meta released LLaMA 2\n"
    )
    bad = good + "Another,prediction,,\n,fact,,\n"
    refused = client.post("/api/v1/claims/import/", _upload(bad), format="multipart", secure=True)
    assert refused.status_code == 400
    rows = refused.json()["error"]["details"]["rows"]
    assert [row["row"] for row in rows] == [3] and "text" in rows[0]["errors"]
    assert Claim.objects.count() == 1  # only the fixture's
    accepted = client.post("/api/v1/claims/import/", _upload(good), format="multipart", secure=True)
    assert accepted.status_code == 201
    assert accepted.json() == {"created_claims": 1, "created_appearances": 1}
    assert Appearance.objects.filter(claim__text="Meta released LLaMA 2.").count() == 1
    missing = client.post("/api/v1/claims/import/", {}, format="multipart", secure=True)
    assert missing.status_code == 400 and "file" in missing.json()["error"]["details"]


def test_a_sources_description_and_url_are_corrected_through_the_service(world, as_role):
    client = as_role("journalist")
    url = f"/api/v1/sources/{world['meta'].pk}/"
    done = client.patch(
        url,
        {"description": "Owner of Facebook.", "url": "https://meta.com"},
        format="json",
        secure=True,
    )
    assert done.status_code == 200
    assert (done.json()["description"], done.json()["url"]) == (
        "Owner of Facebook.",
        "https://meta.com",
    )
    bad = client.patch(url, {"url": "not a url"}, format="json", secure=True)
    assert bad.status_code == 400
    assert Source.objects.get(pk=world["meta"].pk).url == "https://meta.com"
