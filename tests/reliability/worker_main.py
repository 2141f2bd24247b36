"""`python -m tests.reliability.worker_main [worker options]`: the project's Celery worker
with one test-only hook, so that a test can kill it in the middle of a re-check. Nothing
of this is in the production code.

- An article whose text holds PAUSE stops on its first attempt, after the attempt was
  counted and before any evidence is written, and writes `running-<article id>` (holding
  the pid of the pool process running it) into CLAIMTRACK_FAULTS_SIGNAL_DIR: the test
  then knows exactly whom to kill, and when.
- An article whose text holds POISON kills the process re-checking it, every time.
"""

import os
import signal
import sys
import time
from pathlib import Path

PAUSE = "[faults:pause]"
POISON = "[faults:poison]"


def _install_hook(signal_dir: Path) -> None:
    from claims import recheck
    from claims.models import ArticleCheck

    original = recheck.article_fingerprint_record

    def fingerprint_or_fault(*, article):
        if POISON in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if PAUSE in article.text:
            attempts = ArticleCheck.objects.values_list("attempts", flat=True).get(article=article)
            if attempts == 1:
                staged = signal_dir / f".running-{article.pk}"
                staged.write_text(str(os.getpid()))
                staged.rename(signal_dir / f"running-{article.pk}")
                time.sleep(300)  # until killed
        return original(article=article)

    recheck.article_fingerprint_record = fingerprint_or_fault


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
    import django

    django.setup()
    _install_hook(Path(os.environ["CLAIMTRACK_FAULTS_SIGNAL_DIR"]))
    from claimtrack.celery import app

    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
