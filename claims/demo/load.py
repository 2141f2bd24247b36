"""Load the LLaMA 2 demo storyline through the same services the app uses.

Idempotent: everything is looked up before it is created, and a claim's history is
replayed only while the claim has none, so loading twice leaves the same data.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from articles.models import Article, ArticleOrigin
from articles.services import article_create, source_get_or_create
from claims import recheck, services
from claims.demo import storyline
from claims.engine.anchor import find_quote
from claims.models import Appearance, Claim, Evidence, ReviewState
from claims.suggestions import suggestions_compute

DEMO_PASSWORD = "demo"  # noqa: S105  (documented demo credential, DEBUG only)
DEMO_USERS = {
    "journalist": {"groups": ["journalist"], "is_superuser": False},
    "editor": {"groups": ["editor"], "is_superuser": False},
    "admin": {"groups": [], "is_superuser": True},
}


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    engine_evidence: int = 0
    suggestions: int = 0

    def count(self, what: str, created: bool = True) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1


def _users(report: DemoReport) -> dict:
    User = get_user_model()
    users = {}
    for username, spec in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@claimtrack.example",
                # Only the admin reaches the Django admin; the others work in the pages.
                "is_staff": spec["is_superuser"],
                "is_superuser": spec["is_superuser"],
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set(Group.objects.filter(name__in=spec["groups"]))
        report.count("users", created)
        users[username] = user
    return users


def _articles(sources: dict, report: DemoReport) -> dict[str, Article]:
    articles = {}
    for spec in storyline.ARTICLES:
        stored = article_create(
            title=spec["title"],
            text=spec["text"],
            url=spec["url"],
            origin=ArticleOrigin.PASTE,
            publication=sources[spec["outlet"]],
            author=spec["author"],
            published_at=datetime.fromisoformat(spec["published_at"]),
            retrieved_at=datetime.fromisoformat(spec["published_at"]),
            language=spec["language"],
        )
        report.count("articles", stored.created)
        articles[spec["key"]] = stored.article
    return articles


def _appearance(claim: Claim, spec: dict, articles: dict, sources: dict, actor, report) -> None:
    article = articles[spec["article"]]
    selector = find_quote(article.text, spec["quote"])
    if Appearance.objects.filter(
        claim=claim, article=article, start=selector.start, end=selector.end
    ).exists():
        return
    services.appearance_create(
        claim=claim,
        article=article,
        start=selector.start,
        end=selector.end,
        quote=spec["quote"],
        speaker=sources.get(spec["speaker"]),
        outlet=sources.get(spec["outlet"]),
        attribution=spec["attribution"],
        anonymous_count=spec["anonymous_count"],
        actor=actor,
    )
    report.count("appearances")


def _evidence(claim: Claim, spec: dict, articles: dict, users: dict, report) -> Evidence:
    """The storyline's evidence row: the engine's finding when it found one (reviewed as
    the storyline says, with the storyline's stance as the editor's correction), else a
    journalist's proposal."""
    article = articles[spec["article"]]
    evidence = Evidence.objects.filter(claim=claim, article=article).first()
    if evidence is None:
        sentences = []
        for text in spec["sentences"]:
            selector = find_quote(article.text, text)
            sentences.append({"text": text, "start": selector.start, "end": selector.end})
        evidence, _ = services.evidence_propose(
            claim=claim,
            article=article,
            stance=spec["stance"],
            score=spec["score"],
            sentences=sentences,
            actor=users["journalist"],
        )
        report.count("evidence proposed by a journalist")
    if evidence.review_state == ReviewState.PENDING and spec["review"] != ReviewState.PENDING:
        correction = spec["stance"] if spec["stance"] != evidence.stance else ""
        if spec["review"] == ReviewState.REJECTED:
            correction = ""
        services.evidence_review(
            evidence=evidence,
            state=spec["review"],
            actor=users["editor"],
            corrected_stance=correction,
            at=article.published_at,
        )
        report.count("evidence reviews")
    return evidence


def _claim(spec: dict, articles: dict, sources: dict, users: dict, report: DemoReport) -> Claim:
    claim = Claim.objects.filter(text=spec["text"]).first()
    if claim is None:
        claim = services.claim_create(
            text=spec["text"],
            kind=spec["kind"],
            tags=spec["tags"],
            resolves_by=date.fromisoformat(spec["resolves_by"]) if spec["resolves_by"] else None,
            actor=users["journalist"],
        )
        report.count("claims")
    for appearance in spec["appearances"]:
        _appearance(claim, appearance, articles, sources, users["journalist"], report)
    return claim


def _rulings(claim: Claim, spec: dict, articles: dict, users: dict, report: DemoReport) -> None:
    """The editors' work: reviews of the evidence, then the dated status history."""
    evidence = {
        e["article"]: _evidence(claim, e, articles, users, report) for e in spec["evidence"]
    }
    if claim.status_seq:
        return  # history already replayed
    for step in spec["history"]:
        services.claim_set_status(
            claim=claim,
            to=step["to"],
            expected=claim.status,
            note=step["note"],
            actor=users[step["by"]],
            evidence=evidence.get(step["evidence"]),
            at=datetime.fromisoformat(step["at"]),
        )
        report.count("status changes")


def demo_load() -> DemoReport:
    """Create the demo users, sources, articles, claims, evidence and histories."""
    report = DemoReport()
    with transaction.atomic():
        users = _users(report)
        sources = {
            s["key"]: source_get_or_create(
                name=s["name"], kind=s["kind"], aliases=tuple(s.get("aliases", ()))
            )
            for s in storyline.SOURCES
        }
        articles = _articles(sources, report)
        claims = [_claim(spec, articles, sources, users, report) for spec in storyline.CLAIMS]
    # The engine re-checks the stored articles now, whether or not a worker is running,
    # so the editors' reviews below find its evidence (a check already done is skipped).
    for article in sorted(articles.values(), key=lambda a: a.published_at):
        recheck.article_check_run(article_id=article.pk)
    with transaction.atomic():
        for claim, spec in zip(claims, storyline.CLAIMS, strict=True):
            _rulings(claim, spec, articles, users, report)
    report.engine_evidence = Evidence.objects.by_engine().count()
    # Suggestions once the storyline's claims exist: spans already logged are not offered
    # again, and repeats of tracked claims are offered as new appearances.
    report.suggestions = sum(suggestions_compute(article=article) for article in articles.values())
    return report
