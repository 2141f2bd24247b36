"""The newsroom the load benchmark runs against, inserted in bulk: claims with kinds,
statuses (each with its history row), tags, appearances in articles by named speakers,
engine evidence and the change feed's events, as if logged over two years.

This bypasses the services on purpose (100,000 claims through `claim_create` would take
longer than the benchmark); the rows keep the models' rules: a status other than
unverified has its StatusChange, a quote is exactly the article's text at its offsets.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

import synthetic
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleOrigin, Source, SourceKind
from articles.text import content_hash
from claims import events
from claims.engine.anchor import quote_selector
from claims.models import (
    Appearance,
    ArticleCheck,
    ChangeEvent,
    CheckState,
    Claim,
    ClaimKind,
    EventKind,
    Evidence,
    ReviewState,
    Stance,
    Status,
    StatusChange,
    Tag,
)

PASSWORD = "load-bench-password"  # noqa: S105 - users of a scratch database
TAGS = [f"topic-{i}" for i in range(30)]
BATCH = 10_000


@dataclass
class Seeded:
    claim_ids: list[int]
    article_ids: list[int]
    article_texts: dict[int, str]  # for journalists' quotes
    speaker_ids: list[int]
    tags: list[str]
    about: list[str]  # claim texts that ingested articles paraphrase
    users: dict[str, list[str]]  # role -> usernames


def _users(journalists: int, readers: int) -> dict[str, list[str]]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    roles = {
        "editor": ["load-editor"],
        "journalist": [f"load-journalist-{i}" for i in range(journalists)],
        "reader": [f"load-reader-{i}" for i in range(readers)],
    }
    for role, names in roles.items():
        group = Group.objects.get(name=role)
        for name in names:
            user = user_model.objects.create_user(username=name, password=PASSWORD)
            user.groups.add(group)
    return roles


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the quotes a journalist would select."""
    spans, start = [], 0
    for i, char in enumerate(text):
        if char == "." and (i + 1 == len(text) or text[i + 1] in " \n"):
            if i + 1 - start > 20:
                spans.append((start, i + 1))
            start = i + 2
    return spans


def _bulk(model, rows) -> list:
    made = []
    for first in range(0, len(rows), BATCH):
        made += model.objects.bulk_create(rows[first : first + BATCH])
    return made


def seed(n_claims: int, *, journalists: int, readers: int, seed: int = 7) -> Seeded:
    rng = random.Random(seed)
    now = timezone.now()
    users = _users(journalists, readers)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username=users["editor"][0])

    outlets = _bulk(
        Source,
        [Source(name=f"Outlet {i}", kind=SourceKind.PUBLICATION) for i in range(40)],
    )
    speakers = _bulk(
        Source, [Source(name=f"Speaker {i}", kind=SourceKind.PERSON) for i in range(400)]
    )
    tags = _bulk(Tag, [Tag(name=name) for name in TAGS])

    texts = synthetic.claims(n_claims, seed=1)
    n_articles = max(200, n_claims // 50)
    about = [texts[i] for i in range(0, n_claims, max(1, n_claims // 2000))]
    bodies = synthetic.articles(n_articles, seed=2, about=about)
    articles = _bulk(
        Article,
        [
            Article(
                title=f"Seeded article {i}",
                text=body.text,
                content_hash=content_hash(body.text),
                origin=ArticleOrigin.PASTE,
                publication=rng.choice(outlets),
                published_at=now - timedelta(days=rng.uniform(1, 365)),
                language="en",
            )
            for i, body in enumerate(bodies)
        ],
    )
    # Stored when published; checked long ago.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET created_at = published_at + interval '1 hour'")
    _bulk(
        ArticleCheck,
        [
            ArticleCheck(article=a, state=CheckState.DONE, attempts=1, finished_at=now)
            for a in articles
        ],
    )

    kinds = [ClaimKind.FACT] * 14 + [ClaimKind.PREDICTION] * 3 + [ClaimKind.INTENT] * 2
    kinds += [ClaimKind.OPINION]
    verdicts = [Status.SUPPORTED, Status.REFUTED, Status.MIXED, Status.UNVERIFIABLE]
    claims = []
    for text in texts:
        kind = rng.choice(kinds)
        status = rng.choice(verdicts) if rng.random() < 0.3 else Status.UNVERIFIED
        claims.append(
            Claim(
                text=text,
                kind=kind,
                status=status,
                status_seq=0 if status == Status.UNVERIFIED else 1,
                status_changed_at=None if status == Status.UNVERIFIED else now,
                resolves_by=(now + timedelta(days=rng.randint(-200, 400))).date()
                if kind == ClaimKind.PREDICTION
                else None,
                created_by=editor,
            )
        )
    claims = _bulk(Claim, claims)
    # Logged over two years, oldest first; verdicts some days later.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET created_at = now() - (%s - id) * interval '10 minutes', "
            "updated_at = now() - (%s - id) * interval '10 minutes' + interval '3 days'",
            [claims[-1].pk + 1, claims[-1].pk + 1],
        )
        cursor.execute(
            "UPDATE claims_claim SET status_changed_at = updated_at WHERE status_seq = 1"
        )
    _bulk(
        StatusChange,
        [
            StatusChange(
                claim_id=c.pk,
                seq=1,
                from_status=Status.UNVERIFIED,
                to_status=c.status,
                changed_at=now,
                actor=editor,
                note="Seeded verdict.",
            )
            for c in claims
            if c.status != Status.UNVERIFIED
        ],
    )
    with connection.cursor() as cursor:  # each verdict dated when its claim last changed
        cursor.execute(
            "UPDATE claims_statuschange AS s SET changed_at = c.status_changed_at "
            "FROM claims_claim AS c WHERE s.claim_id = c.id"
        )
    tagging = Claim.tags.through
    _bulk(
        tagging,
        [
            tagging(claim_id=c.pk, tag_id=tag.pk)
            for c in claims
            if rng.random() < 0.5
            for tag in rng.sample(tags, rng.randint(1, 2))
        ],
    )

    spans = {a.pk: _sentence_spans(a.text) for a in articles}
    appearances = []
    for c in claims:
        if rng.random() < 0.6:
            article = rng.choice(articles)
            start, end = rng.choice(spans[article.pk])
            quote = quote_selector(article.text, start, end)
            appearances.append(
                Appearance(
                    claim_id=c.pk,
                    article=article,
                    quote=quote.exact,
                    quote_prefix=quote.prefix,
                    quote_suffix=quote.suffix,
                    start=start,
                    end=end,
                    speaker=rng.choice(speakers),
                    attribution="said",
                    created_by=editor,
                )
            )
    appearances = _bulk(Appearance, appearances)
    _bulk(
        Evidence,
        [
            Evidence(
                claim_id=c.pk,
                article=rng.choice(articles),
                stance=rng.choice(Stance.values),
                score=round(rng.uniform(0.5, 1), 3),
                match_score=round(rng.uniform(0.5, 1), 3),
                engine_version="load-seed",
                review_state=rng.choice(
                    [ReviewState.PENDING, ReviewState.ACCEPTED, ReviewState.REJECTED]
                ),
            )
            for c in claims
            if rng.random() < 0.2
        ],
    )

    # The change feed as the services would have written it (one transaction here).
    with transaction.atomic():
        txid = events._current_txid()
        feed = [
            ChangeEvent(
                txid=txid,
                kind=EventKind.CLAIM_CREATED,
                at=now,
                claim_id=c.pk,
                object_type="claim",
                object_id=c.pk,
                actor=editor.username,
                after={"id": c.pk, "text": c.text, "kind": c.kind, "status": "unverified"},
            )
            for c in claims
        ]
        feed += [
            ChangeEvent(
                txid=txid,
                kind=EventKind.APPEARANCE_ADDED,
                at=now,
                claim_id=a.claim_id,
                object_type="appearance",
                object_id=a.pk,
                actor=editor.username,
                after={"id": a.pk, "claim": a.claim_id, "article": a.article_id},
            )
            for a in appearances
        ]
        _bulk(ChangeEvent, feed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    return Seeded(
        claim_ids=[c.pk for c in claims],
        article_ids=[a.pk for a in articles],
        article_texts={a.pk: a.text for a in articles},
        speaker_ids=[s.pk for s in speakers],
        tags=TAGS,
        about=about,
        users=users,
    )


def feed_cursors(count: int, *, within_last: int = 5000, seed: int = 3) -> list[str]:
    """Cursors of events near the end of the feed: where syncing tools left off."""
    rng = random.Random(seed)
    last = list(ChangeEvent.objects.order_by("-txid", "-id")[:within_last])
    return [events.cursor_of(rng.choice(last)) for _ in range(count)] if last else [""] * count
