"""Twenty editors setting the status of one claim at once, through the API over real HTTP
(the live server, a thread and a database connection per request, on PostgreSQL): each
request either succeeds (201) or is refused as stale (409, naming the status now), and the
history stays one linear chain in which no change is lost."""

import threading

import pytest
import requests
from django.contrib.auth.models import Group, User
from django.db import connections

from claims.models import Claim, StatusChange
from tests.conftest import token_key
from tests.factories import make_claim
from tests.reliability.test_concurrent_delivery import require_postgres

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EDITORS = 20
VERDICTS = ["supported", "refuted", "mixed", "unverifiable"]


@pytest.fixture
def editors():
    group = Group.objects.get(name="editor")
    people = []
    for n in range(EDITORS):
        person = User.objects.create_user(f"editor{n}", password="pw")
        person.groups.add(group)
        people.append(person)
    return people


@pytest.fixture
def live(live_server):
    """The live server's threads close their connections after each request, so the test
    database can be dropped at the end (as tests/browser does)."""
    database = connections.settings["default"]
    saved, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    yield live_server
    database["CONN_MAX_AGE"] = saved


def _all_at_once(work) -> list:
    barrier = threading.Barrier(EDITORS)
    outcomes = [None] * EDITORS

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # asserted on by the test
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _poster(live, editors, claim):
    # Plain HTTP to the live server, as if behind the TLS proxy production runs behind.
    keys = [token_key(editor) for editor in editors]
    url = f"{live.url}/api/v1/claims/{claim.pk}/status/"

    def post(i, status, expected, note):
        headers = {"Authorization": f"Token {keys[i]}", "X-Forwarded-Proto": "https"}
        body = {"status": status, "expected": expected, "note": note}
        return requests.post(url, json=body, headers=headers, timeout=60)

    return post


def _linear_history(claim) -> list[StatusChange]:
    rows = list(StatusChange.objects.filter(claim=claim).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].from_status == "unverified"
    assert [r.from_status for r in rows[1:]] == [r.to_status for r in rows[:-1]]
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.status, claim.status_seq) == (rows[-1].to_status, len(rows))
    return rows


def test_twenty_editors_on_the_same_seen_status_one_wins_the_rest_get_409(
    live, editors, journalist
):
    require_postgres()
    claim = make_claim(journalist)
    post = _poster(live, editors, claim)

    answers = _all_at_once(lambda i: post(i, VERDICTS[i % 4], "unverified", f"editor {i}"))

    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * (EDITORS - 1), [a.text for a in answers]
    winner = next(a.json() for a in answers if a.status_code == 201)
    for refused in (a.json()["error"] for a in answers if a.status_code == 409):
        assert refused["details"] == {"expected": "unverified", "current": winner["status"]}
    rows = _linear_history(claim)
    assert [(r.to_status, r.note) for r in rows] == [(winner["status"], winner["note"])]


def test_twenty_editors_who_reload_after_a_409_lose_no_update(live, editors, journalist):
    require_postgres()
    claim = make_claim(journalist)
    post = _poster(live, editors, claim)
    codes = []

    def keep_trying(i):
        seen = "unverified"
        while True:
            to = next(v for v in VERDICTS[i % 4 :] + VERDICTS if v != seen)
            answer = post(i, to, seen, f"editor {i}")
            codes.append(answer.status_code)
            if answer.status_code == 201:
                return answer.json()["seq"]
            assert answer.status_code == 409, answer.text
            seen = answer.json()["error"]["details"]["current"]  # reload, rule again

    seqs = _all_at_once(keep_trying)

    assert sorted(seqs) == list(range(1, EDITORS + 1)), seqs
    assert set(codes) <= {201, 409} and codes.count(201) == EDITORS
    rows = _linear_history(claim)
    assert sorted(r.note for r in rows) == sorted(f"editor {i}" for i in range(EDITORS))
