"""Schemathesis over the whole API as every role, at scale: the suite's
tests/api/test_schemathesis.py with many more generated cases per operation (each sent as
anonymous, reader, journalist, editor and admin), recording every problem instead of
stopping at the first. Prints JSON figures per role: requests, answers by status class,
server errors (5xx), answers outside the schema, and refused requests (4xx) that changed
stored rows. Exits 1 if any of those three is not 0.

    SECRET_KEY=x .venv/bin/python bench/fuzz_api.py --examples 60
    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimtrack_fuzz \\
        .venv/bin/python bench/fuzz_api.py --examples 60

The database is pytest-django's test database beside the one DATABASE_URL names (a fresh
SQLite file without it), created and dropped by the run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/api/test_schemathesis.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples", type=int, default=60, help="generated cases per operation (the suite: 6)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.json"
        env = {
            **os.environ,
            "CLAIMTRACK_FUZZ_EXAMPLES": str(args.examples),
            "CLAIMTRACK_FUZZ_FIGURES": str(figures_file),
        }
        env.setdefault("SECRET_KEY", "bench-only")
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if run.returncode != 0 or not figures_file.exists():
            sys.stdout.write(run.stdout[-5000:] + run.stderr[-3000:])
            return 1
        figures = json.loads(figures_file.read_text())
    roles = figures["roles"]
    problems = ("server_errors", "schema_violations", "changed_by_rejected")
    totals = {key: sum(role[key] for role in roles.values()) for key in ("requests", *problems)}
    database = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"
    print(
        json.dumps({"database": database, "seconds": round(seconds), **totals, **figures}, indent=2)
    )
    return 1 if any(totals[key] for key in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
