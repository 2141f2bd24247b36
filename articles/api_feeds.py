"""/api/v1/feeds/: the RSS and Atom feeds the newsroom follows (see articles.feeds), the
entries each one brought, and polling one now. Subscribing to an address already followed
answers 200 with the stored feed."""

import django_filters as filters
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from articles import feeds
from articles.jobs import job_dispatch
from articles.models import Feed, FeedEntry, FeedEntryState
from articles.tasks import poll_feed
from claimtrack.rest import LastModifiedMixin, ModelPermissions
from claimtrack.rest_errors import error_response, errors

# --- Permissions -----------------------------------------------------------------------------


class PollPermissions(ModelPermissions):
    """Polling a feed now changes it: `articles.change_feed`."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class EntryPermissions(ModelPermissions):
    """Reading a feed's entries also needs the permission to view entries."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        user = request.user
        return not (user and user.is_authenticated) or user.has_perm("articles.view_feedentry")


# --- Serializers -----------------------------------------------------------------------------

_MINUTES_HELP = (
    f"Minutes between polls, from {feeds.POLL_MINUTES_MIN} to {feeds.POLL_MINUTES_MAX}. "
    "A failing feed waits longer: this times 2 to the power of its failures, at most a day."
)


class FeedSerializer(serializers.ModelSerializer):
    # Plain strings, not "uri": the site is "" until a poll finds it.
    url = serializers.CharField(read_only=True, help_text="The feed's address.")
    site_url = serializers.CharField(
        read_only=True, help_text="The site the feed is of, as the feed says; may be empty."
    )
    entries_stored = serializers.IntegerField(
        read_only=True, help_text="Entries whose article is stored."
    )

    class Meta:
        model = Feed
        fields = [
            "id",
            "url",
            "title",
            "site_url",
            "active",
            "poll_minutes",
            "last_polled_at",
            "next_poll_at",
            "last_error",
            "failures",
            "entries_stored",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "title": {"help_text": "The feed's own title, read at each poll."},
            "last_polled_at": {"help_text": "When the last poll ended; null before the first."},
            "next_poll_at": {"help_text": "When the next poll is due."},
        }


class FeedCreateSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=feeds.URL_MAX_LENGTH,
        help_text="The http:// or https:// address of an RSS or Atom feed. Hosts on private, "
        "loopback or reserved networks are refused.",
    )
    poll_minutes = serializers.IntegerField(
        min_value=feeds.POLL_MINUTES_MIN,
        max_value=feeds.POLL_MINUTES_MAX,
        required=False,
        help_text=_MINUTES_HELP + " Left out: 30.",
    )


class FeedUpdateSerializer(serializers.Serializer):
    active = serializers.BooleanField(
        required=False, help_text="false pauses the feed; true resumes it, due at once."
    )
    poll_minutes = serializers.IntegerField(
        min_value=feeds.POLL_MINUTES_MIN,
        max_value=feeds.POLL_MINUTES_MAX,
        required=False,
        help_text=_MINUTES_HELP,
    )


class FeedEntrySerializer(serializers.ModelSerializer):
    feed = serializers.IntegerField(source="feed_id", read_only=True)
    link = serializers.CharField(
        read_only=True, help_text="The article's address; empty when the entry had none."
    )
    article = serializers.IntegerField(
        source="article_id",
        read_only=True,
        allow_null=True,
        help_text="The stored article (its id), once fetched.",
    )

    class Meta:
        model = FeedEntry
        fields = [
            "id",
            "feed",
            "guid",
            "link",
            "title",
            "published_at",
            "state",
            "error",
            "article",
            "seen_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "guid": {"help_text": "The entry's id in the feed (else its link)."},
            "error": {"help_text": "Why the article could not be fetched, when it failed."},
            "seen_at": {"help_text": "When a poll first saw the entry."},
        }


POLL_ACCEPTED = inline_serializer(
    "FeedPollAccepted",
    {
        "feed": serializers.IntegerField(),
        "entries": serializers.URLField(help_text="Where the new entries will appear."),
        "message": serializers.CharField(),
    },
)


class FeedFilter(filters.FilterSet):
    active = filters.BooleanFilter(help_text="Only active (true) or paused (false) feeds.")
    q = filters.CharFilter(method="filter_text", help_text="In the title or the address.")

    class Meta:
        model = Feed
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(url__icontains=value))


# --- Views -----------------------------------------------------------------------------------

FEED_EXAMPLE = OpenApiExample(
    "A feed",
    value={
        "id": 4,
        "url": "https://www.example.com/technology/rss.xml",
        "title": "Example News: Technology",
        "site_url": "https://www.example.com/technology",
        "active": True,
        "poll_minutes": 30,
        "last_polled_at": "2024-02-01T09:30:02Z",
        "next_poll_at": "2024-02-01T10:00:02Z",
        "last_error": "",
        "failures": 0,
        "entries_stored": 57,
        "created_at": "2024-01-12T14:00:00Z",
        "updated_at": "2024-02-01T09:30:02Z",
    },
    response_only=True,
)
FAILING_FEED_EXAMPLE = OpenApiExample(
    "A failing feed, backing off",
    value={
        "id": 5,
        "url": "https://blog.example.org/atom.xml",
        "title": "Example Blog",
        "site_url": "https://blog.example.org/",
        "active": True,
        "poll_minutes": 30,
        "last_polled_at": "2024-02-01T09:00:00Z",
        "next_poll_at": "2024-02-01T13:00:00Z",
        "last_error": "The site had an error; try again later (503 Service Unavailable).",
        "failures": 3,
        "entries_stored": 12,
        "created_at": "2024-01-20T08:00:00Z",
        "updated_at": "2024-02-01T09:00:00Z",
    },
    response_only=True,
)
STORED_ENTRY_EXAMPLE = OpenApiExample(
    "An entry whose article is stored",
    value={
        "id": 311,
        "feed": 4,
        "guid": "https://www.example.com/technology/llama-2",
        "link": "https://www.example.com/technology/llama-2",
        "title": "Meta releases LLaMA 2",
        "published_at": "2024-02-01T08:10:00Z",
        "state": "stored",
        "error": "",
        "article": 88,
        "seen_at": "2024-02-01T09:30:01Z",
    },
    response_only=True,
)
FAILED_ENTRY_EXAMPLE = OpenApiExample(
    "An entry whose link was refused",
    value={
        "id": 310,
        "feed": 4,
        "guid": "tag:example.com,2024:310",
        "link": "http://10.0.0.1/internal",
        "title": "An entry pointing inside a network",
        "published_at": None,
        "state": "failed",
        "error": "10.0.0.1 is on a private or internal network, so ClaimTrack will not fetch it.",
        "article": None,
        "seen_at": "2024-02-01T09:30:01Z",
    },
    response_only=True,
)
_HOW = (
    "Active feeds are polled every `poll_minutes` with conditional requests (ETag and "
    "Last-Modified); each entry not seen before is recorded and its article fetched and "
    "stored by a task. A failing feed keeps its error in `last_error` and is tried again "
    "later, backing off exponentially."
)


@extend_schema_view(
    list=extend_schema(
        summary="Feeds followed",
        description=_HOW,
        responses={200: FeedSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[FEED_EXAMPLE, FAILING_FEED_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One feed, with how its polls go",
        responses={200: FeedSerializer, 304: None, **errors(401, 403, 404, 429)},
        examples=[FEED_EXAMPLE, FAILING_FEED_EXAMPLE],
    ),
    create=extend_schema(
        summary="Subscribe to a feed (journalists); its first poll starts at once",
        description=_HOW + " An address already followed answers 200 with the stored feed "
        "(resumed, if it was paused).",
        request=FeedCreateSerializer,
        responses={201: FeedSerializer, 200: FeedSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "A feed",
                value={"url": "https://www.example.com/technology/rss.xml", "poll_minutes": 30},
                request_only=True,
            ),
            FEED_EXAMPLE,
        ],
    ),
    partial_update=extend_schema(
        summary="Pause or resume a feed, or change how often it is polled",
        request=FeedUpdateSerializer,
        responses={200: FeedSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample("Pause", value={"active": False}, request_only=True),
            OpenApiExample("Hourly", value={"poll_minutes": 60}, request_only=True),
        ],
    ),
    destroy=extend_schema(
        summary="Stop following a feed and forget its entries (the articles stay)",
        responses={204: None, **errors(401, 403, 404, 429)},
    ),
)
class FeedViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    """RSS and Atom feeds: journalists and editors subscribe to them; each poll records
    the entries not seen before, whose articles are then fetched and stored."""

    serializer_class = FeedSerializer
    filterset_class = FeedFilter
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Feed.objects.annotate(
            entries_stored=Count("entries", filter=Q(entries__state=FeedEntryState.STORED))
        )

    def _shown(self, feed: Feed) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=feed.pk)).data

    def create(self, request, *args, **kwargs):
        incoming = FeedCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        stored = Feed.objects.filter(url=feeds.feed_url_clean(data["url"])).first()
        feed = feeds.feed_subscribe(
            url=data["url"], actor=request.user, poll_minutes=data.get("poll_minutes")
        )
        if stored is None or not stored.active:  # new, or resumed: poll it now
            transaction.on_commit(lambda: job_dispatch(poll_feed, feed.pk), robust=True)
        code = status.HTTP_201_CREATED if stored is None else status.HTTP_200_OK
        return Response(self._shown(feed), status=code)

    def partial_update(self, request, *args, **kwargs):
        feed = self.get_object()
        if "url" in request.data:
            raise ValidationError(
                {"url": ["A feed's address is fixed; subscribe to the new address instead."]}
            )
        incoming = FeedUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        feed = feeds.feed_update(feed=feed, actor=request.user, **incoming.validated_data)
        return Response(self._shown(feed))

    @extend_schema(
        summary="The feed's entries, newest first, each with its article or its error",
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=FeedEntryState.values,
                description="Only entries in this state.",
            )
        ],
        responses={200: FeedEntrySerializer(many=True), **errors(400, 401, 403, 404, 429)},
        examples=[STORED_ENTRY_EXAMPLE, FAILED_ENTRY_EXAMPLE],
    )
    @action(detail=True, methods=["get"], permission_classes=[EntryPermissions], filter_backends=[])
    def entries(self, request, pk=None, format=None):
        feed = self.get_object()
        entries = FeedEntry.objects.filter(feed=feed)
        state = request.query_params.get("state")
        if state:
            if state not in FeedEntryState.values:
                raise ValidationError(
                    {"state": [f"One of {', '.join(FeedEntryState.values)}, not {state!r}."]}
                )
            entries = entries.filter(state=state)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(FeedEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Poll the feed now, whether or not it is due (202: the poll is queued)",
        request=None,
        responses={202: POLL_ACCEPTED, **errors(401, 403, 404, 409, 429)},
        examples=[
            OpenApiExample(
                "Queued",
                value={
                    "feed": 4,
                    "entries": "https://claimtrack.example.org/api/v1/feeds/4/entries/",
                    "message": "The poll has started; new entries appear under `entries`.",
                },
                response_only=True,
                status_codes=["202"],
            )
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[PollPermissions])
    def poll(self, request, pk=None, format=None):
        feed = self.get_object()
        if not feed.active:
            return error_response(
                "paused",
                "The feed is paused; resume it (active: true) to poll it.",
                status_code=status.HTTP_409_CONFLICT,
            )
        transaction.on_commit(lambda: job_dispatch(poll_feed, feed.pk), robust=True)
        body = {
            "feed": feed.pk,
            "entries": request.build_absolute_uri(reverse("feed-entries", args=[feed.pk])),
            "message": "The poll has started; new entries appear under `entries`.",
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    router.register("feeds", FeedViewSet, basename="feed")
