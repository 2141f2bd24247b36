"""Claims, where they were made, the evidence judged against them, and the history of
their verification status."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from articles.models import Article, Source


class ClaimKind(models.TextChoices):
    FACT = "fact", "Fact"
    PREDICTION = "prediction", "Prediction"
    INTENT = "intent", "Intent"
    OPINION = "opinion", "Opinion"


class Status(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    SUPPORTED = "supported", "Supported"
    REFUTED = "refuted", "Refuted"
    MIXED = "mixed", "Mixed"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    RETRACTED = "retracted", "Retracted"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    DISCUSSES = "discusses", "Discusses"


class ReviewState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Tag(models.Model):
    """A subject label for claims ("llama", "open-source")."""

    name = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet):
    def with_status(self, status: str):
        return self.filter(status=status)

    def predictions_due(self, today):
        """Predictions whose resolves-by date has passed and that still await a verdict."""
        return self.filter(
            kind=ClaimKind.PREDICTION, resolves_by__lt=today, status=Status.UNVERIFIED
        )

    def stale(self, checked_before):
        """Unverified claims the engine has not checked since `checked_before`."""
        return self.filter(status=Status.UNVERIFIED).filter(
            Q(checked_at__isnull=True) | Q(checked_at__lt=checked_before)
        )

    def with_lost_quotes(self):
        """Claims a quote of which is no longer in its article's latest revision."""
        return self.filter(appearances__anchor="lost").distinct()

    def for_article(self, article):
        return self.filter(appearances__article=article).distinct()


class TrackedClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


class Claim(models.Model):
    """One checkable statement in canonical words, and its current verification status.

    `status` is only ever changed by `claims.services.claim_set_status`, which writes the
    matching StatusChange in the same transaction; `status_seq` counts those changes.
    """

    text = models.TextField()
    kind = models.CharField(max_length=12, choices=ClaimKind.choices, default=ClaimKind.FACT)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    resolves_by = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UNVERIFIED, editable=False
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_seq = models.PositiveIntegerField(default=0, editable=False)
    checked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the engine last checked this claim against recent articles.",
    )
    due_flagged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When this prediction was flagged as past its resolves-by date.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_claims",
        help_text="Set when this claim was merged into another as a duplicate.",
    )

    # A merged claim is kept (its history is never lost) but is no longer tracked: the
    # default manager leaves it out everywhere, `all_objects` includes it.
    objects = TrackedClaimManager()
    all_objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("set_claim_status", "Can set a claim's verification status"),
            ("merge_claims", "Can merge duplicate claims"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="claim_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(resolves_by__isnull=True) | Q(kind=ClaimKind.PREDICTION),
                name="claim_resolves_by_only_for_predictions",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-status_changed_at"]),
            # Every worker reads the claims changed since its last look before each match.
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", "In place"
    MOVED = "moved", "Found again after an edit"
    LOST = "lost", "No longer in the article"


class Appearance(models.Model):
    """Where a claim was made: a quote in an article, anchored W3C Web Annotation style
    (exact text, some text before and after it, and character offsets) so it can be found
    again if the article's text changes."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField()
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    outlet = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed",
        help_text="The outlet that reported the claim, when this article only relays it.",
    )
    attribution = models.CharField(max_length=300, blank=True)
    anonymous_count = models.PositiveSmallIntegerField(null=True, blank=True)
    anchor = models.CharField(
        max_length=10,
        choices=AnchorState.choices,
        default=AnchorState.ANCHORED,
        editable=False,
        help_text="Whether the quote is still found in the article's latest revision.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article__published_at", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appearance_span_valid"),
            models.UniqueConstraint(
                fields=["claim", "article", "start", "end"], name="appearance_unique_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} in {self.article_id} [{self.start}:{self.end}]"


class EvidenceQuerySet(models.QuerySet):
    def pending_review(self):
        return self.filter(review_state=ReviewState.PENDING)

    def by_engine(self):
        return self.filter(found_by__isnull=True)

    def reviewed(self):
        return self.exclude(review_state=ReviewState.PENDING)


class Evidence(models.Model):
    """A later article judged against a claim, by the engine or by a person, and the
    editor's review of that judgement. One row per claim and article."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    score = models.FloatField(help_text="Confidence in the stance, 0 to 1.")
    match_score = models.FloatField(
        null=True, blank=True, help_text="How strongly the engine matched the article to the claim."
    )
    sentences = models.JSONField(
        default=list,
        blank=True,
        help_text='The sentences that decided it: [{"text": ..., "start": ..., "end": ...}].',
    )
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who found it; empty when the engine did.",
    )
    engine_version = models.CharField(max_length=80, blank=True)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    corrected_stance = models.CharField(
        max_length=10,
        blank=True,
        choices=[*Stance.choices, ("unrelated", "Unrelated")],
        help_text="The stance the reviewer says is right, when the proposed one is wrong.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["article__published_at", "id"]
        permissions = [("review_evidence", "Can accept or reject evidence")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "article"], name="evidence_unique_per_article"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="evidence_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="evidence_score_in_unit_range"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values), name="evidence_review_valid"
            ),
            # Found by a person or by an engine of a stated version, never by nobody.
            models.CheckConstraint(
                condition=Q(found_by__isnull=False) | ~Q(engine_version=""),
                name="evidence_has_finder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} claim {self.claim_id} (article {self.article_id})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History is append-only.")

    def delete(self):
        raise TypeError("History is append-only.")


class StatusChange(models.Model):
    """One step in a claim's verification history. Rows are only ever added, by
    `claim_set_status`; `seq` numbers them per claim, and its uniqueness keeps the
    history a single linear chain even when two writers race."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="status_changes")
    seq = models.PositiveIntegerField()
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    changed_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    engine_version = models.CharField(max_length=80, blank=True)
    note = models.TextField()
    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "seq"]
        get_latest_by = "seq"
        # The Atom feed and the dashboard read the latest changes across all claims.
        indexes = [models.Index(fields=["-changed_at", "-id"], name="status_change_recent")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "seq"], name="status_change_linear"),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_change_changes"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="status_change_has_note"),
            # Exactly one actor: a person, or the engine of a stated version.
            models.CheckConstraint(
                condition=(Q(actor__isnull=False) & Q(engine_version=""))
                | (Q(actor__isnull=True) & ~Q(engine_version="")),
                name="status_change_one_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} #{self.seq}: {self.from_status} -> {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Status history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Status history is append-only.")

    @property
    def by_engine(self) -> bool:
        return not self.actor_id


class CheckState(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ArticleCheckQuerySet(models.QuerySet):
    def overdue(self, older_than):
        """Checks still pending although they were recorded before `older_than`: their
        task was lost (broker down, worker killed) and must be enqueued again."""
        return self.filter(state=CheckState.PENDING, created_at__lt=older_than)

    def suggestions_overdue(self, older_than, *, max_sends: int):
        """Articles still owing their claim suggestions although recorded before
        `older_than`, and not yet sent `max_sends` times by the sweep."""
        return self.filter(
            suggested_at__isnull=True, created_at__lt=older_than, suggestion_sends__lt=max_sends
        )


class ArticleCheck(models.Model):
    """The re-check an article owes the tracked claims. Recorded in the same transaction
    as the article, so a broker outage cannot lose it (a transactional outbox)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="recheck")
    state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    engine_version = models.CharField(max_length=80, blank=True)
    findings = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The claim suggestions the article owes, in the same outbox: null until they are
    # computed for its current text; a sweep sends them again, a bounded number of times.
    suggested_at = models.DateTimeField(null=True, blank=True)
    suggestion_sends = models.PositiveSmallIntegerField(default=0)

    objects = ArticleCheckQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CheckState.values), name="article_check_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"check of article {self.article_id}: {self.state}"


class ArticleFingerprint(models.Model):
    """A SimHash of an article's text and the story it belongs to: syndicated copies of
    one story across outlets share a story (the first copy stored), so evidence is
    counted by independent stories, not by copies."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="fingerprint")
    simhash = models.BigIntegerField()
    story = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="story_copies")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"article {self.article_id} in story {self.story_id}"


class FingerprintBand(models.Model):
    """One of the eight 8-bit bands of an article's fingerprint, as band number * 256 +
    value, indexed so that near-duplicates are found by equality."""

    fingerprint = models.ForeignKey(
        ArticleFingerprint, on_delete=models.CASCADE, related_name="bands"
    )
    key = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"])]
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "key"], name="fingerprint_band_once")
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}: {self.key}"


class ClaimMerge(models.Model):
    """The record of a duplicate claim merged into the claim that is kept: who, when, why
    and what moved. The merged claim stays in the database with its own history."""

    kept = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="merges")
    merged = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="merge_record")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    merged_at = models.DateTimeField()
    moved_appearances = models.PositiveIntegerField(default=0)
    moved_evidence = models.PositiveIntegerField(default=0)
    left_behind = models.JSONField(
        default=dict,
        blank=True,
        help_text="Rows that duplicated the kept claim's and stayed on the merged claim.",
    )

    class Meta:
        ordering = ["merged_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kept=F("merged")), name="merge_not_into_itself"),
            models.CheckConstraint(condition=~Q(note=""), name="merge_has_note"),
        ]

    def __str__(self) -> str:
        return f"claim {self.merged_id} merged into {self.kept_id}"


class EventKind(models.TextChoices):
    CLAIM_CREATED = "claim.created", "Claim created"
    CLAIM_UPDATED = "claim.updated", "Claim updated"
    APPEARANCE_ADDED = "appearance.added", "Appearance added"
    APPEARANCE_UPDATED = "appearance.updated", "Appearance corrected"
    EVIDENCE_ADDED = "evidence.added", "Evidence added"
    EVIDENCE_UPDATED = "evidence.updated", "Evidence re-judged by the engine"
    EVIDENCE_REVIEWED = "evidence.reviewed", "Evidence reviewed"
    STATUS_CHANGED = "status.changed", "Status changed"
    CLAIMS_MERGED = "claims.merged", "Claims merged"


class ChangeEvent(models.Model):
    """One entry of the append-only change feed that outside tools sync from, written by
    the services in the transaction that made the change.

    Read in (txid, id) order: on PostgreSQL `txid` is the writing transaction's id, and
    the feed only serves events of transactions older than every one still running, so
    an event can never appear later before one already served (see claims.events)."""

    id = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField()
    claim_id = models.BigIntegerField(db_index=True)
    object_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    actor = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(
        null=True, blank=True, help_text="The record of the change: a status change, a merge."
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["txid", "id"]
        indexes = [models.Index(fields=["txid", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The change feed is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The change feed is append-only.")


class WebhookSubscription(models.Model):
    """An outside service told of changes as they happen: each change-feed event of the
    kinds it asked for (all when `events` is empty) is POSTed to `target_url`, signed
    with `secret` (HMAC-SHA256). The secret is stored as given, since signing needs it,
    and the API shows it only once, in the answer to the subscription's creation."""

    target_url = models.URLField(max_length=2000)
    events = models.JSONField(
        default=list,
        blank=True,
        help_text="Event kinds to send (EventKind values); empty sends every kind.",
    )
    secret = models.CharField(max_length=200, editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_has_secret"),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} to {self.target_url}"

    def wants(self, kind: str) -> bool:
        return not self.events or kind in self.events


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event owed to one subscription, recorded in the transaction that recorded the
    event (so a broker outage loses nothing) and tried until it is delivered or runs out
    of attempts. `next_attempt_at` is when the next try is due (empty once finished)."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(ChangeEvent, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} to webhook {self.subscription_id}: {self.state}"


class WebhookAttempt(models.Model):
    """One try at a delivery: when, how long, and what came back (the status, or the
    error when there was no answer, and the start of the answer's body)."""

    BODY_LIMIT = 1024  # bytes of the answer's body kept

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_body = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        outcome = self.response_status or self.error[:40]
        return f"delivery {self.delivery_id} attempt {self.number}: {outcome}"


class SuggestionState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """A statement of an article the engine thinks worth tracking, with who made it and
    how it reached the article, waiting for a journalist to accept, edit or dismiss it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    score = models.FloatField(help_text="How worth checking, 0 to 1.")
    kind = models.CharField(max_length=12, choices=ClaimKind.choices)
    wording = models.TextField(help_text="The claim in self-contained words.")
    speaker = models.CharField(max_length=200, blank=True)
    speaker_kind = models.CharField(max_length=20, blank=True)
    anonymous_count = models.PositiveSmallIntegerField(null=True, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    verb = models.CharField(max_length=40, blank=True)
    hedge = models.CharField(max_length=40, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_score = models.FloatField(null=True, blank=True)
    engine_version = models.CharField(max_length=80)
    state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    appearance = models.ForeignKey(
        Appearance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="suggestion_once"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="suggestion_span_valid"),
            models.CheckConstraint(
                condition=Q(state__in=SuggestionState.values), name="suggestion_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} [{self.start}:{self.end}] {self.state}"
