"""How the REST API behaves everywhere: permissions, pagination, throttling and
Last-Modified on details (the error shape is in `rest_errors`). Settings point here; the
apps' API modules use these classes."""

from django.conf import settings
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


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
        if request.method.lower() not in getattr(view, "http_method_names", ()):
            return True  # the view answers 405, which says more than a 403
        if (
            request.method in SAFE_METHODS
            and settings.CLAIMTRACK_API_PUBLIC_READ
            and not request.user.is_authenticated
        ):
            return True
        return super().has_permission(request, view)


class Pagination(CursorPagination):
    """Cursor pages: stable while rows are added, with a capped page size."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


class UserThrottle(UserRateThrottle):
    """Per token when the request carries one, else per user."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, Token):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)


class AnonThrottle(AnonRateThrottle):
    pass


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
