"""A claim's current verdict as a schema.org ClaimReview (JSON-LD), the markup fact-check
readers and search engines understand. Built from the claim and its appearances only, so
it never depends on a request: the caller names the site's address (`base_url`)."""

from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from articles.models import SourceKind
from claims.models import Appearance, Claim, Status

# The rating is a truthfulness scale from 1 (false) to 5 (true); 2 and 4 are not used.
BEST_RATING = 5
WORST_RATING = 1
# Only the three verdicts on the claim's truth get a number. `unverified` (nobody has
# ruled yet), `unverifiable` (it cannot be checked) and `retracted` (the speaker withdrew
# it) say nothing about whether the claim is true, and any number would put them on the
# truth scale: a reader averaging or colouring by ratingValue would take a 3 for "mixed"
# and a 1 for "false". So those keep only their label (`alternateName`, which ClaimReview
# consumers read first) and carry no `ratingValue`.
RATING_VALUES = {
    Status.SUPPORTED: 5,
    Status.MIXED: 3,
    Status.REFUTED: 1,
}

_SPEAKER_TYPES = {
    SourceKind.PERSON: "Person",
    SourceKind.ORGANISATION: "Organization",
    SourceKind.PUBLICATION: "Organization",
    # "three people familiar with the project": a group, named as the article names it.
    SourceKind.ANONYMOUS: "Organization",
}


def _iso(value: datetime) -> str:
    """ISO 8601 with its zone; a naive time (only possible without USE_TZ) is taken to be
    in the default zone."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.isoformat()


def _first_seen(appearance: Appearance) -> tuple:
    """Sort key: the earliest published article first, undated articles last, then the
    order the appearances were logged in. The same on every database (SQLite and
    PostgreSQL put NULL dates at opposite ends)."""
    published = appearance.article.published_at
    return (published is None, published or datetime.min, appearance.pk)


def _speaker(source) -> dict:
    speaker = {"@type": _SPEAKER_TYPES.get(source.kind, "Organization"), "name": source.name}
    if source.url:
        speaker["url"] = source.url
    return speaker


def _creative_work(appearance: Appearance, base_url: str) -> dict:
    article = appearance.article
    work = {
        "@type": "CreativeWork",
        "url": article.url or base_url + reverse("article-detail", args=[article.pk]),
        "headline": article.title,
    }
    if article.published_at is not None:
        work["datePublished"] = _iso(article.published_at)
    if article.publication_id is not None:
        work["publisher"] = {"@type": "Organization", "name": article.publication.name}
    return work


def claim_review(claim: Claim, *, base_url: str) -> dict:
    """The claim's current verdict as a schema.org ClaimReview document.

    `base_url` is the site's address ("https://claimtrack.example.org"); the review and
    articles without a URL of their own link to pages under it. One query when the
    claim's appearances are not prefetched yet (appearances with their article, its
    publication and the speaker).
    """
    base_url = base_url.rstrip("/")
    prefetch_related_objects(
        [claim],
        Prefetch(
            "appearances",
            Appearance.objects.select_related("article__publication", "speaker"),
        ),
    )
    appearances = sorted(claim.appearances.all(), key=_first_seen)

    # `status_changed_at` is written with every StatusChange, in the same transaction,
    # so it is the time of the latest one without another query.
    ruled_at = claim.status_changed_at or claim.created_at

    item_reviewed: dict = {"@type": "Claim"}
    if appearances:
        first = appearances[0]
        if first.speaker_id is not None:
            item_reviewed["author"] = _speaker(first.speaker)
        item_reviewed["appearance"] = [_creative_work(a, base_url) for a in appearances]
        item_reviewed["firstAppearance"] = _creative_work(first, base_url)
        if first.article.published_at is not None:
            item_reviewed["datePublished"] = _iso(first.article.published_at)

    rating: dict = {
        "@type": "Rating",
        "alternateName": Status(claim.status).label,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }
    if claim.status in RATING_VALUES:
        rating["ratingValue"] = RATING_VALUES[claim.status]

    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url + reverse("claims:detail", args=[claim.pk]),
        "claimReviewed": claim.text,
        "datePublished": _iso(ruled_at),
        "author": {
            "@type": "Organization",
            "name": settings.CLAIMTRACK_PUBLISHER_NAME,
            "url": base_url + "/",
        },
        "itemReviewed": item_reviewed,
        "reviewRating": rating,
    }
