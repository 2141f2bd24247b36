"""Bad input a client can send gets a 4xx in the one error shape, never a 500 or the
site's HTML pages: the cases found by the schemathesis run, and the ones it is unlikely to
generate (a forged cursor)."""

import base64

import pytest
from django.core.cache import caches

from claimtrack.rest import AnonThrottle
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()["error"]
    assert body["code"] == code and body["message"], body
    return body


def test_no_such_object_or_path_is_a_json_404_with_a_message(world, editor):
    client = api_client(editor)
    _error(client.get("/api/v1/claims/999999/", secure=True), 404, "not_found")
    # Ids that are not numbers match no route: still the API's 404, not an HTML page.
    _error(client.get("/api/v1/claims/0.5/history/", secure=True), 404, "not_found")
    _error(client.get("/api/v1/no-such-thing/", secure=True), 404, "not_found")
    _error(client.get("/api/v1/claims/%0A/history/", secure=True), 404, "not_found")
    status = {"status": "refuted", "expected": "unverified", "note": "n"}
    answer = client.post("/api/v1/claims/null,null/status/", status, format="json", secure=True)
    _error(answer, 404, "not_found")  # was a 500
    # A path without its slash is still redirected to the endpoint.
    assert client.get("/api/v1/changes", secure=True).status_code == 301


def test_a_format_not_served_is_406_and_json_ld_is_one_claims_only(world, editor):
    client = api_client(editor)
    claim = world["claim"].pk
    _error(client.get(f"/api/v1/claims/{claim}/?format=xml", secure=True), 406, "not_acceptable")
    _error(client.get("/api/v1/claims/?format=jsonld", secure=True), 406, "not_acceptable")
    _error(client.get("/api/v1/claims/export/?format=jsonld", secure=True), 406, "not_acceptable")
    review = client.get(f"/api/v1/claims/{claim}/?format=jsonld", secure=True)
    assert review.status_code == 200 and review.json()["@type"] == "ClaimReview"


def test_list_parameters_that_are_not_what_they_say_are_400(world, editor):
    client = api_client(editor)
    queries = ("claim=0.5", "speaker=x", f"article={2**64}", "page_size=abc", "page_size=0")
    for query in (*queries, "cursor=zzz"):
        _error(client.get(f"/api/v1/appearances/?{query}", secure=True), 400, "invalid")
    _error(client.get("/api/v1/changes/?claim=0.5", secure=True), 400, "invalid")


def test_a_forged_cursor_is_400_not_a_database_error(world, editor):
    forged = base64.b64encode(b"p=not-a-number").decode()
    response = api_client(editor).get("/api/v1/claims/", {"cursor": forged}, secure=True)
    assert _error(response, 400, "invalid")["details"] == {
        "cursor": ["Not a cursor of this list; start again without it."]
    }


def test_a_method_an_endpoint_does_not_have_is_405_whatever_the_permissions(reader):
    response = api_client(reader).delete("/api/v1/changes/", secure=True)
    assert _error(response, 405, "method_not_allowed")
    assert "DELETE" not in response["Allow"]


def test_an_article_without_outlet_shows_and_takes_null(journalist):
    client = api_client(journalist)
    body = {"title": "T", "text": "Some text of an article.", "outlet": None}
    made = client.post("/api/v1/articles/", body, format="json", secure=True)
    assert made.status_code == 201, made.content
    assert made.json()["outlet"] is None and made.json()["outlet_id"] is None


def test_signing_in_ignores_other_credentials_and_is_throttled(editor, monkeypatch):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    wrong = client.post("/api/v1/auth/token/", {"username": "ed", "password": "no"}, secure=True)
    _error(wrong, 400, "invalid")  # not the 401 of the bogus header
    right = client.post("/api/v1/auth/token/", {"username": "ed", "password": "pw"}, secure=True)
    assert right.status_code == 200 and right.json()["token"]

    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    caches["throttle"].clear()
    try:
        for password in ("no", "nor", "pw"):
            last = client.post(
                "/api/v1/auth/token/", {"username": "ed", "password": password}, secure=True
            )
        _error(last, 429, "throttled")  # even with the right password
        assert int(last["Retry-After"]) > 0
    finally:
        caches["throttle"].clear()


@pytest.mark.parametrize(
    "when",
    ["1716-03-22T13:22:53.1363+21:38", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"],
)
def test_extreme_times_in_filters_and_as_of_never_fail_the_server(world, as_role, when):
    client = as_role("reader")
    for path, params in [
        ("/api/v1/appearances/", {"created_after": when}),
        ("/api/v1/claims/", {"updated_after": when}),
        ("/api/v1/articles/", {"published_before": when}),
        (f"/api/v1/claims/{world['claim'].pk}/", {"as_of": when}),
    ]:
        response = client.get(path, params, secure=True)
        assert response.status_code in (200, 400), (path, when, response.content[:200])
