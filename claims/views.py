"""The newsroom pages: dashboard, claims, articles with their quotes, sources, review."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from articles.jobs import job_create, job_dispatch
from articles.listing import FilteredListView
from articles.models import Article, Source, SourceKind
from claims import timeline
from claims.errors import ClaimTrackError
from claims.filters import ClaimFilter
from claims.forms import BulkReviewForm, LogClaimForm, MergeForm, ReviewForm, SetStatusForm
from claims.models import Appearance, Claim, Evidence, Suggestion, SuggestionState
from claims.presentation import evidence_excerpt, highlight_quotes
from claims.selectors import (
    claim_history,
    claim_suggested_status,
    claims_similar,
    dashboard_figures,
    source_track_record,
)
from claims.services import (
    claim_log_from_passage,
    claim_set_status,
    claims_merge,
    evidence_review,
    source_named,
)
from claims.suggestions import suggestion_accept, suggestion_dismiss
from claims.tasks import review_evidence_bulk


class Dashboard(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "claims.view_claim"
    template_name = "claims/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = dashboard_figures(today=timezone.localdate())
        return context


class ClaimList(LoginRequiredMixin, PermissionRequiredMixin, FilteredListView):
    permission_required = "claims.view_claim"
    template_name = "claims/claim_list.html"
    paginate_by = 50
    filterset_class = ClaimFilter

    def base_queryset(self):
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

    def get(self, request, *args, **kwargs):
        merged = Claim.all_objects.filter(pk=kwargs["pk"], merged_into__isnull=False).first()
        if merged is not None:  # an old link to a duplicate leads to the claim kept
            messages.info(request, f"Claim #{merged.pk} was merged into this claim.")
            return redirect("claims:detail", pk=merged.merged_into_id)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        context["evidence"] = [(e, evidence_excerpt(e)) for e in claim.evidence.all()]
        context["history"] = claim_history(claim)
        made = [a.article.published_at for a in claim.appearances.all() if a.article.published_at]
        context["timeline"] = timeline.build(
            start=min(made, default=claim.created_at),
            changes=sorted(claim.status_changes.all(), key=lambda c: c.seq),
            evidence=claim.evidence.all(),
        )
        context["suggestion"] = claim_suggested_status(claim)
        if self.request.user.has_perm("claims.set_claim_status"):
            context["status_form"] = SetStatusForm(
                initial={
                    "expected": claim.status,
                    "status": getattr(context["suggestion"], "status", None),
                }
            )
        if self.request.user.has_perm("claims.merge_claims"):
            context["merge_form"] = MergeForm(prefix="merge")
            context["merge_candidates"] = [
                (other, score) for other, score in claims_similar(claim.text) if other != claim
            ]
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
        suggestions = list(
            Suggestion.objects.filter(article=self.object, state=SuggestionState.OPEN)
            .select_related("duplicate_of")
            .order_by("-score", "start")
        )
        context["appearances"] = appearances
        context["suggestions"] = suggestions
        context["text"] = highlight_quotes(self.object.text, appearances, suggestions)
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


class ReviewQueue(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Pending evidence, strongest first, for editors to accept or reject."""

    permission_required = "claims.view_evidence"
    template_name = "claims/review_queue.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            Evidence.objects.pending_review()
            .select_related("claim", "article__publication", "found_by")
            .order_by("-score", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_review"] = self.request.user.has_perm("claims.review_evidence")
        return context


class ReviewDecision(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Accept or reject one evidence item (POST only); answers htmx with the item's new
    state, and a plain form post with a redirect back to the queue."""

    permission_required = "claims.review_evidence"
    http_method_names = ["post"]

    def post(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.select_related("claim", "article"), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text())
        try:
            evidence_review(
                evidence=evidence,
                state=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                corrected_stance=form.cleaned_data["corrected_stance"],
                actor=request.user,
            )
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        evidence.refresh_from_db()
        if request.headers.get("HX-Request"):
            return render(request, "claims/review_done.html", {"evidence": evidence})
        messages.success(request, f"Evidence {evidence.get_review_state_display().lower()}.")
        return redirect("claims:review")


class ReviewBulk(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Accept or reject the selected evidence items as one job: a task does the work and
    the job page shows its progress."""

    permission_required = "claims.review_evidence"
    http_method_names = ["post"]

    def post(self, request):
        form = BulkReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("claims:review")
        ids = sorted(e.pk for e in form.cleaned_data["evidence"])
        decision = form.cleaned_data["decision"]
        job = job_create(
            kind="bulk-review",
            actor=request.user,
            total=len(ids),
            return_url=reverse("claims:review"),
        )
        args = (str(job.pk), ids, decision, request.user.pk, form.cleaned_data["note"])
        transaction.on_commit(lambda: job_dispatch(review_evidence_bulk, *args))
        return redirect("articles:job", pk=job.pk)


class SetStatus(LoginRequiredMixin, PermissionRequiredMixin, View):
    """An editor sets a claim's status through the status service; a refusal (stale,
    not allowed, no note) comes back as a message on the claim page, never a crash."""

    permission_required = "claims.set_claim_status"
    http_method_names = ["post"]

    def post(self, request, pk):
        claim = get_object_or_404(Claim, pk=pk)
        form = SetStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a status and explain it in a note.")
            return redirect("claims:detail", pk=pk)
        try:
            claim_set_status(
                claim=claim,
                to=form.cleaned_data["status"],
                expected=form.cleaned_data["expected"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ClaimTrackError as refused:
            messages.error(request, refused.message)
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
        else:
            messages.success(request, f"Status set to {claim.get_status_display().lower()}.")
        return redirect("claims:detail", pk=pk)


def _selected_span(text: str, params) -> tuple[int, int] | None:
    """The (start, end) a journalist selected, trimmed of surrounding white space; None
    when the parameters are missing, out of range or select only white space."""
    try:
        start, end = int(params.get("start", "")), int(params.get("end", ""))
    except ValueError:
        return None
    if not 0 <= start < end <= len(text):
        return None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class LogClaim(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Log a selected passage of an article as a claim, or as a new appearance of a
    similar claim already tracked. GET takes the selection as ?start=&end=."""

    permission_required = ("claims.add_claim", "claims.add_appearance")
    template_name = "claims/log_claim.html"
    _CONTEXT_CHARS = 200

    def get(self, request, pk):
        article = get_object_or_404(Article.objects.select_related("publication"), pk=pk)
        suggested = self._suggestion(request.GET.get("suggestion"), article)
        if suggested is not None:  # edit-then-accept: the engine's proposal, to correct
            return self._render(
                request, article, self._suggestion_form(suggested), suggested.start, suggested.end
            )
        span = _selected_span(article.text, request.GET)
        if span is None:
            messages.error(request, "Select the passage to log in the article's text first.")
            return redirect("article-detail", pk=article.pk)
        start, end = span
        quote = article.text[start:end]
        form = LogClaimForm(
            initial={
                "start": start,
                "end": end,
                "quote": quote,
                "text": " ".join(quote.split()),
                "outlet": article.publication.name if article.publication else "",
            }
        )
        return self._render(request, article, form, start, end)

    @staticmethod
    def _suggestion(raw, article):
        if not (raw or "").isdigit():
            return None
        return Suggestion.objects.filter(
            pk=int(raw), article=article, state=SuggestionState.OPEN
        ).first()

    @staticmethod
    def _suggestion_form(suggested):
        return LogClaimForm(
            initial={
                "start": suggested.start,
                "end": suggested.end,
                "quote": suggested.quote,
                "text": suggested.wording,
                "kind": suggested.kind,
                "speaker": suggested.speaker,
                "speaker_kind": suggested.speaker_kind or SourceKind.PERSON,
                "outlet": suggested.outlet,
                "attribution": suggested.attribution,
                "anonymous_count": suggested.anonymous_count,
                "suggestion": suggested.pk,
            }
        )

    def post(self, request, pk):
        article = get_object_or_404(Article.objects.select_related("publication"), pk=pk)
        form = LogClaimForm(request.POST)
        if form.is_valid():
            appearance = self._save(request, article, form)
            if appearance is not None:
                messages.success(request, f"Logged as claim #{appearance.claim_id}.")
                return redirect(reverse("article-detail", args=[pk]) + f"#quote-{appearance.pk}")
        start, end = form.cleaned_data.get("start", 0), form.cleaned_data.get("end", 0)
        return self._render(request, article, form, start, end)

    def _save(self, request, article, form):
        data = form.cleaned_data
        attach_to = None
        if data["attach_to"] is not None:
            attach_to = Claim.objects.filter(pk=data["attach_to"]).first()
            if attach_to is None:
                form.add_error(None, "The claim to attach to no longer exists.")
                return None
        try:
            # One transaction: a refused quote leaves no new speaker or outlet behind.
            with transaction.atomic():
                return self._log(request, article, data, attach_to, form.tag_names())
        except ValidationError as refused:
            form.add_error(None, refused.messages)
            return None

    def _log(self, request, article, data, attach_to, tags):
        choices = {
            "attach_to": attach_to,
            "text": data["text"],
            "kind": data["kind"],
            "tags": tags,
            "resolves_by": data["resolves_by"],
            "speaker": source_named(data["speaker"], kind=data["speaker_kind"]),
            "outlet": source_named(data["outlet"], kind=SourceKind.PUBLICATION),
            "attribution": data["attribution"],
            "anonymous_count": data["anonymous_count"],
        }
        suggested = self._suggestion(str(data.get("suggestion") or ""), article)
        if suggested is not None and (suggested.start, suggested.end) == (
            data["start"],
            data["end"],
        ):
            return suggestion_accept(suggestion=suggested, actor=request.user, **choices)
        return claim_log_from_passage(
            article=article,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            actor=request.user,
            **choices,
        )

    def _render(self, request, article, form, start, end):
        text, around = article.text, self._CONTEXT_CHARS
        context = {
            "article": article,
            "form": form,
            "start": start,
            "end": end,
            "before": text[max(0, start - around) : start],
            "quote": text[start:end],
            "after": text[end : end + around],
            "cut_before": start > around,
            "cut_after": end + around < len(text),
            "similar": claims_similar(form["text"].value() or text[start:end]),
        }
        return render(request, self.template_name, context)


class SimilarClaims(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The claims worded like ?text=, as the "similar claims" panel of the Log claim form."""

    permission_required = "claims.view_claim"
    http_method_names = ["get"]

    def get(self, request):
        text = request.GET.get("text", "")[:2000]
        return render(request, "claims/similar_claims.html", {"similar": claims_similar(text)})


class MergeClaims(LoginRequiredMixin, PermissionRequiredMixin, View):
    """An editor merges a duplicate (POSTed by number) into the claim at `pk`."""

    permission_required = "claims.merge_claims"
    http_method_names = ["post"]

    def post(self, request, pk):
        kept = get_object_or_404(Claim, pk=pk)
        form = MergeForm(request.POST, prefix="merge")
        if not form.is_valid():
            messages.error(request, "Give the duplicate's number and a note.")
            return redirect("claims:detail", pk=pk)
        duplicate = Claim.objects.filter(pk=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            messages.error(request, f"There is no tracked claim #{form.cleaned_data['duplicate']}.")
            return redirect("claims:detail", pk=pk)
        try:
            record = claims_merge(
                keep=kept, merge=duplicate, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                f"Claim #{duplicate.pk} merged into this claim: {record.moved_appearances} "
                f"appearance(s) and {record.moved_evidence} evidence item(s) moved.",
            )
        return redirect("claims:detail", pk=pk)


class SuggestionDecision(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Accept a suggestion as it stands (or, with attach=1, as a new appearance of the
    tracked claim it duplicates), or dismiss it. POST only."""

    permission_required = "claims.change_suggestion"
    http_method_names = ["post"]

    def post(self, request, pk, decision):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        back = reverse("article-detail", args=[suggestion.article_id])
        try:
            if decision == "dismiss":
                suggestion_dismiss(suggestion=suggestion, actor=request.user)
                messages.info(request, "Suggestion dismissed.")
                return redirect(back)
            duplicate = suggestion.duplicate_of if request.POST.get("attach") else None
            overrides = {"attach_to": duplicate} if duplicate else {}
            appearance = suggestion_accept(suggestion=suggestion, actor=request.user, **overrides)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect(back)
        messages.success(request, f"Logged as claim #{appearance.claim_id}.")
        return redirect(f"{back}#quote-{appearance.pk}")
