from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="list"),
    path("articles/add/", views.AddArticle.as_view(), name="add"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("jobs/<uuid:pk>/", views.JobDetail.as_view(), name="job"),
    path("sources/options/", views.SourceOptions.as_view(), name="source-options"),
]
