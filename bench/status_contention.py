"""Many editors setting the status of one claim at once.

Creates a throw-away test database on the configured DATABASE_URL (the SQLite default
when unset), runs THREADS writers that each reload the claim and change its status until
they have made CHANGES changes (retrying when refused as stale), then checks the history
is one linear chain and prints throughput and the stale-refusal rate.

    SECRET_KEY=x .venv/bin/python bench/status_contention.py --threads 8 --changes 25
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402

from claims.errors import StaleStatusError  # noqa: E402
from claims.models import Claim, Status  # noqa: E402
from claims.services import claim_create, claim_set_status  # noqa: E402

VERDICTS = [Status.SUPPORTED, Status.REFUTED, Status.MIXED, Status.UNVERIFIABLE]


def run(threads: int, changes: int) -> None:
    journalist = User.objects.create_user("bench-journalist")
    journalist.groups.add(Group.objects.get(name="journalist"))
    editor = User.objects.create_user("bench-editor")
    editor.groups.add(Group.objects.get(name="editor"))
    editor = User.objects.get(pk=editor.pk)
    claim = claim_create(text="Bench claim.", actor=User.objects.get(pk=journalist.pk))
    stale = [0] * threads
    barrier = threading.Barrier(threads)

    def writer(i: int) -> None:
        barrier.wait()
        made = 0
        while made < changes:
            seen = Claim.objects.values_list("status", flat=True).get(pk=claim.pk)
            to = next(v for v in VERDICTS[(i + made) % 4 :] + VERDICTS if v != seen)
            try:
                claim_set_status(claim=claim, to=to, expected=seen, note="bench", actor=editor)
                made += 1
            except StaleStatusError:
                stale[i] += 1
        connection.close()

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started

    rows = list(claim.status_changes.order_by("seq").values_list("seq", "from_status", "to_status"))
    linear = [r[0] for r in rows] == list(range(1, len(rows) + 1)) and all(
        rows[k][1] == rows[k - 1][2] for k in range(1, len(rows))
    )
    total = threads * changes
    print(f"database            {connection.vendor}")
    print(f"writers x changes   {threads} x {changes} = {total}")
    print(f"history rows        {len(rows)} (linear chain: {'yes' if linear else 'NO'})")
    print(f"elapsed             {elapsed:.2f} s")
    print(f"changes per second  {total / elapsed:.0f}")
    print(f"stale refusals      {sum(stale)} ({sum(stale) / (total + sum(stale)):.0%} of attempts)")
    if len(rows) != total or not linear:
        raise SystemExit("FAILED: lost or forked history")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--changes", type=int, default=25)
    args = parser.parse_args()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.threads, args.changes)
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
