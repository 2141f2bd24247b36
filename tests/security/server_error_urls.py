"""The project's URLs plus two views that fail, for the error-page tests."""

from django.urls import path
from rest_framework.views import APIView

from claimtrack.urls import handler500  # noqa: F401
from claimtrack.urls import urlpatterns as project_urls

SECRET = "s3cret-in-a-local-variable"


def page_that_fails(request):
    database_password = SECRET  # noqa: F841 (a local the error report would show)
    raise RuntimeError(f"the page failed with {SECRET}")


class ApiThatFails(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        database_password = SECRET  # noqa: F841
        raise RuntimeError(f"the API failed with {SECRET}")


urlpatterns = [
    path("fails/", page_that_fails),
    path("api/v1/fails/", ApiThatFails.as_view()),
    *project_urls,
]
