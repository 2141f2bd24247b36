"""The database away (a restart, a failover, too many connections): every request that
needs it answers 503 with a `Retry-After` hint, in the API's error shape under /api/ and as
a small page elsewhere, instead of a stack trace. Nothing needs restarting afterwards:
with CONN_HEALTH_CHECKS the next request finds its broken connection and opens a new one.

Three ways in, one answer: the middleware for errors raised by views and while rendering,
the API's exception handler (claimtrack.rest_errors) for DRF views, and `server_error`
(handler500) for errors raised by other middleware (sessions, authentication).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

log = logging.getLogger(__name__)

# How long a client should wait before trying again: about what a restart takes.
RETRY_AFTER_SECONDS = 5
ERRORS = (OperationalError, InterfaceError)
CODE = "service_unavailable"
MESSAGE = "The database is unavailable for a moment. Try again shortly."
SERVER_ERROR = "Something went wrong on our side; it has been logged."


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, ERRORS)


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON in the API's error shape under /api/, a page elsewhere.
    The page is rendered without the request's context, which would need the database."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": CODE, "message": MESSAGE, "details": {}}}
        response = JsonResponse(body, status=503)
    else:
        page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    return with_retry_hint(response)


def with_retry_hint(response):
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _log(request, error: BaseException) -> None:
    # One line, no traceback: the cause is outside the code, and a restart would otherwise
    # flood the log with identical stack traces.
    log.warning("database unavailable for %s %s: %s", request.method, request.path, error)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        _log(request, exception)
        return unavailable_response(request)


def server_error(request, *args, **kwargs):
    """handler500: Django calls it while handling the error, so the error is at hand.
    A database error raised outside a view (a session loaded or saved by middleware) gets
    the 503 too; anything else a 500 (in the API's error shape under /api/)."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        _log(request, error)
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        # The API's error shape, and nothing about the error: it is in the server's log.
        body = {"error": {"code": "server_error", "message": SERVER_ERROR, "details": {}}}
        return JsonResponse(body, status=500)
    return defaults.server_error(request, *args, **kwargs)
