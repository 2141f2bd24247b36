from django.contrib import admin
from django.urls import include, path

from claims.views import ArticleDetail, Dashboard, SourceDetail
from claimtrack.health import healthz

admin.site.site_header = "ClaimTrack administration"
admin.site.site_title = "ClaimTrack"

urlpatterns = [
    path("", Dashboard.as_view(), name="dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("claimtrack.api_urls")),
    path("claims/", include("claims.urls")),
    path("feeds/status-changes/", include("claims.feeds")),
    path("", include("articles.urls")),
    path("articles/<int:pk>/", ArticleDetail.as_view(), name="article-detail"),
    path("sources/<int:pk>/", SourceDetail.as_view(), name="source-detail"),
]

# The database away raises from middleware too (sessions): answered 503, not 500.
handler500 = "claimtrack.db_unavailable.server_error"
