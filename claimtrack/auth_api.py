"""POST /api/v1/auth/token/: username and password in, a new API token out."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.tokens import token_issue_for_sign_in
from claimtrack.rest import AnonThrottle
from claimtrack.rest_errors import errors


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


# Neither the password nor the key ever shows in an error report (sensitive_*).
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class ObtainToken(APIView):
    """A new token for a user with a password; tools send it as `Authorization: Token
    <key>`. Only its hash is stored, so each request issues a new one (expiring after
    CLAIMTRACK_API_TOKEN_DAYS; a user keeps the newest CLAIMTRACK_API_TOKENS_PER_USER).
    It takes no credentials but the ones in the body, is throttled like anonymous use of
    the API, and shares the sign-in lockout of the pages (django-axes: 429 once locked)."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [AnonThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequest,
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
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b0a1c2e3d4f5a6b7c8d9e0f1a"},
                response_only=True,
            ),
        ],
        tags=["auth"],
    )
    @sensitive_variables("incoming")  # its data has the password
    def post(self, request, *args, **kwargs):
        incoming = TokenRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        # The Django request, not DRF's: django-axes marks it when the sign-in is locked
        # out, and its middleware then answers 429 instead of this view.
        django_request = request._request
        user = authenticate(django_request, **incoming.validated_data)
        if user is None:
            raise ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}
            )
        # A sign-in like the pages': last_login, and django-axes forgets the failures.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        return Response({"token": token_issue_for_sign_in(user=user)})
