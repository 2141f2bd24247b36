from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.tokens import token_issue


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print its key (shown only now; only its hash is "
        "stored). For a tool's read-only token, name a user in the `reader` group."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default: never)."
        )

    def handle(self, *args, username, days, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        key = token_issue(user=user, days=days)
        groups = ", ".join(user.groups.values_list("name", flat=True)) or "no group"
        self.stderr.write(f"Token for {username} ({groups}); it is shown only now:")
        self.stdout.write(key)
