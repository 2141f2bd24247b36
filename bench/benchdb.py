"""A database of the benchmark's own, on SQLite (a fresh file) or on the PostgreSQL that
DATABASE_URL names (a fresh `claimtrack_bench` database beside it), dropped afterwards."""

import os
import resource
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db: str) -> None:
    """Point the settings at the benchmark's database, then start Django."""
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
    path = Path(tempfile.gettempdir()) / f"claimtrack-bench-{os.getpid()}.sqlite3"
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif db == "postgres":
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            raise SystemExit("--db postgres needs DATABASE_URL=postgres://...")
    else:
        raise SystemExit(f"unknown --db {db!r}")
    import django

    django.setup()
    from django.db import connection

    test_name = str(path) if db == "sqlite" else "claimtrack_bench"
    connection.settings_dict["TEST"]["NAME"] = test_name
    from claimtrack.celery import app

    # Re-checks run where the benchmark calls them, never through a broker.
    app.conf.task_always_eager = True


@contextmanager
def bench_database():
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0)


def rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_claims(texts: list[str], batch: int = 20_000) -> None:
    """Insert claims fast for a benchmark, stamped an hour ago as if logged over time.
    This bypasses `claim_create` on purpose: the benchmark measures matching, not a
    million permission checks."""
    from datetime import timedelta

    from django.utils import timezone

    from claims.models import Claim

    for start in range(0, len(texts), batch):
        Claim.objects.bulk_create(Claim(text=t) for t in texts[start : start + batch])
    Claim.objects.update(updated_at=timezone.now() - timedelta(hours=1))
