"""Read-only claim pages: the list, and each claim with its evidence and history."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article, Source
from claims.models import Appearance, Claim, Evidence
from claims.presentation import evidence_excerpt, highlight_quotes
from claims.selectors import claim_suggested_status, dashboard_figures, source_track_record


class Dashboard(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "claims.view_claim"
    template_name = "claims/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = dashboard_figures(today=timezone.localdate())
        return context


class ClaimList(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "claims.view_claim"
    template_name = "claims/claim_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Claim.objects.annotate(
            appearance_count=Count("appearances", distinct=True),
            evidence_count=Count("evidence", distinct=True),
        ).order_by("-updated_at", "-pk")


class ClaimDetail(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "claims.view_claim"
    template_name = "claims/claim_detail.html"
    queryset = Claim.objects.prefetch_related(
        "tags",
        Prefetch(
            "appearances",
            Appearance.objects.select_related("article__publication", "speaker", "outlet"),
        ),
        Prefetch(
            "evidence",
            Evidence.objects.select_related("article__publication", "found_by").order_by(
                "article__published_at", "pk"
            ),
        ),
        "status_changes__actor",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        context["evidence"] = [(e, evidence_excerpt(e)) for e in claim.evidence.all()]
        context["history"] = sorted(claim.status_changes.all(), key=lambda c: c.seq)
        context["suggestion"] = claim_suggested_status(claim)
        return context


class ArticleDetail(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """An article's text with the quote of every claim logged from it highlighted."""

    permission_required = "articles.view_article"
    template_name = "claims/article_detail.html"
    queryset = Article.objects.select_related("publication")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        appearances = list(
            Appearance.objects.filter(article=self.object).select_related("claim", "speaker")
        )
        context["appearances"] = appearances
        context["text"] = highlight_quotes(self.object.text, appearances)
        return context


class SourceDetail(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """A source and its track record: the claims it made, by their current status."""

    permission_required = "articles.view_source"
    template_name = "claims/source_detail.html"
    queryset = Source.objects.prefetch_related("aliases")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = Claim.objects.filter(appearances__speaker=self.object).distinct()
        context["record"] = source_track_record(self.object)
        context["claims"] = claims.order_by("status", "-updated_at")
        return context
