"""Routes of the claims side of the API, registered on the project's router."""

from django.urls import path, re_path

from claims.api import views
from claims.api.suggestions import ArticleSuggestions, SuggestionAccept, SuggestionDismiss
from claims.api.webhooks import WebhookViewSet


def register(router) -> None:
    router.register("claims", views.ClaimViewSet, basename="claim")
    router.register("appearances", views.AppearanceViewSet, basename="appearance")
    router.register("evidence", views.EvidenceViewSet, basename="evidence")
    router.register("webhooks", WebhookViewSet, basename="webhook")


# Endpoints outside the router.
urlpatterns = [
    path("changes/", views.ChangesFeed.as_view(), name="changes"),
    re_path(
        r"^articles/(?P<pk>\d+)/suggestions/?$",
        ArticleSuggestions.as_view(),
        name="article-suggestions",
    ),
    re_path(
        r"^suggestions/(?P<pk>\d+)/accept/?$", SuggestionAccept.as_view(), name="suggestion-accept"
    ),
    re_path(
        r"^suggestions/(?P<pk>\d+)/dismiss/?$",
        SuggestionDismiss.as_view(),
        name="suggestion-dismiss",
    ),
]
