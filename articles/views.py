"""Read-only lists of articles and sources; pages that show claims live on the claims side."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count
from django.views.generic import ListView

from articles.models import Article, Source


class ArticleList(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "articles.view_article"
    template_name = "articles/article_list.html"
    paginate_by = 50

    def get_queryset(self):
        articles = Article.objects.select_related("publication").defer("text")
        if query := self.request.GET.get("q", "").strip():
            articles = articles.filter(title__icontains=query)
        return articles


class SourceList(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "articles.view_source"
    template_name = "articles/source_list.html"
    paginate_by = 100

    def get_queryset(self):
        return Source.objects.annotate(article_count=Count("articles")).order_by("kind", "name")
