"""The claim filters, shared by the claims page (and the API to come)."""

import django_filters
from django.db.models import Q

from articles.models import Source, SourceKind
from claims.models import Claim, ClaimKind, Status, Tag


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text")
    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), to_field_name="name", label="Tag"
    )
    speaker = django_filters.ModelChoiceFilter(
        field_name="appearances__speaker",
        queryset=Source.objects.all(),
        label="Speaker",
        distinct=True,
    )
    outlet = django_filters.ModelChoiceFilter(
        method="by_outlet",
        queryset=Source.objects.filter(kind=SourceKind.PUBLICATION),
        label="Outlet",
    )
    made_after = django_filters.DateFilter(
        field_name="appearances__article__published_at",
        lookup_expr="date__gte",
        label="Made on or after",
        distinct=True,
    )
    made_before = django_filters.DateFilter(
        field_name="appearances__article__published_at",
        lookup_expr="date__lte",
        label="Made on or before",
        distinct=True,
    )
    quote_lost = django_filters.BooleanFilter(
        method="by_lost_quote", label="A quote gone from its edited article"
    )
    sort = django_filters.OrderingFilter(
        fields=[
            ("updated_at", "updated"),
            ("created_at", "created"),
            ("status_changed_at", "ruled"),
            ("resolves_by", "resolves_by"),
        ],
        label="Sort",
    )

    class Meta:
        model = Claim
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(text__icontains=value)

    def by_outlet(self, queryset, name, source):
        """Made in an article the outlet published, or relayed by it."""
        return queryset.filter(
            Q(appearances__article__publication=source) | Q(appearances__outlet=source)
        ).distinct()

    def by_lost_quote(self, queryset, name, value):
        lost = Claim.objects.with_lost_quotes().values("pk")
        return queryset.filter(pk__in=lost) if value else queryset.exclude(pk__in=lost)
