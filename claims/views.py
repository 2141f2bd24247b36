"""Read-only claim pages: the list, and each claim with its evidence and history."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from claims.models import Appearance, Claim, Evidence
from claims.presentation import evidence_excerpt
from claims.selectors import claim_suggested_status, dashboard_figures


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
