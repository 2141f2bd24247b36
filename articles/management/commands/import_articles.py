"""manage.py import_articles FILE: a JSON Lines or CSV batch, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.ingest import IngestError, batch_ingest, batch_rows


class Command(BaseCommand):
    help = (
        "Import a .jsonl or .csv batch of articles (title, url, outlet, author, published, "
        "text). Good rows are kept; bad ones are listed, and the exit status is then 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as failed:
            raise CommandError(f"cannot read {file}: {failed.strerror}") from None
        try:
            rows = batch_rows(data, filename=file.name)
        except IngestError as refused:
            raise CommandError(f"{refused.code}: {refused.message}") from None
        with tqdm(total=len(rows), unit="article", disable=options["verbosity"] == 0) as bar:
            report = batch_ingest(rows, on_progress=lambda done, _: bar.update(1))
        for error in report.errors:
            self.stderr.write(f"row {error['row']}: {error['error']}")
        self.stdout.write(report.summary)
        if report.errors:
            raise CommandError(f"{len(report.errors)} row(s) refused", returncode=1)
