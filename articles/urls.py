from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="list"),
    path("sources/", views.SourceList.as_view(), name="sources"),
]
