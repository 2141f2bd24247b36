"""Everything the database stores, as a snapshot two moments can be compared by: the
bad-input tests check that a refused request changed nothing already stored (no row
added, changed or removed in any table).

A snapshot holds, per table (every model Django knows, many-to-many tables included),
the number of rows and a SHA-256 digest of all of them in primary-key order, read through
the ORM's base manager (so rows that the default managers hide, such as merged claims,
count too).
"""

import hashlib

from django.apps import apps
from django.db import connection

# Tables a refused request writes to by design: django-axes counts failed sign-ins (a
# wrong password is refused *and* counted, which is how the lockout works).
WRITTEN_BY_DESIGN = frozenset({"axes"})

Snapshot = dict[str, tuple[int, str]]


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in WRITTEN_BY_DESIGN
    ]


def stored_rows() -> Snapshot:
    """{table label: (row count, digest of every row)}."""
    snapshot = {}
    for model in _tables():
        digest, count = hashlib.sha256(), 0
        for row in model._base_manager.order_by("pk").values_list().iterator(chunk_size=2000):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
            count += 1
        snapshot[model._meta.label] = (count, digest.hexdigest())
    return snapshot


def changed_tables(before: Snapshot, after: Snapshot) -> list[str]:
    """The tables whose rows differ, each with its row counts before and after."""
    return [
        f"{label} ({before.get(label, (0,))[0]} -> {after.get(label, (0,))[0]} rows)"
        for label in sorted(before.keys() | after.keys())
        if before.get(label) != after.get(label)
    ]


def write_count() -> int:
    """How many rows this connection has inserted, updated or deleted so far (in this
    transaction, on PostgreSQL), rolled back or not. When it has not moved, nothing was
    written, so the snapshot cannot have changed: the fuzzing takes a new one only then."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


class RowsWatch:
    """Snapshots for many requests in one transaction, taken only when rows were written
    since the last one (the snapshot itself costs dozens of queries)."""

    def __init__(self):
        self.count: int | None = None
        self.rows: Snapshot = {}

    def before(self) -> int:
        count = write_count()
        if count != self.count:
            self.rows, self.count = stored_rows(), count
        return count

    def changed_since(self, count: int) -> list[str]:
        """The tables changed since `before()` returned `count`."""
        now = write_count()
        if now == count:
            return []
        before, self.rows, self.count = self.rows, stored_rows(), now
        return changed_tables(before, self.rows)


def assert_unchanged(before: Snapshot) -> None:
    changed = changed_tables(before, stored_rows())
    assert not changed, f"A refused request changed stored rows: {', '.join(changed)}"
