from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import include, path

from claims.views import ArticleDetail, Dashboard, SourceDetail
from claimtrack.health import healthz

admin.site.site_header = "ClaimTrack administration"
admin.site.site_title = "ClaimTrack"


def _reset_by_email(view):
    """Django's password-reset page, or, with no mail server configured (EMAIL_HOST),
    one that says to ask an administrator: no page promises an email that cannot leave."""
    django_view = view.as_view()

    def page(request, *args, **kwargs):
        if not settings.EMAIL_HOST:
            return render(request, "registration/password_reset_unavailable.html")
        return django_view(request, *args, **kwargs)

    return page


_PASSWORD_RESET = [
    ("password_reset/", auth_views.PasswordResetView, "password_reset"),
    ("password_reset/done/", auth_views.PasswordResetDoneView, "password_reset_done"),
    ("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView, "password_reset_confirm"),
    ("reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
]

urlpatterns = [
    path("", Dashboard.as_view(), name="dashboard"),
    *(
        path(f"accounts/{route}", _reset_by_email(view), name=name)
        for route, view, name in _PASSWORD_RESET
    ),
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
