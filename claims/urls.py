from django.urls import path, re_path

from claims import views

app_name = "claims"
urlpatterns = [
    path("", views.ClaimList.as_view(), name="list"),
    path("<int:pk>/", views.ClaimDetail.as_view(), name="detail"),
    path("<int:pk>/status/", views.SetStatus.as_view(), name="set-status"),
    path("<int:pk>/merge/", views.MergeClaims.as_view(), name="merge"),
    path("similar/", views.SimilarClaims.as_view(), name="similar"),
    path("log/<int:pk>/", views.LogClaim.as_view(), name="log"),
    re_path(
        r"^suggestions/(?P<pk>\d+)/(?P<decision>accept|dismiss)/$",
        views.SuggestionDecision.as_view(),
        name="suggestion-decision",
    ),
    path("review/", views.ReviewQueue.as_view(), name="review"),
    path("review/bulk/", views.ReviewBulk.as_view(), name="review-bulk"),
    path("review/<int:pk>/", views.ReviewDecision.as_view(), name="review-decision"),
]
