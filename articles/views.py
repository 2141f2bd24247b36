"""Article and source pages (lists, adding articles, jobs); pages that show claims live on
the claims side."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from articles import feeds, ingest
from articles.filters import ArticleFilter
from articles.forms import PasteArticleForm, UploadForm, UrlForm
from articles.jobs import job_create, job_dispatch
from articles.listing import FilteredListView
from articles.models import Article, ArticleOrigin, Feed, FeedEntryState, Job, Source, SourceKind
from articles.services import article_create, source_get_or_create
from articles.tasks import import_batch_job, ingest_url_job, poll_feed
from claimtrack.uploads import upload_refusal


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
    """Add an article: from a URL, from a file, or by pasting its text (this view)."""

    permission_required = "articles.add_article"
    template_name = "articles/add_article.html"
    form_class = PasteArticleForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("url_form", UrlForm())
        kwargs.setdefault("upload_form", UploadForm())
        return super().get_context_data(**kwargs)

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
        # No name holds a NUL, and PostgreSQL refuses one even in a query.
        query = query.replace("\x00", "").strip()[:200]
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


def _start_job(request, *, kind: str, source: str, task, args=()) -> HttpResponseRedirect:
    job = job_create(
        kind=kind, actor=request.user, source=source, return_url=reverse("articles:add")
    )
    transaction.on_commit(lambda: job_dispatch(task, str(job.pk), *args))
    return redirect("articles:job", pk=job.pk)


def _add_page_again(request, status=400, **forms):
    """The Add article page again, with a form's errors in place."""
    view = AddArticle()
    view.setup(request)
    return view.render_to_response(view.get_context_data(**forms), status=status)


class AddFromUrl(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Fetch an article from a URL in a task; the job page shows how it goes."""

    permission_required = "articles.add_article"
    http_method_names = ["post"]

    def post(self, request):
        form = UrlForm(request.POST)
        if not form.is_valid():
            return _add_page_again(request, url_form=form)
        url = form.cleaned_data["url"]
        return _start_job(request, kind="ingest-url", source=url, task=ingest_url_job)


class UploadArticles(LoginRequiredMixin, PermissionRequiredMixin, View):
    """One article from a text or HTML file, stored at once; or a batch, imported by a
    task with a progress bar."""

    permission_required = "articles.add_article"
    http_method_names = ["post"]

    def post(self, request):
        refusal = upload_refusal(request)  # too large: stopped as it streamed in
        form = UploadForm(request.POST, request.FILES, refusal=refusal)
        if not form.is_valid():
            return _add_page_again(request, status=413 if refusal else 400, upload_form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        if form.is_batch:
            try:
                text = ingest.batch_text(data)
            except ingest.IngestError as refused:
                form.add_error("file", refused.message)
                return _add_page_again(request, upload_form=form)
            return _start_job(
                request, kind="import", source=text, task=import_batch_job, args=(upload.name,)
            )
        html = upload.name.lower().endswith((".html", ".htm"))
        try:
            ingest.page_upload_check(data, html=html)
            document = ingest.document_from_page(
                data,
                url="",
                content_type="text/html" if html else "text/plain",
                origin=ArticleOrigin.UPLOAD,
            )
            ingested = ingest.document_ingest(document)
        except ingest.IngestError as refused:
            form.add_error("file", refused.message)
            return _add_page_again(request, upload_form=form)
        messages.success(request, ingested.message)
        return redirect("article-detail", pk=ingested.article.pk)


# --- Feeds ---------------------------------------------------------------------------------
# Subscriptions, their entries, and "Poll now".


class FeedForm(forms.Form):
    url = forms.CharField(
        label="Feed URL",
        max_length=feeds.URL_MAX_LENGTH,
        widget=forms.URLInput(
            attrs={"placeholder": "https://example.com/feed.xml", "autocomplete": "url"}
        ),
    )


def _poll_soon(feed_id: int) -> None:
    # robust: with the broker away the page still answers, and the feed, due already,
    # is polled by the next beat. Without a broker the poll runs in a thread, not in
    # this request.
    transaction.on_commit(lambda: job_dispatch(poll_feed, feed_id), robust=True)


class FeedList(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """The feeds followed, with how their polls go; and the form to follow another (POST:
    subscribe, then start a first poll)."""

    template_name = "articles/feed_list.html"
    paginate_by = 100

    def get_permission_required(self):
        if self.request.method == "POST":
            return ("articles.add_feed",)
        return ("articles.view_feed",)

    def get_queryset(self):
        return Feed.objects.annotate(
            stored_count=Count("entries", filter=Q(entries__state=FeedEntryState.STORED)),
            failed_count=Count("entries", filter=Q(entries__state=FeedEntryState.FAILED)),
        ).order_by("title", "url")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", FeedForm())
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = FeedForm(request.POST)
        if form.is_valid():
            url = form.cleaned_data["url"]
            try:
                followed = Feed.objects.filter(url=feeds.feed_url_clean(url), active=True)
                already = followed.exists()
                feed = feeds.feed_subscribe(url=url, actor=request.user)
            except ValidationError as refused:
                for problems in refused.message_dict.values():
                    form.add_error("url", problems)
            else:
                if already:
                    messages.info(request, "This feed is followed already: here it is.")
                else:
                    _poll_soon(feed.pk)
                    messages.success(
                        request,
                        "Subscribed. The first poll has started; the feed's new entries "
                        "appear below as their articles are fetched.",
                    )
                return redirect("articles:feed", pk=feed.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FeedDetail(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """One feed and its entries, newest first: what became of each (the stored article,
    or why it failed)."""

    permission_required = ("articles.view_feed", "articles.view_feedentry")
    template_name = "articles/feed_detail.html"
    paginate_by = 50

    def get_queryset(self):
        self.feed = get_object_or_404(Feed, pk=self.kwargs["pk"])
        return self.feed.entries.select_related("article").order_by("-seen_at", "-id")

    def get_context_data(self, **kwargs):
        counts = dict(
            self.feed.entries.values_list("state").annotate(n=Count("id")).values_list("state", "n")
        )
        kwargs.update(feed=self.feed, counts=counts, states=FeedEntryState)
        return super().get_context_data(**kwargs)


class PollFeedNow(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Poll a feed now, whenever it is due (a failing feed too: its backoff is skipped)."""

    permission_required = "articles.change_feed"
    http_method_names = ["post"]

    def post(self, request, pk):
        feed = get_object_or_404(Feed, pk=pk)
        if not feed.active:
            messages.error(request, "This feed is paused, so it is not polled.")
        else:
            _poll_soon(feed.pk)
            messages.success(
                request,
                "Polling the feed now: its new entries appear here as their articles are "
                "fetched (reload the page to see them).",
            )
        return redirect("articles:feed", pk=feed.pk)
