"""The articles page's filters: title search, publication and publication dates."""

import django_filters
from django import forms

from articles.models import Article, Source


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Search titles"
    )
    publication = django_filters.ModelChoiceFilter(
        queryset=Source.objects.publications().order_by("name"),
        label="Publication",
        empty_label="Any publication",
    )
    # Whole days in the current time zone, both ends included.
    published_after = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        label="Published from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    published_before = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        label="Published to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Article
        fields = []
