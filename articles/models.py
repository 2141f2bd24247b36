"""Who says things (sources) and what was published (articles), and the jobs that bring
work in."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class SourceKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    PUBLICATION = "publication", "Publication"
    ANONYMOUS = "anonymous", "Anonymous group"


class SourceQuerySet(models.QuerySet):
    def publications(self):
        return self.filter(kind=SourceKind.PUBLICATION)

    def named(self, name: str):
        """Sources whose name or one of whose aliases is `name`, ignoring case."""
        return self.filter(
            models.Q(name__iexact=name) | models.Q(aliases__name__iexact=name)
        ).distinct()


class Source(models.Model):
    """Someone who makes or relays claims: a person, an organisation, a publication, or an
    anonymous group such as "three people familiar with the project"."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "kind", name="source_unique_name_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_names(self) -> list[str]:
        return sorted(alias.name for alias in self.aliases.all())


class SourceAlias(models.Model):
    """Another name a source goes by ("FT" for the Financial Times)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "source aliases"
        constraints = [
            models.UniqueConstraint("source", Lower("name"), name="alias_unique_per_source"),
        ]

    def __str__(self) -> str:
        return self.name


class ArticleOrigin(models.TextChoices):
    PASTE = "paste", "Pasted"
    URL = "url", "Fetched from a URL"
    FEED = "feed", "From a feed"
    UPLOAD = "upload", "Uploaded"


class ArticleQuerySet(models.QuerySet):
    def published_between(self, start, end):
        return self.filter(published_at__gte=start, published_at__lt=end)


class Article(models.Model):
    """A published text. Its canonical URL (when known) and the hash of its normalised text
    are unique, so the same article never lands twice."""

    # NULL, not "", when unknown: the unique constraint applies only to known URLs.
    url = models.URLField(max_length=2000, null=True, blank=True)  # noqa: DJ001
    title = models.CharField(max_length=500)
    publication = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        limit_choices_to={"kind": SourceKind.PUBLICATION},
    )
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    html = models.TextField(
        blank=True, help_text="The main content as fetched, sanitised (nh3); never trusted."
    )
    language = models.CharField(max_length=16, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    origin = models.CharField(max_length=10, choices=ArticleOrigin.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Counts the versions of its text we have seen."
    )
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=models.Q(url__isnull=False) & ~models.Q(url=""),
                name="article_unique_url",
            ),
            models.UniqueConstraint(fields=["content_hash"], name="article_unique_content"),
            models.CheckConstraint(condition=~models.Q(text=""), name="article_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """An earlier version of an article's text, kept when the source changed it: an
    edited or retracted article is news in itself."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """Long work a person started from a page (a bulk review, an import), run by a task.
    The task reports its progress here, so the page and the API can show it. It lives
    in this app, the one every other depends on, so both sides can start jobs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    result_url = models.CharField(
        max_length=500, blank=True, help_text="Where to see what the job made."
    )
    result = models.JSONField(default=dict, blank=True)
    source = models.TextField(
        blank=True, help_text="What the job works on: a URL, or an uploaded batch's content."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="job_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)


class Feed(models.Model):
    """An RSS or Atom feed the newsroom follows. Celery beat polls it every `poll_minutes`
    with a conditional request (the stored ETag and Last-Modified); each entry it has not
    seen before becomes a FeedEntry, whose article is fetched by a task of its own. A feed
    that fails keeps its error in `last_error` and is tried again later, less and less
    often while it keeps failing (`failures` counts the failed polls in a row)."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    site_url = models.URLField(max_length=2000, blank=True, help_text="The site the feed is of.")
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    active = models.BooleanField(default=True, help_text="Off: the feed is not polled.")
    poll_minutes = models.PositiveIntegerField(default=30, help_text="Minutes between polls.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True, help_text="Why the last poll failed, if it did.")
    failures = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feeds",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_minutes__gte=1), name="feed_poll_minutes_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntryState(models.TextChoices):
    PENDING = "pending", "Waiting to be fetched"
    STORED = "stored", "Article stored"
    FAILED = "failed", "Failed"


class FeedEntry(models.Model):
    """One entry of a feed, recorded the first time a poll sees it (by its id in the
    feed, else its link), so that it is fetched once however often it is seen again."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=500)
    link = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=FeedEntryState.choices, default=FeedEntryState.PENDING
    )
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feed_entries",
    )
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-seen_at", "-id"]
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feed_entry_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=FeedEntryState.values), name="feed_entry_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid
