from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from claimtrack.health import healthz

admin.site.site_header = "ClaimTrack administration"
admin.site.site_title = "ClaimTrack"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("claims/", include("claims.urls")),
]
