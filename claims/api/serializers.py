"""What the API shows and accepts. Writes go through the services (the views call them);
serializers only describe and validate the shape."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema_field
from rest_framework import serializers

from claims.events import cursor_of
from claims.models import (
    Appearance,
    ChangeEvent,
    Claim,
    ClaimKind,
    Evidence,
    ReviewState,
    Stance,
    Status,
    StatusChange,
)
from claims.webhooks import webhook_payload

_CORRECTIONS = [*Stance.values, "unrelated"]
# `Stance.values` builds its list on every access: once per claim was a third of a page.
_EVIDENCE_COUNTS = tuple((stance, f"evidence_{stance}") for stance in Stance.values)
_PLACEHOLDER_ID = 987654321012345  # stands for a claim's id in its links' URL patterns


class ClaimSerializer(serializers.ModelSerializer):
    tags = serializers.SerializerMethodField()
    appearance_count = serializers.IntegerField(read_only=True)
    evidence = serializers.SerializerMethodField(help_text="Evidence items by stance.")
    links = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "kind",
            "status",
            "tags",
            "resolves_by",
            "status_changed_at",
            "created_at",
            "updated_at",
            "appearance_count",
            "evidence",
            "links",
        ]
        read_only_fields = ["status", "status_changed_at", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, claim) -> list[str]:
        return sorted(tag.name for tag in claim.tags.all())

    @extend_schema_field(
        serializers.DictField(
            child=serializers.IntegerField(), help_text="supports, refutes, discusses"
        )
    )
    def get_evidence(self, claim) -> dict:
        return {stance: getattr(claim, attr, 0) or 0 for stance, attr in _EVIDENCE_COUNTS}

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, claim) -> dict:
        # Reversing four URLs per claim was most of a page's serialising time: the
        # links are reversed once per serializer, around a placeholder id.
        if getattr(self, "_link_parts", None) is None:
            self._link_parts = claim_link_parts(self.context.get("request"))
        return _links(self._link_parts, claim.pk)


def claim_link_parts(request) -> dict[str, tuple[str, str]]:
    """Each link of a claim as the text before and after its id."""

    def around_id(name: str, query: str = "") -> tuple[str, str]:
        before, after = reverse(name, args=[_PLACEHOLDER_ID]).split(str(_PLACEHOLDER_ID))
        return (request.build_absolute_uri(before) if request else before), after + query

    return {
        "self": around_id("claim-detail"),
        "history": around_id("claim-history"),
        "claimreview": around_id("claim-detail", "?format=jsonld"),
        "page": around_id("claims:detail"),
    }


def _links(parts: dict[str, tuple[str, str]], pk) -> dict:
    pk = str(pk)
    return {name: before + pk + after for name, (before, after) in parts.items()}


# The claims list builds its page from `.values()` rows rather than through
# ClaimSerializer: 50 model instances and their serializer fields cost twice the page's
# queries (bench/load.py). tests/api/test_claim_rows.py holds both outputs equal.
CLAIM_ROW_FIELDS = (
    "id",
    "text",
    "kind",
    "status",
    "resolves_by",
    "status_changed_at",
    "created_at",
    "updated_at",
    "appearance_count",
    *(attr for _, attr in _EVIDENCE_COUNTS),
)
_AS_DATE = serializers.DateField()


def _as_datetime(zone):
    """DRF's DateTimeField output (ISO 8601 in `zone`, "Z" for UTC), without its
    per-value settings lookups: three times per claim, it was a seventh of the page."""

    def shown(value):
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return shown


def claim_rows_shown(rows: list[dict], *, request) -> list[dict]:
    """`rows` (CLAIM_ROW_FIELDS of a page of claims) as ClaimSerializer shows them."""
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    pairs = Claim.tags.through.objects.filter(claim_id__in=tags)
    for claim_id, name in pairs.values_list("claim_id", "tag__name"):
        tags[claim_id].append(name)
    parts, when = claim_link_parts(request), _as_datetime(timezone.get_current_timezone())
    return [
        {
            "id": row["id"],
            "text": row["text"],
            "kind": row["kind"],
            "status": row["status"],
            "tags": sorted(tags[row["id"]]),
            "resolves_by": _AS_DATE.to_representation(row["resolves_by"]),
            "status_changed_at": when(row["status_changed_at"]),
            "created_at": when(row["created_at"]),
            "updated_at": when(row["updated_at"]),
            "appearance_count": row["appearance_count"],
            "evidence": {stance: row[attr] or 0 for stance, attr in _EVIDENCE_COUNTS},
            "links": _links(parts, row["id"]),
        }
        for row in rows
    ]


class ClaimAsOfSerializer(ClaimSerializer):
    as_of = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="The time asked for with ?as_of, whose status is shown; null without it.",
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "as_of"]


_THING = {"type": "object", "additionalProperties": True}
CLAIM_REVIEW = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD): the claim's current verdict, where it "
    "appeared and who made it.",
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "datePublished": {"type": "string", "format": "date-time"},
        "author": {**_THING, "description": "The publisher of the review."},
        "itemReviewed": {**_THING, "description": "The Claim, its author and appearances."},
        "reviewRating": {
            **_THING,
            "description": "`alternateName` is the status; `ratingValue` (1 false to 5 true) "
            "only for supported, mixed and refuted.",
        },
    },
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "datePublished",
        "author",
        "itemReviewed",
        "reviewRating",
    ],
}
CLAIM_REVIEW_EXAMPLE = OpenApiExample(
    "ClaimReview",
    media_type="application/ld+json",
    response_only=True,
    value={
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "http://127.0.0.1:8000/claims/7/",
        "claimReviewed": "Meta's next LLaMA model will be released as open source.",
        "datePublished": "2023-07-19T09:00:00+00:00",
        "author": {"@type": "Organization", "name": "ClaimTrack", "url": "http://127.0.0.1:8000/"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Meta"},
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://example.com/llama-2",
                    "headline": "Meta releases LLaMA 2",
                }
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Supported",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
        },
    },
)


class ClaimWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, default=ClaimKind.FACT)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), default=list)
    resolves_by = serializers.DateField(required=False, allow_null=True, default=None)


class EvidenceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "article", "stance", "score", "review_state"]


class StatusChangeSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="to_status")
    actor = serializers.SerializerMethodField()
    evidence = EvidenceBriefSerializer(allow_null=True)

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "claim",
            "seq",
            "from_status",
            "status",
            "changed_at",
            "actor",
            "engine_version",
            "note",
            "evidence",
        ]

    def get_actor(self, change) -> str:
        return change.actor.get_username() if change.actor_id else f"engine {change.engine_version}"


class StatusChangeRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    expected = serializers.ChoiceField(
        choices=Status.choices, help_text="The status you saw; a stale change answers 409."
    )
    note = serializers.CharField(max_length=4000)
    evidence = serializers.PrimaryKeyRelatedField(
        queryset=Evidence.objects.all(), required=False, allow_null=True, default=None
    )


class AppearanceSerializer(serializers.ModelSerializer):
    quote = serializers.CharField(
        required=False, help_text="When given, must be exactly the text at [start, end)."
    )

    class Meta:
        model = Appearance
        fields = [
            "id",
            "claim",
            "article",
            "quote",
            "quote_prefix",
            "quote_suffix",
            "start",
            "end",
            "speaker",
            "outlet",
            "attribution",
            "anonymous_count",
            "created_at",
        ]
        read_only_fields = ["quote_prefix", "quote_suffix", "created_at"]
        # Uniqueness is the service's rule (a clear message), not a validator's.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:  # once logged, only the attribution is corrected
            for name in ("claim", "article", "quote", "start", "end"):
                self.fields[name].read_only = True


class EvidenceSerializer(serializers.ModelSerializer):
    found_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null: the engine."
    )
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null until reviewed."
    )
    corrected_stance = serializers.ChoiceField(
        choices=_CORRECTIONS,
        allow_blank=True,
        read_only=True,
        help_text="The stance the reviewer corrected it to; blank when not corrected.",
    )
    sentences = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        default=list,
        help_text="Deciding sentences: {start, end, text} in the article.",
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "article",
            "stance",
            "score",
            "match_score",
            "sentences",
            "found_by",
            "engine_version",
            "review_state",
            "review_note",
            "corrected_stance",
            "reviewed_by",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "match_score",
            "engine_version",
            "review_state",
            "review_note",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]
        validators = []


class ReviewRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewState.choices)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    corrected_stance = serializers.ChoiceField(
        choices=_CORRECTIONS, required=False, default="", allow_blank=True
    )


class ChangeEventSerializer(serializers.ModelSerializer):
    cursor = serializers.SerializerMethodField(help_text="Resume after this event with it.")
    claim = serializers.IntegerField(source="claim_id")

    class Meta:
        model = ChangeEvent
        fields = [
            "cursor",
            "id",
            "kind",
            "at",
            "claim",
            "object_type",
            "object_id",
            "actor",
            "before",
            "after",
            "detail",
        ]

    def get_cursor(self, event) -> str:
        return cursor_of(event)


def change_events_shown(events) -> list[dict]:
    """The change feed's `events` as ChangeEventSerializer shows them: each one's cursor,
    then the webhooks' payload (the same fields). A page of 100 spent 16 of its 20 ms in
    the serializer (bench/load.py); tests/api/test_changes_feed.py holds both equal."""
    return [{"cursor": cursor_of(event), **webhook_payload(event)} for event in events]


class ChangesPageSerializer(serializers.Serializer):
    events = ChangeEventSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Ask with ?after=<next> next time.")
    has_more = serializers.BooleanField()


class ImportReportSerializer(serializers.Serializer):
    created_claims = serializers.IntegerField()
    created_appearances = serializers.IntegerField()
