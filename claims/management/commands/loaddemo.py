from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.demo.load import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Load the LLaMA 2 demo storyline and the demo users (journalist, editor, admin; "
        "password 'demo'). Safe to run again. Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "loaddemo creates users with a known password and only runs with DEBUG on."
            )
        report = demo_load()
        summary = ", ".join(f"{n} {what}" for what, n in report.created.items()) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        self.stdout.write(f"Evidence found by the engine: {report.engine_evidence} row(s).")
        self.stdout.write(f"Claims suggested by the engine: {report.suggestions}.")
        self.stdout.write(f"Sign in as {', '.join(DEMO_USERS)} with password {DEMO_PASSWORD!r}.")
