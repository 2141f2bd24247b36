"""/api/v1/webhooks/: editors subscribe outside services to the change feed, and see each
delivery with its attempts. Never public: anonymous clients are refused even when
CLAIMTRACK_API_PUBLIC_READ opens the rest of the API for reading."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims.models import (
    DeliveryState,
    EventKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from claims.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SECRET_MAX_LENGTH,
    SECRET_MIN_BYTES,
    SIGNATURE_HEADER,
    URL_MAX_LENGTH,
    webhook_subscribe,
    webhook_unsubscribe,
    webhook_update,
)
from claimtrack.rest import LastModifiedMixin, ModelPermissions
from claimtrack.rest_errors import errors

# --- Permissions -----------------------------------------------------------------------------


class WebhookPermissions(ModelPermissions):
    """The model permissions (editors and admins), never anonymous reading."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return super().has_permission(request, view)


class DeliveryPermissions(WebhookPermissions):
    """Seeing a subscription's deliveries also needs the permissions to view them."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            ["claims.view_webhookdelivery", "claims.view_webhookattempt"]
        )


# --- Serializers -----------------------------------------------------------------------------

_EVENTS_HELP = "Event kinds to send; empty (or left out) sends every kind."


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices), help_text=_EVENTS_HELP
    )
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "target_url", "events", "active", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret. Shown only in this answer: keep it to check the "
        f"{SIGNATURE_HEADER} header of each delivery.",
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookWriteSerializer(serializers.Serializer):
    target_url = serializers.CharField(
        max_length=URL_MAX_LENGTH,
        help_text="http:// or https:// URL the events are POSTed to. Hosts on private, "
        "loopback or reserved networks are refused.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        required=False,
        help_text=_EVENTS_HELP,
    )
    active = serializers.BooleanField(required=False, help_text="Off pauses the subscription.")


class WebhookCreateSerializer(WebhookWriteSerializer):
    secret = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        min_length=SECRET_MIN_BYTES,
        max_length=SECRET_MAX_LENGTH,
        help_text=f"At least {SECRET_MIN_BYTES} bytes; left out, a random one is generated. "
        "It cannot be changed later.",
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "response_status",
            "error",
            "response_body",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "response_status": {"help_text": "The HTTP status; null when there was no answer."},
            "response_body": {"help_text": "The first kilobyte of the answer."},
        }


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id", read_only=True)
    kind = serializers.CharField(source="event.kind", read_only=True)
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "kind",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "attempts": {"help_text": "Attempts made so far."},
            "next_attempt_at": {"help_text": "When the next attempt is due; null once done."},
        }


# --- Views -----------------------------------------------------------------------------------

WEBHOOK_EXAMPLE = OpenApiExample(
    "A subscription",
    value={
        "id": 3,
        "target_url": "https://hooks.example.org/claimtrack",
        "events": ["status.changed", "claims.merged"],
        "active": True,
        "created_by": "editor",
        "created_at": "2024-02-01T09:30:00Z",
        "updated_at": "2024-02-01T09:30:00Z",
    },
    response_only=True,
)
DELIVERY_EXAMPLE = OpenApiExample(
    "A delivery that succeeded on its second attempt",
    value={
        "id": 41,
        "event": 1207,
        "kind": "status.changed",
        "state": "delivered",
        "attempts": 2,
        "next_attempt_at": None,
        "delivered_at": "2024-02-01T10:00:11Z",
        "created_at": "2024-02-01T10:00:00Z",
        "attempt_log": [
            {
                "number": 1,
                "started_at": "2024-02-01T10:00:00Z",
                "duration_ms": 85,
                "response_status": 503,
                "error": "",
                "response_body": "Service unavailable",
            },
            {
                "number": 2,
                "started_at": "2024-02-01T10:00:10Z",
                "duration_ms": 41,
                "response_status": 200,
                "error": "",
                "response_body": "ok",
            },
        ],
    },
    response_only=True,
)
_DELIVERY_TEXT = (
    "Each event of a subscribed kind is POSTed as JSON (the change feed's event: id, kind, "
    "at, claim, object_type, object_id, actor, and the object before and after the "
    f"change) with the headers `{EVENT_HEADER}`, `{DELIVERY_HEADER}` and "
    f"`{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body, keyed with the secret>`. "
    "A 2xx answer delivers it; otherwise it is tried again with exponential backoff. "
    "Redirects are not followed."
)


@extend_schema_view(
    list=extend_schema(
        summary="Webhook subscriptions (editors)",
        responses={200: WebhookSubscriptionSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[WEBHOOK_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One webhook subscription (its secret is never shown again)",
        responses={200: WebhookSubscriptionSerializer, **errors(401, 403, 404, 429)},
        examples=[WEBHOOK_EXAMPLE],
    ),
    create=extend_schema(
        summary="Subscribe a URL to changes; the answer shows the secret, once",
        description=_DELIVERY_TEXT,
        request=WebhookCreateSerializer,
        responses={201: WebhookCreatedSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "Status changes and merges",
                value={
                    "target_url": "https://hooks.example.org/claimtrack",
                    "events": ["status.changed", "claims.merged"],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created",
                value={
                    "id": 3,
                    "target_url": "https://hooks.example.org/claimtrack",
                    "events": ["status.changed", "claims.merged"],
                    "active": True,
                    "created_by": "editor",
                    "created_at": "2024-02-01T09:30:00Z",
                    "updated_at": "2024-02-01T09:30:00Z",
                    "secret": "kH3v2m0pXq9YcS1dWb7nT4rL8zA6fJ5eG0uR2iO9yBw",
                },
                response_only=True,
            ),
        ],
    ),
    update=extend_schema(
        summary="Replace a subscription's URL, kinds and active flag",
        request=WebhookWriteSerializer,
        responses={200: WebhookSubscriptionSerializer, **errors(400, 401, 403, 404, 429)},
    ),
    partial_update=extend_schema(
        summary="Change a subscription's URL or kinds, or pause it (active: false)",
        request=WebhookWriteSerializer,
        responses={200: WebhookSubscriptionSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[OpenApiExample("Pause", value={"active": False}, request_only=True)],
    ),
    destroy=extend_schema(
        summary="Remove a subscription with its deliveries",
        responses={204: None, **errors(401, 403, 404, 429)},
    ),
)
class WebhookViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    """Webhook subscriptions: editors and admins subscribe URLs to the change feed. Each
    subscription's secret signs its deliveries and is shown once, when it is created."""

    queryset = WebhookSubscription.objects.select_related("created_by")
    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [WebhookPermissions]
    ordering_fields = ["id", "created_at"]

    def create(self, request, *args, **kwargs):
        incoming = WebhookCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscription = webhook_subscribe(actor=request.user, **incoming.validated_data)
        return Response(WebhookCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        subscription = self.get_object()
        if "secret" in request.data:
            raise ValidationError(
                {"secret": ["The secret cannot be changed; subscribe anew to get a new one."]}
            )
        incoming = WebhookWriteSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        if not partial:
            changes.setdefault("events", [])
            changes.setdefault("active", True)
        webhook_update(subscription=subscription, actor=request.user, **changes)
        return Response(self.get_serializer(subscription).data)

    def destroy(self, request, *args, **kwargs):
        webhook_unsubscribe(subscription=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The subscription's deliveries, newest first, each with its attempts",
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=DeliveryState.values,
                description="Only deliveries in this state.",
            )
        ],
        responses={200: WebhookDeliverySerializer(many=True), **errors(400, 401, 403, 404, 429)},
        examples=[DELIVERY_EXAMPLE],
    )
    @action(detail=True, methods=["get"], permission_classes=[DeliveryPermissions])
    def deliveries(self, request, pk=None, format=None):
        subscription = self.get_object()
        deliveries = WebhookDelivery.objects.filter(subscription=subscription).select_related(
            "event"
        )
        state = request.query_params.get("state")
        if state:
            if state not in DeliveryState.values:
                raise ValidationError(
                    {"state": [f"One of {', '.join(DeliveryState.values)}, not {state!r}."]}
                )
            deliveries = deliveries.filter(state=state)
        deliveries = deliveries.prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
