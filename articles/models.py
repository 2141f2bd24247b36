"""Who says things (sources) and what was published (articles)."""

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
    language = models.CharField(max_length=16, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    origin = models.CharField(max_length=10, choices=ArticleOrigin.choices)
    created_at = models.DateTimeField(auto_now_add=True)

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
