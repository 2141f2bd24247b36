"""API tokens, stored hashed (django-rest-knox): issuing them, and how long they last.

Only a 15-character lookup prefix and the SHA-512 digest of each key are stored; the key
itself is returned once, by the function that issues it, and is never stored or logged.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.views.decorators.debug import sensitive_variables
from knox.models import AuthToken


@sensitive_variables("key")  # an error report shows no key
def token_issue(*, user, days: int | None = None) -> str:
    """A new token for `user`, valid for `days` (None: until revoked). Returns the key,
    which exists nowhere else afterwards. Each user keeps at most
    CLAIMTRACK_API_TOKENS_PER_USER tokens: issuing one more drops the oldest, so a script
    that signs in on every run never piles tokens up."""
    expiry = timedelta(days=days) if days else None
    with transaction.atomic():
        _token, key = AuthToken.objects.create(user=user, expiry=expiry)
        keep = settings.CLAIMTRACK_API_TOKENS_PER_USER
        older = AuthToken.objects.filter(user=user).order_by("-created", "-digest")[keep:]
        AuthToken.objects.filter(digest__in=[t.digest for t in older]).delete()
    return key


def token_issue_for_sign_in(*, user) -> str:
    """The token POST /api/v1/auth/token/ hands out: it expires after
    CLAIMTRACK_API_TOKEN_DAYS days (0: never)."""
    return token_issue(user=user, days=settings.CLAIMTRACK_API_TOKEN_DAYS or None)
