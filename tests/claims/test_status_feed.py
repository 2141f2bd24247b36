import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.services import claim_set_status, claims_merge
from tests.conftest import token_key
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "/feeds/status-changes/"


@pytest.fixture(autouse=True)
def _no_throttle_left_over():
    """The API's rate limits count in the cache; start every test with none used."""
    cache.clear()
    yield
    cache.clear()


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314  (our own answer, not untrusted)
    assert root.tag == ATOM + "feed"
    return root


def entries(root: ET.Element) -> list[dict]:
    found = []
    for entry in root.findall(ATOM + "entry"):
        [link] = entry.findall(ATOM + "link")
        found.append(
            {
                "title": entry.findtext(ATOM + "title"),
                "link": link.get("href"),
                "rel": link.get("rel"),
                "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
                "summary": entry.findtext(ATOM + "summary"),
                "published": datetime.fromisoformat(entry.findtext(ATOM + "published")),
                "updated": datetime.fromisoformat(entry.findtext(ATOM + "updated")),
                "id": entry.findtext(ATOM + "id"),
                "category": [c.get("term") for c in entry.findall(ATOM + "category")],
            }
        )
    return found


def get_with_token(client, user, **extra):
    return client.get(
        URL, secure=True, headers={"Authorization": f"Token {token_key(user)}"}, **extra
    )


@pytest.fixture
def history(journalist, editor):
    """Three verdicts on two claims, an hour apart, the last on the first claim."""
    start = timezone.now() - timedelta(days=1)
    ferry = make_claim(journalist, text="The ferry will run every hour from May.")
    bridge = make_claim(journalist, text="The bridge will open in June & cost < 10M.")
    claim_set_status(
        claim=ferry,
        to="refuted",
        expected="unverified",
        note="The timetable shows two boats a day.",
        actor=editor,
        at=start,
    )
    claim_set_status(
        claim=bridge,
        to="supported",
        expected="unverified",
        note="Opened on 3 June.\n\nBudget <b>9.6M</b>.",
        actor=editor,
        at=start + timedelta(hours=1),
    )
    claim_set_status(
        claim=ferry,
        to="mixed",
        expected="refuted",
        note="Hourly in summer only.",
        actor=editor,
        at=start + timedelta(hours=2),
    )
    return ferry, bridge, start


def test_the_feed_is_atom_with_the_latest_changes_first(client, editor, history):
    ferry, bridge, start = history

    root = parse(get_with_token(client, editor))

    assert root.findtext(ATOM + "title") == "ClaimTrack: status changes"
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {
        "alternate": "https://testserver/claims/",
        "self": "https://testserver/feeds/status-changes/",
    }
    assert root.findtext(ATOM + "id") == "https://testserver/feeds/status-changes/"
    assert datetime.fromisoformat(root.findtext(ATOM + "updated")) == start + timedelta(hours=2)
    found = entries(root)
    assert [e["title"] for e in found] == [
        "Mixed: The ferry will run every hour from May.",
        "Supported: The bridge will open in June & cost < 10M.",
        "Refuted: The ferry will run every hour from May.",
    ]
    assert [e["link"] for e in found] == [
        f"https://testserver/claims/{ferry.pk}/",
        f"https://testserver/claims/{bridge.pk}/",
        f"https://testserver/claims/{ferry.pk}/",
    ]
    assert {e["rel"] for e in found} == {"alternate"}
    assert [e["author"] for e in found] == ["ed", "ed", "ed"]
    assert [e["published"] for e in found] == [
        start + timedelta(hours=2),
        start + timedelta(hours=1),
        start,
    ]
    assert [e["updated"] for e in found] == [e["published"] for e in found]
    assert [e["category"] for e in found] == [["mixed"], ["supported"], ["refuted"]]
    # The note is the summary, as HTML: escaped, its paragraphs kept.
    assert found[0]["summary"] == "<p>Hourly in summer only.</p>"
    assert (
        found[1]["summary"] == "<p>Opened on 3 June.</p>\n\n<p>Budget &lt;b&gt;9.6M&lt;/b&gt;.</p>"
    )
    ids = [e["id"] for e in found]
    assert len(set(ids)) == 3
    assert all(i.startswith("tag:testserver,") for i in ids)


def test_entry_ids_stay_the_same_as_the_feed_grows(client, editor, journalist, history):
    before = {e["title"]: e["id"] for e in entries(parse(get_with_token(client, editor)))}
    claim_set_status(
        claim=make_claim(journalist, text="Tolls will be dropped."),
        to="refuted",
        expected="unverified",
        note="Tolls stay.",
        actor=editor,
    )
    client.logout()
    cache.clear()
    after = entries(parse(client.get(URL, secure=True, headers=_auth(editor))))
    assert after[0]["title"] == "Refuted: Tolls will be dropped."
    assert {e["title"]: e["id"] for e in after[1:]} == before


def _auth(user) -> dict:
    return {"Authorization": f"Token {token_key(user)}"}


def test_the_engine_is_named_with_its_version(client, editor, journalist):
    claim = make_claim(journalist, text="Fares will fall by a tenth.")
    claim_set_status(
        claim=claim,
        to="supported",
        expected="unverified",
        note="Three outlets report the new fares.",
        engine_version="stance-2.1",
    )

    [entry] = entries(parse(get_with_token(client, editor)))

    assert entry["author"] == "engine stance-2.1"
    assert entry["title"] == "Supported: Fares will fall by a tenth."


def test_a_merged_claims_changes_stay_and_link_to_its_page(client, editor, journalist):
    kept = make_claim(journalist, text="The tunnel opens in 2026.")
    duplicate = make_claim(journalist, text="Tunnel to open in 2026.")
    claim_set_status(
        claim=duplicate, to="refuted", expected="unverified", note="Delayed to 2027.", actor=editor
    )
    claims_merge(keep=kept, merge=duplicate, actor=editor, note="Same claim.")

    [entry] = entries(parse(get_with_token(client, editor)))

    assert entry["title"] == "Refuted: Tunnel to open in 2026."
    assert entry["link"] == f"https://testserver/claims/{duplicate.pk}/"
    client.force_login(editor)
    page = client.get(reverse("claims:detail", args=[duplicate.pk]), secure=True)
    assert page.status_code == 302
    assert page["Location"] == reverse("claims:detail", args=[kept.pk])


def test_only_the_latest_fifty_changes(client, editor, journalist):
    start = timezone.now() - timedelta(days=2)
    for n in range(51):
        claim_set_status(
            claim=make_claim(journalist, text=f"Claim number {n} about the harbour."),
            to="refuted",
            expected="unverified",
            note="No.",
            actor=editor,
            at=start + timedelta(minutes=n),
        )

    found = entries(parse(get_with_token(client, editor)))

    assert len(found) == 50
    assert found[0]["title"] == "Refuted: Claim number 50 about the harbour."
    assert found[-1]["title"] == "Refuted: Claim number 1 about the harbour."


def test_an_empty_feed_is_still_valid_atom(client, editor):
    root = parse(get_with_token(client, editor))
    assert entries(root) == []
    assert root.findtext(ATOM + "updated")


# --- Who may read it ---------------------------------------------------------------------


def test_anonymous_readers_must_authenticate(client, history):
    response = client.get(URL, secure=True)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_reader_that_only_accepts_atom_still_gets_401_not_406(client, history):
    response = client.get(URL, secure=True, headers={"Accept": "application/atom+xml"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_refused(client, history):
    response = client.get(URL, secure=True, headers={"Authorization": "Token not-a-real-key"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_outsider_is_forbidden(client, outsider, history):
    assert get_with_token(client, outsider).status_code == 403
    client.force_login(outsider)
    assert client.get(URL, secure=True).status_code == 403


def test_newsroom_roles_and_read_only_tokens_may_read(client, journalist, reader, history):
    assert len(entries(parse(get_with_token(client, reader)))) == 3
    assert len(entries(parse(get_with_token(client, journalist)))) == 3


def test_a_signed_in_session_works_too(client, editor, history):
    client.force_login(editor)
    assert len(entries(parse(client.get(URL, secure=True)))) == 3


def test_public_read_lets_anonymous_readers_in(client, settings, history):
    settings.CLAIMTRACK_API_PUBLIC_READ = True
    response = client.get(URL, secure=True)
    assert len(entries(parse(response))) == 3
    assert "private" not in response.get("Cache-Control", "")


def test_public_read_still_forbids_an_outsider(client, settings, outsider, history):
    settings.CLAIMTRACK_API_PUBLIC_READ = True
    assert get_with_token(client, outsider).status_code == 403


def test_a_guarded_feed_is_not_shared_by_caches(client, editor, history):
    response = get_with_token(client, editor)
    assert "private" in response["Cache-Control"]
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"authorization", "cookie"} <= vary


def test_the_feed_can_only_be_read(client, editor, history):
    key = token_key(editor)
    response = client.post(URL, secure=True, headers={"Authorization": f"Token {key}"})
    # As everywhere in the API, a method the endpoint does not offer answers 405.
    assert response.status_code == 405
    response = client.head(URL, secure=True, headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
