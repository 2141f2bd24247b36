"""Every write to sources and articles goes through these functions."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.extraction import sanitise_html
from articles.models import (
    Article,
    ArticleOrigin,
    ArticleRevision,
    Source,
    SourceAlias,
    SourceKind,
)
from articles.signals import article_revised, article_stored
from articles.text import content_hash


@dataclass(frozen=True)
class StoredArticle:
    """The outcome of `article_create`: the article, and whether this call created it or
    found it already stored (same canonical URL or same normalised text)."""

    article: Article
    created: bool


def source_get_or_create(*, name: str, kind: str, aliases: tuple[str, ...] = ()) -> Source:
    """The source called `name` (or known by that alias) of this kind, created if new.

    Aliases are added when missing, so calling it again with more aliases extends them.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A source needs a name."})
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"Unknown source kind {kind!r}."})
    with transaction.atomic():
        source = Source.objects.filter(kind=kind).named(name).first()
        if source is None:
            source = Source.objects.create(name=name, kind=kind)
        known = {a.casefold() for a in source.aliases.values_list("name", flat=True)}
        for alias in aliases:
            alias = alias.strip()
            if alias and alias.casefold() not in known and alias.casefold() != name.casefold():
                SourceAlias.objects.create(source=source, name=alias)
                known.add(alias.casefold())
    return source


def source_describe(*, source: Source, description: str | None = None, url: str | None = None):
    """Correct what is said about a source (its name and kind stay: add an alias)."""
    changes = {
        k: v.strip() for k, v in (("description", description), ("url", url)) if v is not None
    }
    if changes:
        for name, value in changes.items():
            setattr(source, name, value)
        source.full_clean(exclude=["name", "kind"], validate_constraints=False)
        source.save(update_fields=list(changes))
    return source


def _existing_article(*, url: str | None, digest: str) -> Article | None:
    if url:
        found = Article.objects.filter(url=url).first()
        if found:
            return found
    return Article.objects.filter(content_hash=digest).first()


def article_create(
    *,
    title: str,
    text: str,
    origin: str = ArticleOrigin.PASTE,
    url: str | None = None,
    publication: Source | None = None,
    author: str = "",
    published_at: datetime | None = None,
    retrieved_at: datetime | None = None,
    language: str = "",
    html: str = "",
) -> StoredArticle:
    """Store an article unless the same one is already stored, and announce it.

    The same canonical URL or the same normalised text returns the stored article with
    `created=False`; nothing is overwritten. A new article sends `article_stored` inside
    the transaction so listeners can record their follow-up work atomically.
    """
    title, text, url = title.strip(), text.strip(), (url or "").strip() or None
    errors = {}
    if not title:
        errors["title"] = "An article needs a title."
    if not text:
        errors["text"] = "An article needs its text."
    if origin not in ArticleOrigin.values:
        errors["origin"] = f"Unknown origin {origin!r}."
    if publication is not None and publication.kind != SourceKind.PUBLICATION:
        errors["publication"] = f"{publication} is not a publication."
    if errors:
        raise ValidationError(errors)

    digest = content_hash(text)
    existing = _existing_article(url=url, digest=digest)
    if existing:
        return StoredArticle(existing, created=False)
    try:
        with transaction.atomic():
            article = Article(
                title=title,
                text=text,
                url=url,
                publication=publication,
                author=author.strip(),
                published_at=published_at,
                retrieved_at=retrieved_at,
                language=language.strip(),
                html=sanitise_html(html) if html else "",
                content_hash=digest,
                origin=origin,
            )
            article.full_clean(exclude=["content_hash"], validate_constraints=False)
            article.save()
            article_stored.send(sender=Article, article=article)
    except IntegrityError:
        # Another writer stored the same article between our check and our insert.
        existing = _existing_article(url=url, digest=digest)
        if existing is None:
            raise
        return StoredArticle(existing, created=False)
    return StoredArticle(article, created=True)


_EDITABLE = ("title", "publication", "author", "published_at")


def article_update(*, article: Article, **changes) -> Article:
    """Correct an article's title, publication, author or publication time. Its text and
    URL are what claims are anchored to and what makes it unique: they never change here
    (a changed text is a new revision, which ingestion handles)."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    publication = changes.get("publication", article.publication)
    if publication is not None and publication.kind != SourceKind.PUBLICATION:
        raise ValidationError({"publication": f"{publication} is not a publication."})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": "An article needs a title."})
    for name, value in changes.items():
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    article.save(update_fields=list(changes) or None)
    return article


def article_revise(
    *, article: Article, text: str, title: str | None = None, retrieved_at=None
) -> tuple[Article, bool]:
    """Store a changed text of `article` (the same URL, fetched again) as its new
    revision, keeping the old one, and announce it so the quotes logged from it are
    found again. Returns the article and whether the text had changed."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "An article needs its text."})
    digest = content_hash(text)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if digest == current.content_hash:
            return current, False
        if Article.objects.filter(content_hash=digest).exclude(pk=current.pk).exists():
            raise ValidationError({"text": "Another stored article already has exactly this text."})
        now = timezone.now()
        ArticleRevision.objects.create(
            article=current,
            number=current.revision,
            title=current.title,
            text=current.text,
            content_hash=current.content_hash,
            retrieved_at=current.retrieved_at,
            superseded_at=now,
        )
        previous_text = current.text
        current.text, current.content_hash = text, digest
        current.title = (title or "").strip() or current.title
        current.retrieved_at = retrieved_at or now
        current.revision += 1
        current.revised_at = now
        current.save()
        article_revised.send(sender=Article, article=current, previous_text=previous_text)
    return current, True
