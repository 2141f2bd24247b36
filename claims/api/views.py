"""The claims side of the API: thin views over the services and selectors."""

import io
from datetime import UTC

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import events
from claims.api import serializers as s
from claims.api.filters import AppearanceFilter, ChangeEventFilter, ClaimFilter, EvidenceFilter
from claims.claimreview import claim_review
from claims.csv_io import claims_export_csv, claims_import_csv
from claims.models import (
    Appearance,
    ChangeEvent,
    Claim,
    EventKind,
    Evidence,
    Stance,
)
from claims.selectors import claim_status_as_of, claim_status_changes
from claims.services import (
    appearance_create,
    appearance_update,
    claim_create,
    claim_set_status,
    claim_update,
    evidence_propose,
    evidence_review,
)
from claimtrack.parsers import MultiPartParser  # 413 for an upload over the cap
from claimtrack.rest import ContentNegotiation, LastModifiedMixin, requires
from claimtrack.rest_errors import error_response, errors


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def _count_per_claim(rows):
    """How many of `rows` belong to the outer claim, as a subquery: computed only for the
    claims of the page, where joins and GROUP BY would count for every claim first."""
    counted = rows.filter(claim=OuterRef("pk")).order_by().values("claim")
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _claims_with_counts():
    stance_counts = {
        f"evidence_{stance}": _count_per_claim(Evidence.objects.filter(stance=stance))
        for stance in Stance.values
    }
    return Claim.objects.annotate(
        appearance_count=_count_per_claim(Appearance.objects.all()), **stance_counts
    ).prefetch_related("tags")


_CLAIM = {
    "id": 7,
    "text": "Meta's next LLaMA model will be released as open source.",
    "kind": "prediction",
    "status": "supported",
    "tags": ["llama", "meta"],
    "resolves_by": "2023-12-31",
    "status_changed_at": "2023-07-19T09:00:00Z",
    "created_at": "2023-07-14T08:00:00Z",
    "updated_at": "2023-07-19T09:00:00Z",
    "appearance_count": 3,
    "evidence": {"supports": 2, "refutes": 1, "discusses": 0},
    "links": {
        "self": "http://127.0.0.1:8000/api/v1/claims/7/",
        "history": "http://127.0.0.1:8000/api/v1/claims/7/history/",
        "claimreview": "http://127.0.0.1:8000/api/v1/claims/7/?format=jsonld",
        "page": "http://127.0.0.1:8000/claims/7/",
    },
}
CLAIM_EXAMPLE = OpenApiExample("A claim", value=_CLAIM, response_only=True)
CLAIM_AS_OF_EXAMPLE = OpenApiExample(
    "A claim as it was", value={**_CLAIM, "as_of": "2023-07-19T09:00:00Z"}, response_only=True
)


APPEARANCE_EXAMPLE = OpenApiExample(
    "An appearance",
    value={
        "id": 12,
        "claim": 7,
        "article": 3,
        "quote": "The model will be free for research and commercial use.",
        "quote_prefix": "Meta released LLaMA 2 on Tuesday. ",
        "quote_suffix": " the company said.",
        "start": 35,
        "end": 90,
        "speaker": 4,
        "outlet": 2,
        "attribution": "the company said",
        "anonymous_count": None,
        "created_at": "2023-07-18T17:05:00Z",
    },
    response_only=True,
)
EVIDENCE_EXAMPLE = OpenApiExample(
    "Accepted evidence",
    value={
        "id": 31,
        "claim": 7,
        "article": 5,
        "stance": "refutes",
        "score": 0.82,
        "match_score": 0.64,
        "sentences": [{"start": 0, "end": 52, "text": "Critics say the licence is not open."}],
        "found_by": None,
        "engine_version": "2024.1",
        "review_state": "accepted",
        "review_note": "Primary source.",
        "corrected_stance": "",
        "reviewed_by": "editor",
        "reviewed_at": "2023-07-20T10:00:00Z",
        "created_at": "2023-07-19T08:00:00Z",
        "updated_at": "2023-07-20T10:00:00Z",
    },
    response_only=True,
)
HISTORY_EXAMPLE = OpenApiExample(
    "A verdict after review",
    value=[
        {
            "id": 52,
            "claim": 7,
            "seq": 1,
            "from_status": "unverified",
            "status": "refuted",
            "changed_at": "2023-07-20T10:00:00Z",
            "actor": "editor",
            "engine_version": "",
            "note": "Meta's licence page says otherwise.",
            "evidence": {
                "id": 31,
                "article": 5,
                "stance": "refutes",
                "score": 0.82,
                "review_state": "accepted",
            },
        }
    ],
    response_only=True,
)


@extend_schema_view(
    list=extend_schema(
        summary="Claims, filtered and sorted",
        responses={200: s.ClaimSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[CLAIM_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One claim; with ?as_of, its status at that time; ?format=jsonld for ClaimReview",
        description="`?format=jsonld`, the `.jsonld` suffix or `Accept: application/ld+json` "
        "give the claim's current verdict as a schema.org ClaimReview instead.",
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATETIME,
                description="Show the status the claim had at this time (ISO 8601 with zone).",
            ),
        ],
        responses={
            (200, "application/json"): s.ClaimAsOfSerializer,
            (200, "application/ld+json"): OpenApiResponse(
                s.CLAIM_REVIEW, description="The claim's verdict as a schema.org ClaimReview."
            ),
            304: None,
            **errors(400, 401, 403, 404, 429),
        },
        examples=[CLAIM_AS_OF_EXAMPLE, s.CLAIM_REVIEW_EXAMPLE],
    ),
    create=extend_schema(
        summary="Log a claim (journalists)",
        request=s.ClaimWriteSerializer,
        responses={201: s.ClaimSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "New prediction",
                value={
                    "text": "Meta will release a bigger LLaMA model in 2024.",
                    "kind": "prediction",
                    "tags": ["llama"],
                    "resolves_by": "2024-12-31",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change a claim's wording, kind, tags or resolves-by (not its status)",
        request=s.ClaimWriteSerializer,
        responses={200: s.ClaimSerializer, **errors(400, 401, 403, 404, 429)},
    ),
    update=extend_schema(
        summary="Replace a claim's wording, kind, tags and resolves-by (not its status)",
        request=s.ClaimWriteSerializer,
        responses={200: s.ClaimSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class ClaimViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, JSONLDRenderer]
    content_negotiation_class = ContentNegotiation

    # Built once: DRF clones it for each request (`.all()`). Building the count
    # subqueries anew for every request cost more than running them.
    queryset = _claims_with_counts()

    def get_renderers(self):
        # ClaimReview (JSON-LD) is one claim's: elsewhere `format=jsonld` answers 406.
        renderers = super().get_renderers()
        if self.action == "retrieve":
            return renderers
        return [renderer for renderer in renderers if renderer.format != "jsonld"]

    def list(self, request, *args, **kwargs):
        claims = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(claims.values(*s.CLAIM_ROW_FIELDS))
        return self.get_paginated_response(s.claim_rows_shown(page, request=request))

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        if request.accepted_renderer.format == "jsonld":
            base = request.build_absolute_uri("/").rstrip("/")
            response = Response(claim_review(claim, base_url=base))
        elif "as_of" in request.query_params:
            response = Response(self._as_of(claim, request.query_params["as_of"]))
        else:
            response = Response(
                s.ClaimAsOfSerializer(claim, context=self.get_serializer_context()).data
            )
        return response

    def _as_of(self, claim, raw: str) -> dict:
        try:
            at = parse_datetime(raw.replace(" ", "+"))  # "+" arrives as a space unescaped
        except ValueError:  # well formed but impossible (a 25th hour, a 31st of June)
            at = None
        if at is None or at.tzinfo is None:
            raise ValidationError({"as_of": ["Give a time in ISO 8601 with a zone."]})
        try:
            utc = at.astimezone(UTC)  # PostgreSQL refuses offsets Python allows
        except OverflowError:
            raise ValidationError({"as_of": ["This time is out of range."]}) from None
        state = claim_status_as_of(claim, utc)
        if state is None:
            raise ValidationError({"as_of": ["The claim was not logged yet at that time."]})
        data = s.ClaimAsOfSerializer(claim, context=self.get_serializer_context()).data
        data["status"], data["as_of"] = state, at.isoformat()
        return data

    def create(self, request, *args, **kwargs):
        incoming = s.ClaimWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        claim = claim_create(actor=request.user, **incoming.validated_data)
        shown = self.get_serializer(self.get_queryset().get(pk=claim.pk))
        return Response(shown.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        claim = self.get_object()
        incoming = s.ClaimWriteSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        changes = {k: v for k, v in incoming.validated_data.items() if k in request.data}
        claim_update(claim=claim, actor=request.user, **changes)
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(
        summary="The claim's status history, oldest first",
        responses={200: s.StatusChangeSerializer(many=True), **errors(401, 403, 404, 429)},
        examples=[HISTORY_EXAMPLE],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None, format=None):
        claim = self.get_object()
        changes = (
            claim_status_changes(claim)
            .select_related("actor", "evidence")
            .order_by("changed_at", "seq")
        )
        return Response(s.StatusChangeSerializer(changes, many=True).data)

    @extend_schema(
        summary="Set the claim's status (editors), naming the status you saw",
        request=s.StatusChangeRequestSerializer,
        responses={
            201: s.StatusChangeSerializer,
            **errors(400, 401, 403, 404, 429),
            409: OpenApiResponse(
                errors(409)[409].response,
                description="Stale: the claim's status changed since you saw it; "
                "`details.current` is what it is now. Or the change is not allowed.",
            ),
        },
        examples=[
            OpenApiExample(
                "A verdict",
                value={
                    "status": "refuted",
                    "expected": "unverified",
                    "note": "Meta's licence page says otherwise.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Stale",
                value={
                    "error": {
                        "code": "stale_status",
                        "message": "The claim's status is now 'supported', not 'unverified'...",
                        "details": {"expected": "unverified", "current": "supported"},
                    }
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="status",
        filterset_class=None,
        permission_classes=[requires("claims.set_claim_status")],
    )
    def set_status(self, request, pk=None, format=None):
        claim = get_object_or_404(Claim.objects.all(), pk=pk)
        self.check_object_permissions(request, claim)
        incoming = s.StatusChangeRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        change = claim_set_status(
            claim=claim,
            to=data["status"],
            expected=data["expected"],
            note=data["note"],
            evidence=data["evidence"],
            actor=request.user,
        )
        return Response(s.StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The claims (filtered like the list) as CSV, with their current status",
        filters=True,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            **errors(400, 401, 403, 429),
        },
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request, format=None):
        claims = self.filter_queryset(self.get_queryset())
        if not request.query_params.get("ordering"):
            claims = claims.order_by("pk")
        buffer = io.StringIO()
        claims_export_csv(claims, buffer)
        response = StreamingHttpResponse(iter([buffer.getvalue()]), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    @extend_schema(
        summary="Import claims with their appearances from CSV: all rows or none",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses={201: s.ImportReportSerializer, **errors(400, 401, 403, 429)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_csv(self, request, format=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Send the CSV as the multipart field `file`."]})
        report = claims_import_csv(upload.read(), actor=request.user)
        if not report.ok:
            # As they are: a ValidationError would make the row numbers strings.
            return error_response(
                "invalid", "Some rows are not valid; nothing was imported.", {"rows": report.errors}
            )
        return Response(
            {
                "created_claims": report.created_claims,
                "created_appearances": report.created_appearances,
            },
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Where claims were made",
        responses={200: s.AppearanceSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[APPEARANCE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One appearance of a claim",
        responses={200: s.AppearanceSerializer, 304: None, **errors(401, 403, 404, 429)},
        examples=[APPEARANCE_EXAMPLE],
    ),
    create=extend_schema(
        summary="Log where a claim was made (journalists)",
        responses={201: s.AppearanceSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "A quote",
                value={
                    "claim": 7,
                    "article": 3,
                    "start": 120,
                    "end": 181,
                    "quote": "The model will be free for research and commercial use.",
                    "speaker": 12,
                    "attribution": "the company said",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Correct the speaker, outlet or attribution",
        responses={200: s.AppearanceSerializer, **errors(400, 401, 403, 404, 429)},
    ),
    update=extend_schema(
        summary="Correct the speaker, outlet and attribution",
        responses={200: s.AppearanceSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class AppearanceViewSet(LastModifiedMixin, viewsets.ModelViewSet):
    queryset = Appearance.objects.all()
    serializer_class = s.AppearanceSerializer
    filterset_class = AppearanceFilter
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    last_modified_field = "created_at"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = appearance_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = appearance_update(
            appearance=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Evidence for and against claims",
        responses={200: s.EvidenceSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[EVIDENCE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One piece of evidence, with its review",
        responses={200: s.EvidenceSerializer, 304: None, **errors(401, 403, 404, 429)},
        examples=[EVIDENCE_EXAMPLE],
    ),
    create=extend_schema(
        summary="Propose an article as evidence (journalists); it waits for review",
        responses={
            201: s.EvidenceSerializer,
            200: s.EvidenceSerializer,
            **errors(400, 401, 403, 429),
        },
        examples=[
            OpenApiExample(
                "Supporting article",
                value={"claim": 7, "article": 5, "stance": "supports", "score": 0.9},
                request_only=True,
            )
        ],
    ),
)
class EvidenceViewSet(LastModifiedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Evidence.objects.select_related("found_by", "reviewed_by")
    serializer_class = s.EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["id", "created_at", "updated_at", "score"]

    def create(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        evidence, created = evidence_propose(
            claim=data["claim"],
            article=data["article"],
            stance=data["stance"],
            score=data["score"],
            sentences=data.get("sentences"),
            actor=request.user,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(evidence).data, status=code)

    @extend_schema(
        summary="Accept or reject proposed evidence (editors)",
        request=s.ReviewRequestSerializer,
        responses={200: s.EvidenceSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "Accept",
                value={"decision": "accepted", "note": "Primary source."},
                request_only=True,
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        permission_classes=[requires("claims.review_evidence")],
    )
    def review(self, request, pk=None, format=None):
        evidence = self.get_object()
        incoming = s.ReviewRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        evidence = evidence_review(
            evidence=evidence,
            state=data["decision"],
            note=data["note"],
            corrected_stance=data["corrected_stance"],
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evidence.pk)).data)


class ChangesFeed(APIView):
    """The append-only feed of changes, in order; resume with `?after=<cursor>`."""

    queryset = ChangeEvent.objects.all()  # for the model permissions (view_changeevent)
    filterset_class = ChangeEventFilter  # applied in `get`; its filters are documented there

    @extend_schema(
        summary="What changed, in order, after a cursor",
        parameters=[
            OpenApiParameter("after", str, description="The `next` cursor of your last page."),
            OpenApiParameter("limit", int, description=f"At most {events.MAX_PAGE} events."),
            OpenApiParameter(
                "kind",
                str,
                many=True,
                enum=EventKind.values,
                description="Only these kinds of event (repeat it for several).",
            ),
            OpenApiParameter("claim", int, description="Only events about this claim (id)."),
        ],
        responses={200: s.ChangesPageSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "A page",
                value={
                    "events": [
                        {
                            "cursor": "NTEyLjQx",
                            "id": 41,
                            "kind": "status.changed",
                            "at": "2023-07-19T09:00:00Z",
                            "claim": 7,
                            "object_type": "claim",
                            "object_id": 7,
                            "actor": "editor",
                            "before": {"id": 7, "status": "unverified"},
                            "after": {"id": 7, "status": "supported"},
                            "detail": {"seq": 1, "status": "supported", "note": "Licence."},
                        }
                    ],
                    "next": "NTEyLjQx",
                    "has_more": False,
                },
                response_only=True,
            )
        ],
        tags=["changes"],
    )
    def get(self, request):
        filtered = self.filterset_class(request.query_params, queryset=ChangeEvent.objects.all())
        if not filtered.is_valid():
            raise ValidationError(filtered.errors)
        try:
            limit = int(request.query_params.get("limit", 100))
        except ValueError:
            raise ValidationError({"limit": ["Give a whole number."]}) from None
        try:
            page = events.events_after(
                request.query_params.get("after") or None, limit=limit, events=filtered.qs
            )
        except events.BadCursor as bad:
            raise ValidationError({"after": [str(bad)]}) from None
        body = {
            "events": s.change_events_shown(page.events),
            "next": page.next_cursor,
            "has_more": page.has_more,
        }
        return Response(body)
