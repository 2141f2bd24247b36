from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from claims.models import Claim, StatusChange
from claims.services import appearance_create, claim_set_status
from tests.conftest import ids_of_every_page
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_a_claim_shows_its_counts_tags_and_links(world, as_role):
    response = as_role("reader").get(f"/api/v1/claims/{world['claim'].pk}/", secure=True)
    data = response.json()
    assert response.status_code == 200
    assert {k: data[k] for k in ("text", "kind", "status", "tags", "resolves_by")} == {
        "text": "LLaMA 2 is free for commercial use.",
        "kind": "fact",
        "status": "unverified",
        "tags": ["llama"],
        "resolves_by": None,
    }
    assert data["appearance_count"] == 1
    assert data["evidence"] == {"supports": 0, "refutes": 1, "discusses": 0}
    assert data["links"]["history"].endswith(f"/api/v1/claims/{world['claim'].pk}/history/")
    assert datetime.fromisoformat(data["created_at"]).tzinfo is not None


def test_claims_filter_by_every_field(world, journalist, editor, as_role):
    other = make_claim(
        journalist,
        text="Rain will fall in Paris.",
        kind="prediction",
        resolves_by=datetime(2024, 1, 1).date(),
    )
    claim_set_status(claim=other, to="refuted", expected="unverified", note="dry", actor=editor)
    client = as_role("reader")
    claim = world["claim"]
    cases = {
        "status=unverified": [claim.pk],
        "status=unverified&status=refuted": sorted([claim.pk, other.pk], reverse=True),
        "kind=prediction": [other.pk],
        "tag=llama": [claim.pk],
        f"speaker={world['meta'].pk}": [claim.pk],
        f"outlet={world['outlet'].pk}": [claim.pk],
        f"article={world['article'].pk}": [claim.pk],
        "resolves_before=2024-06-01": [other.pk],
        "q=commercial+llama": [claim.pk],
        "created_after=2100-01-01T00:00:00Z": [],
    }
    for query, expected in cases.items():
        response = client.get(f"/api/v1/claims/?{query}", secure=True)
        assert response.status_code == 200, query
        assert _ids(response) == expected, query
    later = (timezone.now() - timedelta(seconds=1)).isoformat()
    Claim.objects.filter(pk=other.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    response = client.get("/api/v1/claims/", {"updated_after": later}, secure=True)
    assert other.pk in _ids(response)


def test_the_filters_form_is_built_only_when_the_query_names_a_filter(
    world, journalist, as_role, monkeypatch
):
    from claims.api.filters import ClaimFilter

    built = []
    real_init = ClaimFilter.__init__

    def counting_init(self, *args, **kwargs):
        built.append(dict(kwargs["data"]))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ClaimFilter, "__init__", counting_init)
    prediction = make_claim(journalist, kind="prediction")
    client = as_role("reader")
    every = _ids(client.get("/api/v1/claims/?page_size=10&ordering=-id&utm=x", secure=True))
    assert built == [] and every == [prediction.pk, world["claim"].pk]
    assert _ids(client.get("/api/v1/claims/?kind=prediction", secure=True)) == [prediction.pk]
    assert built == [{"kind": ["prediction"]}]


def test_bad_filter_values_are_400_with_the_field(as_role, world):
    response = as_role("reader").get(
        "/api/v1/claims/?status=bogus&updated_after=yesterday", secure=True
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and {"status", "updated_after"} <= set(error["details"])


def test_cursor_pagination_walks_every_claim_once_with_a_capped_page_size(journalist, as_role):
    made = {make_claim(journalist).pk for _ in range(7)}
    client = as_role("journalist")
    seen = ids_of_every_page(client, "/api/v1/claims/?page_size=3")
    assert sorted(seen) == sorted(made) and len(seen) == len(made)
    big = client.get("/api/v1/claims/?page_size=100000", secure=True)
    assert big.status_code == 200  # capped, not refused


def test_ordering_by_created_at(journalist, as_role):
    first, second = make_claim(journalist), make_claim(journalist)
    response = as_role("journalist").get("/api/v1/claims/?ordering=created_at", secure=True)
    assert _ids(response) == [first.pk, second.pk]


def test_a_journalist_logs_and_edits_a_claim_through_the_api(as_role):
    client = as_role("journalist")
    created = client.post(
        "/api/v1/claims/",
        {
            "text": "Meta will open LLaMA 3.",
            "kind": "prediction",
            "tags": ["llama"],
            "resolves_by": "2024-12-31",
        },
        format="json",
        secure=True,
    )
    assert created.status_code == 201
    claim_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/claims/{claim_id}/", {"tags": ["llama", "meta"]}, format="json", secure=True
    )
    assert patched.json()["tags"] == ["llama", "meta"]
    assert patched.json()["resolves_by"] == "2024-12-31"  # untouched
    refused = client.patch(
        f"/api/v1/claims/{claim_id}/", {"kind": "fact"}, format="json", secure=True
    )
    assert refused.status_code == 400  # a fact has no resolves-by date
    assert "resolves_by" in refused.json()["error"]["details"]
    assert Claim.objects.get(pk=claim_id).kind == "prediction"


def test_status_is_set_with_expected_and_a_stale_change_answers_409(world, as_role):
    client = as_role("editor")
    url = f"/api/v1/claims/{world['claim'].pk}/status/"
    body = {
        "status": "refuted",
        "expected": "unverified",
        "note": "Licence limits it.",
        "evidence": world["evidence"].pk,
    }
    first = client.post(url, body, format="json", secure=True)
    assert first.status_code == 201
    assert (
        first.json()["status"] == "refuted"
        and first.json()["evidence"]["id"] == world["evidence"].pk
    )
    stale = client.post(url, {**body, "status": "supported"}, format="json", secure=True)
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_status"
    assert stale.json()["error"]["details"] == {"expected": "unverified", "current": "refuted"}
    assert StatusChange.objects.count() == 1


def test_history_is_oldest_first_with_actor_note_and_evidence(world, editor, as_role):
    claim = world["claim"]
    claim_set_status(
        claim=claim,
        to="refuted",
        expected="unverified",
        note="one",
        actor=editor,
        evidence=world["evidence"],
    )
    claim_set_status(claim=claim, to="mixed", expected="refuted", note="two", actor=editor)
    rows = as_role("reader").get(f"/api/v1/claims/{claim.pk}/history/", secure=True).json()
    assert [(r["from_status"], r["status"], r["note"], r["actor"]) for r in rows] == [
        ("unverified", "refuted", "one", "ed"),
        ("refuted", "mixed", "two", "ed"),
    ]
    assert rows[0]["evidence"]["stance"] == "refutes" and rows[1]["evidence"] is None


def test_as_of_gives_the_status_at_that_time(world, editor, as_role):
    claim = world["claim"]
    july = datetime(2023, 7, 19, 9, tzinfo=UTC)
    Claim.objects.filter(pk=claim.pk).update(created_at=datetime(2023, 7, 1, tzinfo=UTC))
    claim_set_status(
        claim=claim, to="supported", expected="unverified", note="a", actor=editor, at=july
    )
    claim_set_status(claim=claim, to="refuted", expected="supported", note="b", actor=editor)
    client = as_role("reader")

    def status_at(when):
        return client.get(f"/api/v1/claims/{claim.pk}/", {"as_of": when}, secure=True)

    assert status_at("2023-07-10T00:00:00Z").json()["status"] == "unverified"
    assert status_at("2023-07-20T00:00:00Z").json()["status"] == "supported"
    assert status_at("2023-07-20T00:00:00+02:00").json()["as_of"] == "2023-07-20T00:00:00+02:00"
    assert status_at(timezone.now().isoformat()).json()["status"] == "refuted"
    assert status_at("2023-06-01T00:00:00Z").status_code == 400  # not logged yet
    assert status_at("2023-07-20").status_code == 400  # no zone


def test_details_carry_etag_and_last_modified_and_answer_304(world, as_role):
    client = as_role("reader")
    url = f"/api/v1/claims/{world['claim'].pk}/"
    first = client.get(url, secure=True)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, secure=True, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_an_appearance_is_logged_with_its_quote_checked(world, as_role):
    client = as_role("journalist")
    body = {
        "claim": world["claim"].pk,
        "article": world["article"].pk,
        "start": 0,
        "end": 33,
        "quote": "Meta released LLaMA 2 on Tuesday.",
    }
    created = client.post("/api/v1/appearances/", body, format="json", secure=True)
    assert created.status_code == 201 and created.json()["quote_suffix"].startswith(" The model")
    wrong = client.post(
        "/api/v1/appearances/",
        {**body, "quote": "Meta released LLaMA 3"},
        format="json",
        secure=True,
    )
    assert wrong.status_code == 400 and "quote" in wrong.json()["error"]["details"]
    again = client.post("/api/v1/appearances/", body, format="json", secure=True)
    assert again.status_code == 400  # already logged
    moved = client.patch(
        f"/api/v1/appearances/{created.json()['id']}/", {"start": 5}, format="json", secure=True
    )
    assert moved.status_code == 200 and moved.json()["start"] == 0  # fixed once logged


def test_evidence_is_proposed_once_per_article_and_reviewed_by_editors(world, as_role):
    body = {
        "claim": world["claim"].pk,
        "article": world["article"].pk,
        "stance": "supports",
        "score": 0.8,
    }
    first = as_role("journalist").post("/api/v1/evidence/", body, format="json", secure=True)
    second = as_role("journalist").post("/api/v1/evidence/", body, format="json", secure=True)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and first.json()["found_by"] == "jo"
    reviewed = as_role("editor").post(
        f"/api/v1/evidence/{first.json()['id']}/review/",
        {"decision": "accepted", "note": "Primary."},
        format="json",
        secure=True,
    )
    assert reviewed.json()["review_state"] == "accepted" and reviewed.json()["reviewed_by"] == "ed"
    pending = as_role("reader").get("/api/v1/evidence/?review_state=pending", secure=True)
    assert [row["id"] for row in pending.json()["results"]] == [world["evidence"].pk]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/",
        "/api/v1/appearances/",
        "/api/v1/evidence/",
        "/api/v1/articles/",
        "/api/v1/sources/",
        "/api/v1/changes/",
    ],
)
def test_list_query_counts_do_not_grow_with_the_page(
    path, journalist, as_role, django_assert_max_num_queries
):
    client = as_role("journalist")

    def grow(n):
        for _ in range(n):
            claim = make_claim(journalist, tags=["a", "b"])
            article = make_article()
            appearance_create(claim=claim, article=article, start=0, end=4, actor=journalist)
            client.post(
                "/api/v1/evidence/",
                {"claim": claim.pk, "article": article.pk, "stance": "supports", "score": 0.5},
                format="json",
                secure=True,
            )

    grow(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(path, secure=True).status_code == 200
    baseline = len(few.captured_queries)  # read now: each request resets the query log
    grow(10)
    with django_assert_max_num_queries(baseline):
        assert client.get(path, secure=True).status_code == 200


def test_malformed_bodies_are_400_never_500(world, as_role):
    client = as_role("editor")
    for url in [
        "/api/v1/claims/",
        "/api/v1/appearances/",
        "/api/v1/evidence/",
        f"/api/v1/claims/{world['claim'].pk}/status/",
    ]:
        response = client.post(url, "{not json", content_type="application/json", secure=True)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "parse_error"
        assert client.post(url, [1, 2], format="json", secure=True).status_code == 400, url


def test_requests_are_throttled_per_token_with_a_retry_hint(world, as_role, monkeypatch):
    from claimtrack.rest import UserThrottle

    caches["throttle"].clear()
    monkeypatch.setattr(UserThrottle, "rate", "3/min", raising=False)
    reader, editor = as_role("reader"), as_role("editor")
    codes = [reader.get("/api/v1/claims/", secure=True).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = reader.get("/api/v1/claims/", secure=True)
    assert limited.json()["error"]["code"] == "throttled" and int(limited["Retry-After"]) > 0
    assert editor.get("/api/v1/claims/", secure=True).status_code == 200  # its own budget
    caches["throttle"].clear()


def test_webhook_lists_cost_the_same_queries_for_more_rows(
    journalist, editor, as_role, django_assert_max_num_queries
):
    from claims.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

    subscription = WebhookSubscription.objects.create(
        target_url="https://hooks.example.org/claims", secret="s" * 40, created_by=editor
    )

    def grow(n):
        for _ in range(n):
            WebhookSubscription.objects.create(
                target_url="https://hooks.example.org/x", secret="s" * 40, created_by=editor
            )
            make_claim(journalist)  # every active subscription is owed its event
            delivery = WebhookDelivery.objects.filter(subscription=subscription).latest("id")
            for number in (1, 2):
                WebhookAttempt.objects.create(
                    delivery=delivery,
                    number=number,
                    started_at=timezone.now(),
                    response_status=500,
                )

    client = as_role("editor")
    for path in ["/api/v1/webhooks/", f"/api/v1/webhooks/{subscription.pk}/deliveries/"]:
        grow(2)
        with django_assert_max_num_queries(12) as few:
            assert client.get(path, secure=True).status_code == 200
        baseline = len(few.captured_queries)
        grow(8)
        with django_assert_max_num_queries(baseline):
            assert client.get(path, secure=True).status_code == 200
