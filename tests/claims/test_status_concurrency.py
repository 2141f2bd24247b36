"""Many writers on one claim at once. Marked portable: `make test` runs these on the
configured database and again on the SQLite default."""

import threading

import pytest
from django.db import connection

from claims.errors import StaleStatusError
from claims.models import Claim, StatusChange
from claims.services import claim_set_status
from tests.factories import make_claim

pytestmark = [
    pytest.mark.portable,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CYCLE = ["supported", "refuted", "mixed", "unverifiable"]


def _run_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def runner(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # collected and asserted on by the test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _assert_linear(claim: Claim) -> list[StatusChange]:
    rows = list(StatusChange.objects.filter(claim=claim).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].from_status == "unverified"
    assert [r.from_status for r in rows[1:]] == [r.to_status for r in rows[:-1]]
    claim.refresh_from_db()
    assert claim.status == rows[-1].to_status and claim.status_seq == len(rows)
    return rows


def test_racing_editors_on_the_same_seen_status_let_exactly_one_win(editor, journalist):
    claim = make_claim(journalist)

    def set_status(i):
        return claim_set_status(
            claim=Claim.objects.get(pk=claim.pk),
            to=CYCLE[i % len(CYCLE)],
            expected="unverified",
            note=f"editor {i}",
            actor=editor,
        )

    outcomes = _run_threads(6, set_status)
    winners = [o for o in outcomes if isinstance(o, StatusChange)]
    stale = [o for o in outcomes if isinstance(o, StaleStatusError)]
    assert len(winners) == 1 and len(stale) == 5, outcomes
    rows = _assert_linear(claim)
    assert len(rows) == 1 and rows[0].pk == winners[0].pk


def test_editors_who_reload_and_retry_lose_no_update(editor, journalist):
    claim = make_claim(journalist)
    per_thread = 5

    def keep_trying(i):
        done = 0
        while done < per_thread:
            seen = Claim.objects.get(pk=claim.pk).status
            rotation = CYCLE[(i + done) % 4 :] + CYCLE[: (i + done) % 4]
            to = next(s for s in rotation if s != seen)
            try:
                claim_set_status(
                    claim=claim, to=to, expected=seen, note=f"t{i}-{done}", actor=editor
                )
                done += 1
            except StaleStatusError:
                continue
        return done

    outcomes = _run_threads(4, keep_trying)
    assert outcomes == [per_thread] * 4, outcomes
    rows = _assert_linear(claim)
    assert len(rows) == 4 * per_thread
    assert sorted(r.note for r in rows) == sorted(f"t{i}-{d}" for i in range(4) for d in range(5))
