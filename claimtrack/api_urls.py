"""/api/v1/: one router for both apps' endpoints, token sign-in, schema and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api import register as register_articles
from articles.api_ingest import IngestView
from articles.api_ingest import register as register_jobs
from claims.api.urls import register as register_claims
from claims.api.urls import urlpatterns as claims_api_urls
from claimtrack.auth_api import ObtainToken
from claimtrack.rest_errors import no_such_endpoint

router = DefaultRouter(trailing_slash="/?")
register_articles(router)
register_claims(router)
register_jobs(router)

urlpatterns = [
    path("api/v1/auth/token/", ObtainToken.as_view(), name="api-token"),
    path("api/v1/articles/ingest", IngestView.as_view(), name="articles-ingest"),
    path("api/v1/", include(claims_api_urls)),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its init script served as a file (/api/docs/?script=), not inline,
    # so it runs under the Content Security Policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # Last: any other path under /api/v1/ is the API's 404, in its error shape (newlines
    # included). Only paths ending in a slash, so APPEND_SLASH still redirects the others.
    re_path(r"^api/v1/[\s\S]+/$", no_such_endpoint),
]
