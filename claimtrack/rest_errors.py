"""The API's one error shape, {"error": {"code", "message", "details"}}, and its schema."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.errors import ClaimTrackError
from claimtrack import db_unavailable
from claimtrack.uploads import drain, too_large_message

log = logging.getLogger(__name__)


def error_response(code: str, message: str, details=None, status_code: int = 400) -> Response:
    """An answer in the error shape. Views use it for details that a ValidationError would
    turn into strings (row numbers, say)."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return Response(body, status=status_code)


def exception_handler(exc, context):
    """Every error as {"error": {"code", "message", "details"}}. Rule violations from the
    services become 400 (bad input) or 409 (conflict with the stored state)."""
    if isinstance(exc, ClaimTrackError):
        return error_response(exc.code, exc.message, exc.details, status.HTTP_409_CONFLICT)
    if db_unavailable.is_database_unavailable(exc):
        # The database away: 503 and when to retry (claimtrack.db_unavailable).
        log.warning("database unavailable for an API request: %s", exc)
        answer = error_response(db_unavailable.CODE, db_unavailable.MESSAGE, {}, 503)
        return db_unavailable.with_retry_hint(answer)
    if isinstance(exc, RequestDataTooBig):
        return _body_too_large(context["request"])
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    if isinstance(exc, ProtectedError):
        return error_response("protected", "Other records depend on this one.", {}, 409)
    # Django's own 404 and 403 (get_object_or_404, the services' permission checks) as
    # DRF's, so that their code and message are kept.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        status_code = response.status_code
        return error_response("invalid", "The request is not valid.", response.data, status_code)
    detail = getattr(exc, "detail", "")
    code = detail.code if hasattr(detail, "code") else "error"
    error = error_response(str(code), str(detail), {}, response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            error[header] = response[header]
    return error


def _body_too_large(request) -> Response:
    """A JSON or form body over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django refused to read
    (DRF reads them through `request.body`): 413 in the error shape rather than Django's
    bare 400 page, once the body is drained as an upload's is (claimtrack.uploads)."""
    django_request = getattr(request, "_request", request)
    drain(django_request, int(django_request.META.get("CONTENT_LENGTH") or 0))
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response("too_large", too_large_message(limit, "request body"), {}, 413)


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
    406: "The `Accept` header or the `format` asks for a representation not served here.",
    409: "Conflicts with the stored state (a stale status change, a rule of the workflow).",
    413: "The body is larger than this server accepts (see README, Bad input).",
    415: "The body's `Content-Type` is not one this endpoint reads.",
    429: "Too many requests; retry after the `Retry-After` seconds.",
    503: "The database is unavailable for a moment; retry after the `Retry-After` seconds.",
}


def errors(*codes: int) -> dict:
    """The error answers an endpoint documents, for `extend_schema(responses=...)`."""
    return {code: OpenApiResponse(ERROR, description=_ERROR_TEXT[code]) for code in codes}


@csrf_exempt
def no_such_endpoint(request, *args, **kwargs):
    """A path under the API that names no endpoint (an id that is not a number, a typo):
    the API's 404 in its error shape, not the site's HTML page."""
    body = {"error": {"code": "not_found", "message": "No such endpoint.", "details": {}}}
    return JsonResponse(body, status=404)


def document_generic_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: the answers any endpoint gives, documented once
    here. 406 for an Accept header (or `format`) that nothing here renders, 413 for a body
    too large, 415 for a body in a format not read, 503 while the database is away, and 304
    for JSON reads: ConditionalGetMiddleware gives each an ETag and answers a matching
    If-None-Match."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            # 413: a body over the size limits (claimtrack.parsers, claimtrack.uploads).
            generic = [406, 413, 415] if "requestBody" in operation else [406]
            for code in [*generic, 503]:
                shape = {"schema": {"$ref": "#/components/schemas/Error"}}
                answer = {"description": _ERROR_TEXT[code], "content": {"application/json": shape}}
                responses.setdefault(str(code), answer)
            read = responses.get("200", {}).get("content", {})
            if method == "get" and "application/json" in read:
                responses.setdefault("304", {"description": "Not modified (If-None-Match)."})
    return result
