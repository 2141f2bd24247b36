"""This process's matching index of the tracked claims, kept in step with the database.

Each worker process builds the index once from the database, then, before every use,
applies the claims changed since its last look (one indexed query on `updated_at`). A
claim committed by anyone is therefore matchable by the next article any process
checks. Deleted claims are reconciled every RECONCILE_SECONDS; until then a finding for
a deleted claim is dropped when the evidence is written.
"""

import threading
import time
from datetime import UTC, datetime, timedelta

from django.db.models import Max

from claims.engine.index import ClaimIndex
from claims.models import Claim

# Commits are not ordered by `updated_at`: a transaction that stamped its rows a moment
# ago may commit after a later one. Re-reading this much overlap each time catches it.
_OVERLAP = timedelta(seconds=30)
RECONCILE_SECONDS = 60
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
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
        self._reconciled_at = 0.0

    def current(self) -> ClaimIndex:
        """The index, brought up to date with the database."""
        with self._lock:
            if self._synced_up_to is None:
                self._load(tracked_claims())
            else:
                self._load(tracked_claims().filter(updated_at__gte=self._synced_up_to - _OVERLAP))
            if time.monotonic() - self._reconciled_at > RECONCILE_SECONDS:
                self._reconcile()
            return self.index

    def _load(self, claims) -> None:
        latest = claims.aggregate(latest=Max("updated_at"))["latest"]
        rows = claims.order_by("pk").values_list("pk", "text")
        batch = []
        for row in rows.iterator(chunk_size=_CHUNK):
            batch.append(row)
            if len(batch) >= _CHUNK:
                self.index.upsert_many(batch)
                batch = []
        if batch:
            self.index.upsert_many(batch)
        if latest and (self._synced_up_to is None or latest > self._synced_up_to):
            self._synced_up_to = latest
        elif self._synced_up_to is None:
            self._synced_up_to = _EPOCH

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
