from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="list"),
    path("articles/add/", views.AddArticle.as_view(), name="add"),
    path("articles/add/url/", views.AddFromUrl.as_view(), name="add-url"),
    path("articles/add/upload/", views.UploadArticles.as_view(), name="upload"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("jobs/<uuid:pk>/", views.JobDetail.as_view(), name="job"),
    path("sources/options/", views.SourceOptions.as_view(), name="source-options"),
    path("articles/feeds/", views.FeedList.as_view(), name="feeds"),
    path("articles/feeds/<int:pk>/", views.FeedDetail.as_view(), name="feed"),
    path("articles/feeds/<int:pk>/poll/", views.PollFeedNow.as_view(), name="feed-poll"),
]
