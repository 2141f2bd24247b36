"""The bad-input tests' snapshot of stored rows (tests/stored_state.py) sees every change,
and only real ones: otherwise their "nothing changed" could never fail."""

import pytest
from django.db import transaction

from claims.models import Claim
from tests.factories import make_claim
from tests.stored_state import RowsWatch, assert_unchanged, stored_rows

pytestmark = pytest.mark.django_db


def test_the_watch_sees_rows_added_changed_and_removed(journalist):
    watch = RowsWatch()
    count = watch.before()
    assert watch.changed_since(count) == []  # nothing written: nothing read either
    claim = make_claim(journalist, text="A claim.", kind="fact")
    assert "claims.Claim (0 -> 1 rows)" in watch.changed_since(count)
    count = watch.before()
    Claim.objects.filter(pk=claim.pk).update(text="Another wording.")
    assert "claims.Claim (1 -> 1 rows)" in watch.changed_since(count)
    count = watch.before()
    Claim.all_objects.filter(pk=claim.pk).delete()
    assert "claims.Claim (1 -> 0 rows)" in watch.changed_since(count)


def test_a_write_rolled_back_changes_nothing(journalist):
    """A refused request may write and roll its savepoint back (the CSV import stores
    each row to validate it): the counter moves, the rows do not."""
    watch = RowsWatch()
    count = watch.before()
    before = stored_rows()
    with transaction.atomic():
        make_claim(journalist, text="A claim.", kind="fact")
        transaction.set_rollback(True)
    assert watch.changed_since(count) == []
    assert_unchanged(before)
    make_claim(journalist, text="A claim.", kind="fact")
    with pytest.raises(AssertionError, match=r"claims\.Claim \(0 -> 1 rows\)"):
        assert_unchanged(before)
