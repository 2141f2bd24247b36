"""The claim suggestions of an article over the API, and accepting or dismissing one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article
from claims.api.serializers import AppearanceSerializer
from claims.models import Claim, Suggestion, SuggestionState
from claims.suggestions import suggestion_accept, suggestion_dismiss
from claimtrack.rest import ModelPermissions
from claimtrack.rest_errors import errors


class SuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = [
            "id",
            "article",
            "start",
            "end",
            "quote",
            "score",
            "kind",
            "wording",
            "speaker",
            "speaker_kind",
            "anonymous_count",
            "outlet",
            "verb",
            "hedge",
            "attribution",
            "duplicate_of",
            "duplicate_score",
            "state",
            "engine_version",
            "created_at",
        ]


SUGGESTION_EXAMPLE = OpenApiExample(
    "A suggestion",
    value={
        "id": 3,
        "article": 2,
        "start": 412,
        "end": 517,
        "quote": "Meta is set to put out a commercial edition of its large language model",
        "score": 0.71,
        "kind": "prediction",
        "wording": "Meta will release a commercial edition of its large language model.",
        "speaker": "three people familiar with the project",
        "speaker_kind": "anonymous",
        "anonymous_count": 3,
        "outlet": "Financial Times",
        "verb": "said",
        "hedge": "is set to",
        "attribution": "according to three people familiar with the project",
        "duplicate_of": None,
        "duplicate_score": None,
        "state": "open",
        "engine_version": "suggest-1",
        "created_at": "2023-07-13T10:00:00Z",
    },
    response_only=True,
)


class ArticleSuggestions(ListAPIView):
    """The open suggestions of an article, strongest first."""

    serializer_class = SuggestionSerializer
    queryset = Suggestion.objects.all()  # model permissions: view_suggestion
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        article = get_object_or_404(Article, pk=self.kwargs["pk"])
        return Suggestion.objects.filter(article=article, state=SuggestionState.OPEN).order_by(
            "-score", "start"
        )

    @extend_schema(
        operation_id="articles_suggestions_list",
        summary="The claims the engine suggests in an article",
        responses={200: SuggestionSerializer(many=True), **errors(401, 403, 404, 429)},
        examples=[SUGGESTION_EXAMPLE],
        tags=["articles"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AcceptRequest(serializers.Serializer):
    attach_to = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Log the quote as a new appearance of this tracked claim instead.",
    )
    wording = serializers.CharField(max_length=2000, required=False)
    kind = serializers.ChoiceField(
        choices=Suggestion._meta.get_field("kind").choices, required=False
    )


class DecidePermission(ModelPermissions):
    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class _Decide(APIView):
    # The model permissions ask POST for add_suggestion, which nobody has: deciding is
    # changing a suggestion, so POST maps to change_suggestion; the services check the
    # rest (logging claims).
    queryset = Suggestion.objects.all()
    permission_classes = [DecidePermission]


class SuggestionAccept(_Decide):
    """Log the suggestion as a claim (optionally with a corrected wording or kind), or
    with `attach_to` as a new appearance of a tracked claim: the services of the pages."""

    @extend_schema(
        operation_id="suggestions_accept",
        summary="Accept a suggestion",
        request=AcceptRequest,
        responses={201: AppearanceSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "With a corrected wording",
                value={"wording": "Meta will sell a commercial edition of LLaMA."},
                request_only=True,
            )
        ],
        tags=["articles"],
    )
    def post(self, request, pk):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        incoming = AcceptRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        overrides = {}
        if data.get("attach_to") is not None:
            overrides["attach_to"] = data["attach_to"]
        if "wording" in data:
            overrides["text"] = data["wording"]
        if "kind" in data:
            overrides["kind"] = data["kind"]
        appearance = suggestion_accept(suggestion=suggestion, actor=request.user, **overrides)
        return Response(AppearanceSerializer(appearance).data, status=status.HTTP_201_CREATED)


class SuggestionDismiss(_Decide):
    @extend_schema(
        operation_id="suggestions_dismiss",
        summary="Dismiss a suggestion",
        request=None,
        responses={200: SuggestionSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[SUGGESTION_EXAMPLE],
        tags=["articles"],
    )
    def post(self, request, pk):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        dismissed = suggestion_dismiss(suggestion=suggestion, actor=request.user)
        return Response(SuggestionSerializer(dismissed).data)
