"""The articles side of the REST API: articles and sources. Writes go through the
services; a duplicate article or source answers 200 with the one already stored."""

import django_filters as filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from articles.models import Article, ArticleOrigin, Source, SourceKind
from articles.services import (
    article_create,
    article_update,
    source_describe,
    source_get_or_create,
)
from claimtrack.rest import IdFilter, LastModifiedMixin, TimeFilter
from claimtrack.rest_errors import errors


class ArticleSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(
        source="publication.name",
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=200,
        help_text="The publication's name; a new name creates the publication. Blank or "
        "null: none.",
    )
    outlet_id = serializers.IntegerField(source="publication_id", read_only=True, allow_null=True)
    url = serializers.URLField(required=False, allow_null=True, allow_blank=True, max_length=2000)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "title",
            "text",
            "outlet",
            "outlet_id",
            "author",
            "published_at",
            "retrieved_at",
            "language",
            "origin",
            "created_at",
        ]
        read_only_fields = ["retrieved_at", "language", "origin", "created_at"]
        validators = []  # duplicates are the service's business: it returns the stored one

    def to_representation(self, article):
        data = super().to_representation(article)
        data.setdefault("outlet", None)
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:  # what anchors quotes and makes it unique stays
            self.fields["text"].read_only = True
            self.fields["url"].read_only = True


class ArticleFilter(filters.FilterSet):
    outlet = IdFilter(field_name="publication", help_text="Publication (source id).")
    published_after = TimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = TimeFilter(field_name="published_at", lookup_expr="lte")
    created_after = TimeFilter(field_name="created_at", lookup_expr="gte")
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", help_text="In the title.")

    class Meta:
        model = Article
        fields = []


def _outlet(data: dict) -> Source | None:
    name = ((data.pop("publication", None) or {}).get("name") or "").strip()
    return source_get_or_create(name=name, kind=SourceKind.PUBLICATION) if name else None


ARTICLE_EXAMPLE = OpenApiExample(
    "An article",
    value={
        "id": 3,
        "url": "https://example.com/llama-2",
        "title": "Meta releases LLaMA 2",
        "text": "Meta released LLaMA 2 on Tuesday...",
        "outlet": "The Verge",
        "outlet_id": 2,
        "author": "A. Reporter",
        "published_at": "2023-07-18T16:00:00Z",
        "retrieved_at": None,
        "language": "en",
        "origin": "paste",
        "created_at": "2023-07-18T17:00:00Z",
    },
    response_only=True,
)
SOURCE_EXAMPLE = OpenApiExample(
    "A publication",
    value={
        "id": 2,
        "name": "Financial Times",
        "kind": "publication",
        "aliases": ["FT"],
        "description": "",
        "url": "https://www.ft.com/",
        "created_at": "2023-07-01T09:00:00Z",
    },
    response_only=True,
)


@extend_schema_view(
    list=extend_schema(
        summary="Articles",
        responses={200: ArticleSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[ARTICLE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One article",
        responses={200: ArticleSerializer, 304: None, **errors(401, 403, 404, 429)},
        examples=[ARTICLE_EXAMPLE],
    ),
    create=extend_schema(
        summary="Store an article (journalists); the same URL or text returns the stored one",
        responses={
            201: ArticleSerializer,
            200: ArticleSerializer,
            **errors(400, 401, 403, 429),
        },
        examples=[
            OpenApiExample(
                "Pasted article",
                value={
                    "title": "Meta releases LLaMA 2",
                    "text": "Meta released LLaMA 2 on Tuesday...",
                    "outlet": "The Verge",
                    "author": "A. Reporter",
                    "published_at": "2023-07-18T16:00:00Z",
                    "url": "https://example.com/llama-2",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Correct the title, outlet, author or publication time",
        responses={200: ArticleSerializer, **errors(400, 401, 403, 404, 429)},
    ),
    update=extend_schema(
        summary="Correct the title, outlet, author and publication time",
        responses={200: ArticleSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class ArticleViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    queryset = Article.objects.select_related("publication")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    last_modified_field = "created_at"

    def create(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        stored = article_create(origin=ArticleOrigin.PASTE, publication=_outlet(data), **data)
        code = status.HTTP_201_CREATED if stored.created else status.HTTP_200_OK
        return Response(self.get_serializer(stored.article).data, status=code)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "publication" in data:
            data["publication"] = _outlet(data)
        serializer.instance = article_update(article=serializer.instance, **data)


class SourceSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        source="alias_names",
        required=False,
        default=list,
        help_text="Other names it goes by; new ones are added, none removed.",
    )

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "aliases", "description", "url", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class SourceFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    q = filters.CharFilter(method="filter_name", help_text="In the name or an alias.")

    class Meta:
        model = Source
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value)
        ).distinct()


@extend_schema_view(
    list=extend_schema(
        summary="Sources: people, organisations, publications, anonymous groups",
        responses={200: SourceSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[SOURCE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One source, with its aliases",
        responses={200: SourceSerializer, 304: None, **errors(401, 403, 404, 429)},
        examples=[SOURCE_EXAMPLE],
    ),
    create=extend_schema(
        summary="Add a source, or extend the aliases of the one with that name and kind",
        responses={201: SourceSerializer, 200: SourceSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "A publication",
                value={"name": "Financial Times", "kind": "publication", "aliases": ["FT"]},
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Correct a source's description or URL, or add aliases",
        responses={200: SourceSerializer, **errors(400, 401, 403, 404, 429)},
    ),
    update=extend_schema(
        summary="Correct a source's description and URL, and add aliases",
        responses={200: SourceSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class SourceViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    queryset = Source.objects.prefetch_related("aliases")
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["id", "name", "created_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    last_modified_field = "created_at"

    def create(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        existed = Source.objects.filter(kind=data["kind"]).named(data["name"]).exists()
        source = source_get_or_create(
            name=data["name"], kind=data["kind"], aliases=tuple(data.get("alias_names", ()))
        )
        source_describe(source=source, description=data.get("description"), url=data.get("url"))
        source = self.get_queryset().get(pk=source.pk)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(source).data, status=code)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        source = self.get_object()
        incoming = self.get_serializer(source, data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if (
            data.get("name", source.name) != source.name
            or data.get("kind", source.kind) != source.kind
        ):
            raise serializers.ValidationError(
                {"name": ["A source's name and kind are fixed; add an alias instead."]}
            )
        source_get_or_create(
            name=source.name, kind=source.kind, aliases=tuple(data.get("alias_names", ()))
        )
        source_describe(source=source, description=data.get("description"), url=data.get("url"))
        return Response(self.get_serializer(self.get_queryset().get(pk=source.pk)).data)


def register(router) -> None:
    router.register("articles", ArticleViewSet, basename="article")
    router.register("sources", SourceViewSet, basename="source")
    from articles.api_feeds import register as register_feeds  # feeds: articles/api_feeds.py

    register_feeds(router)
