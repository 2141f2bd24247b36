"""This process's matching index of the tracked claims, kept in step with the database.

Each worker process builds the index once from the database, then, before every use,
applies the claims changed since its last look (one query on `updated_at`). A
claim committed by anyone is therefore matchable by the next article any process
checks. Deleted claims are reconciled every RECONCILE_SECONDS; until then a finding for
a deleted claim is dropped when the evidence is written.
"""

import threading
import time
from datetime import timedelta

from django.utils import timezone

from claims.engine.index import ClaimIndex
from claims.models import Claim

# Commits are not ordered by `updated_at`: a transaction that stamped its rows a moment
# ago may commit after a later one. Re-reading this much overlap each time catches it;
# rows already applied with the same stamp are skipped.
_OVERLAP = timedelta(seconds=10)
RECONCILE_SECONDS = 60
_CHUNK = 5000


def tracked_claims():
    """The claims the engine checks new articles against."""
    return Claim.objects.all()


class LiveIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.index = ClaimIndex()
        self._synced_up_to = None
        self._applied: dict[int, object] = {}  # claim id -> updated_at, inside the overlap
        self._reconciled_at = 0.0

    def current(self) -> ClaimIndex:
        """The index, brought up to date with the database."""
        with self._lock:
            if self._synced_up_to is None:
                self._full_load()
            else:
                self._apply_changes()
            if time.monotonic() - self._reconciled_at > RECONCILE_SECONDS:
                self._reconcile()
            return self.index

    def _full_load(self) -> None:
        started = timezone.now()
        rows = tracked_claims().order_by("pk").values_list("pk", "text")
        # Streamed from the database; the index rebuilds its postings once, at the end.
        self.index.upsert_many(rows.iterator(chunk_size=_CHUNK))
        self._synced_up_to = started
        window = tracked_claims().filter(updated_at__gte=started - _OVERLAP)
        self._applied = dict(window.values_list("pk", "updated_at"))

    def _apply_changes(self) -> None:
        """Apply the claims stamped since the last look (less the overlap), skipping the
        ones already applied with the same stamp."""
        started = timezone.now()
        # Every claim, tracked or not: one merged away since leaves the index at once.
        window = Claim.all_objects.filter(updated_at__gte=self._synced_up_to - _OVERLAP)
        stamps = dict(window.values_list("pk", "updated_at"))
        changed = {pk for pk, stamp in stamps.items() if self._applied.get(pk) != stamp}
        for pk, text in tracked_claims().filter(pk__in=changed).values_list("pk", "text"):
            self.index.upsert(pk, text)
            changed.discard(pk)
        for pk in changed:  # changed, but no longer tracked
            if pk in self.index:
                self.index.remove(pk)
        self._synced_up_to = started
        self._applied = {pk: stamp for pk, stamp in stamps.items() if stamp >= started - _OVERLAP}

    def _reconcile(self) -> None:
        self._reconciled_at = time.monotonic()
        if tracked_claims().count() == len(self.index):
            return
        live = set(tracked_claims().values_list("pk", flat=True))
        for claim_id in self.index.claim_ids() - live:
            self.index.remove(claim_id)


_live = LiveIndex()


def live_index() -> LiveIndex:
    return _live
