from datetime import UTC, datetime

import pytest
from pyld import jsonld

from articles.models import SourceKind
from articles.services import source_get_or_create
from claims.claimreview import claim_review
from claims.models import Claim
from claims.services import appearance_create, claim_set_status
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db

BASE = "https://claimtrack.example.org"
SDO = "https://schema.org/"

# What the schema.org context means for this test: every term in the vocabulary, `url`
# an IRI. Served by the loader below, so expanding never touches the network.
LOCAL_CONTEXT = {"@context": {"@vocab": SDO, "url": {"@id": SDO + "url", "@type": "@id"}}}


def _load_document(url, options=None):
    if url.rstrip("/") != "https://schema.org":
        raise AssertionError(f"The test tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


def expand(document: dict) -> dict:
    [node] = jsonld.expand(document, {"documentLoader": _load_document})
    return node


def values(node: dict, term: str) -> list:
    return [item.get("@value", item.get("@id")) for item in node.get(SDO + term, [])]


def only(node: dict, term: str) -> dict:
    [child] = node[SDO + term]
    return child


@pytest.fixture
def quoted_claim(journalist):
    """A claim made first by a person in a dated article without a URL of its own, then
    relayed by an organisation in a later article that has one."""
    claim = make_claim(journalist, text="Meta will release Llama 3 as open source & free.")
    lecun = source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    meta = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    later = make_article(
        title="Meta doubles down",
        text="Meta said Llama 3 will be open. More later.",
        url="https://news.example.com/meta-doubles-down",
        publication=make_publication("Tech Wire"),
        published_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
    )
    earlier = make_article(
        title="LeCun on open models",
        text="LeCun: Llama 3 will be open source. The end.",
        publication=make_publication("The Daily Example"),
        published_at=datetime(2024, 2, 1, 8, 0, tzinfo=UTC),
    )
    # Logged in the opposite order to the articles' dates.
    appearance_create(claim=claim, article=later, start=0, end=31, actor=journalist, speaker=meta)
    appearance_create(
        claim=claim, article=earlier, start=7, end=35, actor=journalist, speaker=lecun
    )
    return Claim.objects.get(pk=claim.pk), earlier, later


def test_a_refuted_claim_as_a_claimreview(quoted_claim, editor):
    claim, earlier, _ = quoted_claim
    change = claim_set_status(
        claim=claim, to="refuted", expected="unverified", note="Meta kept it closed.", actor=editor
    )
    claim.refresh_from_db()

    review = claim_review(claim, base_url=BASE + "/")

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"{BASE}/claims/{claim.pk}/"
    assert review["claimReviewed"] == "Meta will release Llama 3 as open source & free."
    assert review["datePublished"] == change.changed_at.isoformat()
    assert review["author"] == {"@type": "Organization", "name": "ClaimTrack", "url": BASE + "/"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Refuted",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    first = {
        "@type": "CreativeWork",
        "url": f"{BASE}/articles/{earlier.pk}/",
        "headline": "LeCun on open models",
        "datePublished": "2024-02-01T08:00:00+00:00",
        "publisher": {"@type": "Organization", "name": "The Daily Example"},
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Yann LeCun"},
        "appearance": [
            first,
            {
                "@type": "CreativeWork",
                "url": "https://news.example.com/meta-doubles-down",
                "headline": "Meta doubles down",
                "datePublished": "2024-03-01T09:30:00+00:00",
                "publisher": {"@type": "Organization", "name": "Tech Wire"},
            },
        ],
        "firstAppearance": first,
        "datePublished": "2024-02-01T08:00:00+00:00",
    }


def test_the_claimreview_is_valid_json_ld_with_schema_org_terms(quoted_claim, editor):
    claim, earlier, _ = quoted_claim
    claim_set_status(
        claim=claim,
        to="mixed",
        expected="unverified",
        note="Open weights, closed data.",
        actor=editor,
    )
    claim.refresh_from_db()

    node = expand(claim_review(claim, base_url=BASE))

    assert node["@type"] == [SDO + "ClaimReview"]
    assert values(node, "url") == [f"{BASE}/claims/{claim.pk}/"]
    assert values(node, "claimReviewed") == [claim.text]
    assert values(node, "datePublished") == [claim.status_changed_at.isoformat()]
    author = only(node, "author")
    assert author["@type"] == [SDO + "Organization"]
    assert values(author, "name") == ["ClaimTrack"]

    item = only(node, "itemReviewed")
    assert item["@type"] == [SDO + "Claim"]
    speaker = only(item, "author")
    assert speaker["@type"] == [SDO + "Person"]
    assert values(speaker, "name") == ["Yann LeCun"]
    appearances = item[SDO + "appearance"]
    assert [a["@type"] for a in appearances] == [[SDO + "CreativeWork"]] * 2
    assert [values(a, "url") for a in appearances] == [
        [f"{BASE}/articles/{earlier.pk}/"],
        ["https://news.example.com/meta-doubles-down"],
    ]
    assert [values(a, "headline") for a in appearances] == [
        ["LeCun on open models"],
        ["Meta doubles down"],
    ]
    assert [values(only(a, "publisher"), "name") for a in appearances] == [
        ["The Daily Example"],
        ["Tech Wire"],
    ]
    first = only(item, "firstAppearance")
    assert values(first, "url") == [f"{BASE}/articles/{earlier.pk}/"]
    assert values(first, "datePublished") == ["2024-02-01T08:00:00+00:00"]
    assert values(item, "datePublished") == ["2024-02-01T08:00:00+00:00"]

    rating = only(node, "reviewRating")
    assert rating["@type"] == [SDO + "Rating"]
    assert values(rating, "alternateName") == ["Mixed"]
    assert values(rating, "ratingValue") == [3]
    assert values(rating, "bestRating") == [5]
    assert values(rating, "worstRating") == [1]


@pytest.mark.parametrize(
    ("status", "label", "value"),
    [
        ("supported", "Supported", 5),
        ("mixed", "Mixed", 3),
        ("refuted", "Refuted", 1),
        ("unverifiable", "Unverifiable", None),
        ("retracted", "Retracted", None),
    ],
)
def test_each_status_has_a_label_and_only_verdicts_a_value(
    journalist, editor, status, label, value
):
    claim = make_claim(journalist)
    claim_set_status(claim=claim, to=status, expected="unverified", note="Ruled.", actor=editor)

    rating = claim_review(claim, base_url=BASE)["reviewRating"]

    assert rating["alternateName"] == label
    assert rating.get("ratingValue") == value
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    node = only(expand(claim_review(claim, base_url=BASE)), "reviewRating")
    assert values(node, "alternateName") == [label]
    assert values(node, "ratingValue") == ([] if value is None else [value])


def test_a_claim_never_ruled_on_and_never_quoted(journalist):
    claim = make_claim(journalist)

    review = claim_review(claim, base_url=BASE)

    assert review["datePublished"] == claim.created_at.isoformat()
    assert datetime.fromisoformat(review["datePublished"]).tzinfo is not None
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unverified",
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["itemReviewed"] == {"@type": "Claim"}
    assert SDO + "ratingValue" not in only(expand(review), "reviewRating")


def test_an_anonymous_group_speaks_as_an_organization_and_undated_details_are_left_out(
    journalist,
):
    claim = make_claim(journalist)
    article = make_article(title="Insiders talk", text="Insiders say Llama 4 is coming soon.")
    group = source_get_or_create(
        name="three people familiar with the project", kind=SourceKind.ANONYMOUS
    )
    appearance_create(
        claim=claim, article=article, start=13, end=35, actor=journalist, speaker=group
    )

    item = claim_review(claim, base_url=BASE)["itemReviewed"]

    assert item["author"] == {
        "@type": "Organization",
        "name": "three people familiar with the project",
    }
    # No publication, no date: those keys are left out rather than null.
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": f"{BASE}/articles/{article.pk}/",
            "headline": "Insiders talk",
        }
    ]
    assert "datePublished" not in item


def test_no_author_when_the_first_speaker_is_unknown(journalist):
    claim = make_claim(journalist)
    article = make_article(text="Llama 4 is coming soon, a post said.")
    appearance_create(claim=claim, article=article, start=0, end=23, actor=journalist)

    assert "author" not in claim_review(claim, base_url=BASE)["itemReviewed"]


def test_an_organisation_speaker_and_its_url(journalist):
    claim = make_claim(journalist)
    article = make_article(text="Meta: Llama 4 is coming soon.")
    meta = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    meta.url = "https://about.meta.com/"
    meta.save()
    appearance_create(claim=claim, article=article, start=6, end=28, actor=journalist, speaker=meta)

    assert claim_review(claim, base_url=BASE)["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Meta",
        "url": "https://about.meta.com/",
    }


def test_the_publisher_name_comes_from_the_setting(journalist, settings):
    settings.CLAIMTRACK_PUBLISHER_NAME = "The Example Desk"
    review = claim_review(make_claim(journalist), base_url=BASE)
    assert review["author"]["name"] == "The Example Desk"


def test_one_query_for_all_appearances(quoted_claim, django_assert_num_queries):
    claim, _, _ = quoted_claim
    claim = Claim.objects.get(pk=claim.pk)
    with django_assert_num_queries(1):
        review = claim_review(claim, base_url=BASE)
    assert len(review["itemReviewed"]["appearance"]) == 2
