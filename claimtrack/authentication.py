"""`Authorization: Token <key>` against hashed tokens (django-rest-knox's scheme), and how
the OpenAPI schema describes it: an `Authorization` header with the `Token` prefix, under
the name the schema has always used (`tokenAuth`)."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token authentication with two changes: a key that is not UTF-8 is an
    invalid token (401), not a server error; and only the token presented is checked
    for expiry (knox also sweeps the user's other tokens, a query on every request;
    issuing a token prunes them instead)."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "claimtrack.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <key>`. Get a key from POST /api/v1/auth/token/, or "
                "ask an admin for a read-only one."
            ),
        }
