"""Query-string filters of the API's lists (django-filter). Repeating `status` (or any
multiple-choice filter) means OR."""

import django_filters as filters
from django.db.models import Q

from claims.models import (
    Appearance,
    ChangeEvent,
    Claim,
    ClaimKind,
    EventKind,
    Evidence,
    ReviewState,
    Stance,
    Status,
)
from claimtrack.rest import IdFilter, TimeFilter


class ClaimFilter(filters.FilterSet):
    # No DISTINCT of their own: a claim has one status and one kind (see filter_queryset).
    status = filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    kind = filters.MultipleChoiceFilter(choices=ClaimKind.choices, distinct=False)
    tag = filters.CharFilter(field_name="tags__name", help_text="A tag's name.")
    speaker = IdFilter(
        field_name="appearances__speaker", help_text="Claims made by this source (id)."
    )
    outlet = IdFilter(method="filter_outlet", help_text="Reported by this outlet (id).")
    article = IdFilter(
        field_name="appearances__article", help_text="Claims made in this article (id)."
    )
    updated_after = TimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = TimeFilter(field_name="created_at", lookup_expr="gte")
    resolves_before = filters.DateFilter(field_name="resolves_by", lookup_expr="lte")
    q = filters.CharFilter(method="filter_text", help_text="Words in the claim's text.")

    class Meta:
        model = Claim
        fields = []

    def filter_outlet(self, queryset, name, value: int):  # the hint types it in the schema
        return queryset.filter(
            Q(appearances__outlet=value) | Q(appearances__article__publication=value)
        )

    def filter_text(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(text__icontains=word)
        return queryset

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        if len(filtered.query.alias_map) == len(queryset.query.alias_map):
            return filtered
        # Joins through appearances or tags can repeat a claim: keep each once with a
        # semi-join (`id IN (...)`), which still reads the page in index order, where
        # DISTINCT would first sort every matching claim.
        return queryset.filter(pk__in=filtered.values("pk"))


class AppearanceFilter(filters.FilterSet):
    claim = IdFilter()
    article = IdFilter()
    speaker = IdFilter()
    outlet = IdFilter()
    created_after = TimeFilter(field_name="created_at", lookup_expr="gte")
    q = filters.CharFilter(field_name="quote", lookup_expr="icontains", help_text="In the quote.")

    class Meta:
        model = Appearance
        fields = []


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter()
    article = IdFilter()
    stance = filters.MultipleChoiceFilter(choices=Stance.choices)
    review_state = filters.MultipleChoiceFilter(choices=ReviewState.choices)
    by_engine = filters.BooleanFilter(field_name="found_by", lookup_expr="isnull")
    updated_after = TimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = TimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Evidence
        fields = []


class ChangeEventFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=EventKind.choices)
    claim = IdFilter(field_name="claim_id")

    class Meta:
        model = ChangeEvent
        fields = []
