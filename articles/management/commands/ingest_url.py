"""manage.py ingest_url URL: fetch one article, as the page does, and say what happened."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.ingest import IngestError, url_ingest


class Command(BaseCommand):
    help = "Fetch the article at URL (safely), extract it and store it."

    def add_arguments(self, parser):
        parser.add_argument("url")

    def handle(self, *args, url, **options):
        with tqdm(total=1, desc="fetching", disable=options["verbosity"] == 0) as bar:
            try:
                ingested = url_ingest(url)
            except IngestError as refused:
                raise CommandError(f"{refused.code}: {refused.message}") from None
            bar.update(1)
        article = ingested.article
        self.stdout.write(f"{ingested.outcome}: article {article.pk} {article.title!r}")
