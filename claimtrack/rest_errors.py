"""The API's one error shape, {"error": {"code", "message", "details"}}, and its schema."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.errors import ClaimTrackError


def _error(code: str, message: str, details=None, status_code: int = 400) -> Response:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return Response(body, status=status_code)


def exception_handler(exc, context):
    """Every error as {"error": {"code", "message", "details"}}. Rule violations from the
    services become 400 (bad input) or 409 (conflict with the stored state)."""
    if isinstance(exc, ClaimTrackError):
        return _error(exc.code, exc.message, exc.details, status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    if isinstance(exc, ProtectedError):
        return _error("protected", "Other records depend on this one.", {}, 409)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return _error("invalid", "The request is not valid.", response.data, response.status_code)
    detail = getattr(exc, "detail", "")
    code = detail.code if hasattr(detail, "code") else "error"
    error = _error(str(code), str(detail), {}, response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            error[header] = response[header]
    return error


ERROR = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.DictField(),
            },
        )
    },
)
_ERROR_TEXT = {
    400: "Bad input; `details` says what, field by field.",
    401: "No valid credentials.",
    403: "Not allowed for this user or token.",
    404: "No such object.",
    409: "Conflicts with the stored state (a stale status change, a rule of the workflow).",
    429: "Too many requests; retry after the `Retry-After` seconds.",
}


def errors(*codes: int) -> dict:
    """The error answers an endpoint documents, for `extend_schema(responses=...)`."""
    return {code: OpenApiResponse(ERROR, description=_ERROR_TEXT[code]) for code in codes}
