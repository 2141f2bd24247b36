"""POST /api/v1/auth/token/: username and password in, the user's API token out."""

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from claimtrack.rest import AnonThrottle
from claimtrack.rest_errors import errors


class ObtainToken(ObtainAuthToken):
    """The token of a user with a password; tools send it as `Authorization: Token <key>`.
    Read-only tokens belong to users in the `reader` group, made by an admin. It takes no
    credentials but the ones in the body, and is throttled like anonymous use of the API
    (DRF's view is not), so that passwords cannot be tried at speed."""

    authentication_classes = []
    throttle_classes = [AnonThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **errors(400, 429),
        },
        examples=[
            OpenApiExample(
                "Sign in", value={"username": "editor", "password": "demo"}, request_only=True
            ),
            OpenApiExample(
                "A token",
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                response_only=True,
            ),
        ],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
