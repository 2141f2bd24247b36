import threading

import pytest
from django.db import connection, connections, transaction

from claims.api.serializers import ChangeEventSerializer
from claims.events import events_after
from claims.models import ChangeEvent
from claims.services import claim_set_status, claims_merge, evidence_review
from tests.conftest import IN_CI
from tests.factories import make_claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _page(client, after=None, **params):
    if after:
        params["after"] = after
    response = client.get("/api/v1/changes/", params, secure=True)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_resumes_exactly_after_its_cursor_while_events_arrive(world, editor, as_role):
    client = as_role("reader")
    first = _page(client, limit=2)
    assert first["events"][0]["kind"] == "claim.created" and len(first["events"]) == 2
    assert first["has_more"]
    # New events arrive while the tool is between two pages.
    claim_set_status(
        claim=world["claim"], to="refuted", expected="unverified", note="n", actor=editor
    )
    evidence_review(evidence=world["evidence"], state="accepted", actor=editor)
    seen, cursor = [e["id"] for e in first["events"]], first["next"]
    while True:
        page = _page(client, cursor, limit=2)
        seen += [e["id"] for e in page["events"]]
        cursor = page["next"]
        if not page["has_more"]:
            break
    stored = list(ChangeEvent.objects.order_by("txid", "id").values_list("id", flat=True))
    assert seen == stored  # everything, in order, nothing twice
    assert _page(client, cursor)["events"] == []  # caught up; the cursor stays valid
    assert _page(client, cursor)["next"] == cursor


def test_events_carry_the_object_before_and_after(world, editor, as_role):
    claim_set_status(
        claim=world["claim"], to="refuted", expected="unverified", note="Licence.", actor=editor
    )
    events = _page(as_role("reader"), kind="status.changed")["events"]
    assert len(events) == 1
    event = events[0]
    assert (event["before"]["status"], event["after"]["status"]) == ("unverified", "refuted")
    assert event["detail"]["note"] == "Licence." and event["actor"] == "ed"
    assert event["claim"] == world["claim"].pk


def test_every_kind_of_change_is_in_the_feed(world, journalist, editor, as_role):
    dup = make_claim(journalist, text="LLaMA 2 may be used commercially.")
    claims_merge(keep=world["claim"], merge=dup, actor=editor, note="same")
    evidence_review(evidence=world["evidence"], state="rejected", actor=editor)
    kinds = {e["kind"] for e in _page(as_role("reader"), limit=500)["events"]}
    assert kinds >= {
        "claim.created",
        "appearance.added",
        "evidence.added",
        "evidence.reviewed",
        "claims.merged",
    }
    only = _page(as_role("reader"), claim=dup.pk)["events"]
    assert {e["claim"] for e in only} == {dup.pk}


def test_each_event_is_shown_as_its_serializer_shows_it(world, journalist, editor, as_role):
    """The feed builds its events by hand (for speed): each must equal, key for key, what
    ChangeEventSerializer, the schema's source, shows for it."""
    dup = make_claim(journalist, text="LLaMA 2 may be used commercially.")
    claims_merge(keep=world["claim"], merge=dup, actor=editor, note="same")
    evidence_review(evidence=world["evidence"], state="rejected", actor=editor)
    shown = _page(as_role("reader"), limit=500)["events"]
    stored = {event.id: event for event in ChangeEvent.objects.all()}
    assert len(shown) == len(stored) > 5
    for event in shown:
        alone = ChangeEventSerializer(stored[event["id"]]).data
        assert event == alone and list(event) == list(alone)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "Zm9v", "!!!"])
def test_a_cursor_the_feed_did_not_issue_is_400(as_role, cursor):
    response = as_role("reader").get("/api/v1/changes/", {"after": cursor}, secure=True)
    assert response.status_code == 400
    assert "after" in response.json()["error"]["details"]


def test_an_event_of_a_transaction_still_running_holds_back_later_ones(journalist):
    """On PostgreSQL ids are handed out before commit: the feed must not serve an event
    that committed after a lower one still in flight, or a reader would skip it."""
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs this on PostgreSQL")
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    before = events_after(None, limit=500)
    started, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                make_claim(journalist, text="Written by a slow transaction.")
                started.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert started.wait(10)
    make_claim(journalist, text="Committed while the slow one runs.")
    held = events_after(before.next_cursor, limit=500)
    assert held.events == []  # the later commit waits for the earlier transaction
    release.set()
    assert done.wait(10)
    thread.join()
    served = events_after(before.next_cursor, limit=500)
    assert [e.after["text"] for e in served.events] == [
        "Written by a slow transaction.",
        "Committed while the slow one runs.",
    ]
