"""How the REST API behaves everywhere: permissions, pagination, throttling, format
negotiation, id filters and Last-Modified on details (the error shape is in
`rest_errors`). Settings point here; the apps' API modules use these classes."""

import logging
import time
from datetime import UTC

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from knox.models import AuthToken
from rest_framework.exceptions import NotAcceptable, NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

log = logging.getLogger(__name__)


class ModelPermissions(DjangoModelPermissions):
    """The model permissions of the user, reading included (`view_*`). Anonymous clients
    may read when CLAIMTRACK_API_PUBLIC_READ is on, and never write. The services check
    the finer rules (who may rule on a status, review evidence) themselves."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        method = request.method.lower()
        if method not in getattr(view, "http_method_names", ()) or not hasattr(view, method):
            return True  # the view answers 405, which says more than a 403
        if (
            request.method in SAFE_METHODS
            and settings.CLAIMTRACK_API_PUBLIC_READ
            and not request.user.is_authenticated
        ):
            return True
        return super().has_permission(request, view)


def requires(*perms: str) -> type[ModelPermissions]:
    """The model permissions plus `perms`, for an action that needs more than its model's
    (a verdict, a review): a user without them gets 403 before the body is even read. The
    services check the same permissions again."""

    class Requires(ModelPermissions):
        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.has_perms(perms)

    return Requires


class Pagination(CursorPagination):
    """Cursor pages: stable while rows are added, with a capped page size (a bigger one
    asked for gets the cap). A page size that is not a positive whole number, or a cursor
    this list did not give, is a 400, not DRF's silent default page size or 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() else 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["A whole number from 1."]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model  # to check a cursor's position
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        refusal = ValidationError(
            {self.cursor_query_param: ["Not a cursor of this list; start again without it."]}
        )
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise refusal from None
        if cursor is not None and cursor.position is not None:
            # The position is compared with the ordering field: it must be a value of it.
            try:
                field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
                field.to_python(cursor.position)
            except FieldDoesNotExist:
                pass
            except DjangoValidationError:
                raise refusal from None
        return cursor

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        # DRF's examples point at an /accounts/ list, with a stray quote.
        for name, cursor in (("next", "cD0xMjM%3D"), ("previous", "cj0xJnA9MTI0")):
            paginated["properties"][name]["example"] = (
                f"https://claimtrack.example.org/api/v1/claims/?cursor={cursor}"
            )
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Results per page: {self.page_size} by default, at most {self.max_page_size}."
                )
        return parameters


class _SharedCounts:
    """Where throttles keep each client's recent requests: the `throttle` cache (Redis when
    REDIS_URL is set, so all gunicorn processes count against one limit). A throttle must
    never fail a request: if that cache fails, each process counts on its own, in memory,
    for CLAIMTRACK_BROKER_BACKOFF seconds, then tries it again."""

    def __init__(self):
        self.down_until = 0.0

    def allow(self, throttle, request, view) -> bool:
        if time.monotonic() >= self.down_until:
            throttle.cache = caches["throttle"]
            try:
                return throttle.allow_request_counted(request, view)
            except Exception:
                self.down_until = time.monotonic() + settings.CLAIMTRACK_BROKER_BACKOFF
                log.warning("throttle counts unavailable: counting in this process for now")
        throttle.cache = caches["default"]
        return throttle.allow_request_counted(request, view)


_shared_counts = _SharedCounts()


class SharedCountsMixin:
    def allow_request(self, request, view):
        return _shared_counts.allow(self, request, view)

    def allow_request_counted(self, request, view):
        return super().allow_request(request, view)


class UserThrottle(SharedCountsMixin, UserRateThrottle):
    """Per token when the request carries one, else per user."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AuthToken):
            # The token's lookup prefix: its pk is the digest, longer than a key needs.
            ident = f"token-{request.auth.token_key}"
            return self.cache_format % {"scope": self.scope, "ident": ident}
        return super().get_cache_key(request, view)


class AnonThrottle(SharedCountsMixin, AnonRateThrottle):
    pass


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, except that a `?format=` (or a format suffix) the endpoint does not serve
    answers 406 naming the formats it does, not a bare 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            served = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise NotAcceptable(f"There is no format {format!r} here; there is {served}.")
        return matching


MAX_ID = 2**63 - 1  # ids are 64-bit: a bigger number fails in the database


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the query string names none of the list's
    filters: the filterset's form is then built and validated only to filter nothing,
    a tenth of an unfiltered list's time (bench/load.py)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        # By prefix: a range filter `published` reads `published_after`, `published_min`.
        names = tuple(filterset_class.base_filters)
        if not any(key.startswith(names) for key in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class IdFilter(django_filters.NumberFilter):
    """A filter on an id: a whole number in the range of ids. (NumberFilter also takes 0.5,
    which finds nothing, and numbers too big for the database, which fail there.)"""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"min_value": 1, "max_value": MAX_ID, **kwargs})


class TimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 time with a zone, compared in UTC: Python accepts offsets PostgreSQL
    does not (+21:38), and the instant is what matters."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:  # year 1 at +05:00 is before year 1 in UTC
                raise ValidationError({self.field_name: ["This time is out of range."]}) from None
        return super().filter(qs, value)


class LastModifiedMixin:
    """Detail answers carry Last-Modified from the object's `last_modified_field` (the
    ETag comes from ConditionalGetMiddleware, which also answers 304)."""

    last_modified_field = "updated_at"

    def get_object(self):
        self.object_for_headers = super().get_object()
        return self.object_for_headers

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        shown = getattr(self, "object_for_headers", None)
        stamp = getattr(shown, self.last_modified_field, None)
        if self.action == "retrieve" and response.status_code == 200 and stamp is not None:
            response["Last-Modified"] = http_date(stamp.timestamp())
        return response
