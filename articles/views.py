"""Read-only lists of articles and sources; pages that show claims live on the claims side."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.views.generic import DetailView, FormView, ListView

from articles.filters import ArticleFilter
from articles.forms import PasteArticleForm
from articles.listing import FilteredListView
from articles.models import Article, ArticleOrigin, Job, Source, SourceKind
from articles.services import article_create, source_get_or_create


class ArticleList(LoginRequiredMixin, PermissionRequiredMixin, FilteredListView):
    permission_required = "articles.view_article"
    template_name = "articles/article_list.html"
    paginate_by = 50
    filterset_class = ArticleFilter

    def base_queryset(self):
        return Article.objects.select_related("publication").defer("text")


class SourceList(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "articles.view_source"
    template_name = "articles/source_list.html"
    paginate_by = 100

    def get_queryset(self):
        return Source.objects.annotate(article_count=Count("articles")).order_by("kind", "name")


class AddArticle(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Add an article by pasting it. (Fetching from a URL or a feed, and uploads, come with
    the ingestion issue; their forms will sit beside this one.)"""

    permission_required = "articles.add_article"
    template_name = "articles/add_article.html"
    form_class = PasteArticleForm

    def form_valid(self, form):
        data = form.cleaned_data
        outlet = data["outlet"].strip()
        try:
            stored = article_create(
                title=data["title"],
                text=data["text"],
                url=data["url"] or None,
                origin=ArticleOrigin.PASTE,
                publication=source_get_or_create(name=outlet, kind=SourceKind.PUBLICATION)
                if outlet
                else None,
                author=data["author"],
                published_at=data["published_at"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        if stored.created:
            messages.success(self.request, "Article added; the engine is checking it now.")
        else:
            messages.info(self.request, "This article was already stored: here it is.")
        return redirect("article-detail", pk=stored.article.pk)


class SourceOptions(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """<option>s for a source name field's autocomplete: ?q= matches names and aliases,
    ?kind=publication limits to outlets (otherwise every other kind)."""

    permission_required = "articles.view_source"
    template_name = "articles/source_options.html"
    limit = 20

    def get_queryset(self):
        # An autocompleting field sends its own name and value (speaker=..., outlet=...).
        params = self.request.GET
        query = params.get("q") or params.get("speaker") or params.get("outlet") or ""
        query = query.strip()[:200]
        sources = Source.objects.all()
        if self.request.GET.get("kind") == SourceKind.PUBLICATION:
            sources = sources.publications()
        else:
            sources = sources.exclude(kind=SourceKind.PUBLICATION)
        if query:
            sources = sources.filter(
                Q(name__icontains=query) | Q(aliases__name__icontains=query)
            ).distinct()
        return sources.order_by("name")[: self.limit]


class JobDetail(LoginRequiredMixin, DetailView):
    """A job's progress bar; htmx re-reads it (the `progress` partial) until the job ends.
    Only the person who started a job (or a superuser) sees it; to others it does not
    exist."""

    template_name = "articles/job_detail.html"

    def get_queryset(self):
        jobs = Job.objects.all()
        return jobs if self.request.user.is_superuser else jobs.filter(created_by=self.request.user)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["articles/job_progress.html"]
        return [self.template_name]
