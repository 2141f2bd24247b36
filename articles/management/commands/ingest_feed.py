"""manage.py ingest_feed URL: follow a feed (or find it followed), poll it now, and take
in its new entries, with a progress bar."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.feeds import feed_entry_ingest, feed_poll, feed_subscribe
from articles.models import FeedEntryState


class Command(BaseCommand):
    help = "Subscribe to the RSS/Atom feed at URL, poll it and ingest its new entries."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--user", help="Subscribe as this user (default: the first superuser).")

    def handle(self, *args, url, user, **options):
        actor = self._actor(user)
        try:
            feed = feed_subscribe(url=url, actor=actor)
        except (ValidationError, PermissionDenied) as refused:
            raise CommandError(" ".join(getattr(refused, "messages", [str(refused)]))) from None
        report = feed_poll(feed.pk)
        if report.error:
            raise CommandError(f"{report.outcome}: {report.error}")
        failed = 0
        bar = tqdm(report.entry_ids, unit="entry", disable=options["verbosity"] == 0)
        for entry_id in bar:
            entry = feed_entry_ingest(entry_id)
            if entry is not None and entry.state == FeedEntryState.FAILED:
                failed += 1
                self.stderr.write(f"entry {entry.link or entry.guid}: {entry.error}")
        self.stdout.write(f"{report.summary} {failed} failed.")
        if failed:
            raise CommandError(f"{failed} entr{'y' if failed == 1 else 'ies'} failed", returncode=1)

    def _actor(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        found = users.filter(username=username) if username else users.filter(is_superuser=True)
        actor = found.order_by("pk").first()
        if actor is None:
            raise CommandError(f"no such user: {username}" if username else "no superuser")
        return actor
