"""Follow-up work after commit: the claims side listens to new articles and to new or
reworded claims, and enqueues their re-checks; and to every recorded change, which it
owes the webhooks that subscribed to it."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from articles.signals import article_revised, article_stored
from claims import recheck, webhooks
from claims.anchoring import article_quotes_reanchor
from claims.signals import change_recorded, claim_text_changed
from claims.tasks import check_claim, deliver_webhook, recheck_article, suggest_claims


@receiver(article_stored, dispatch_uid="claims.article_stored")
def owe_article_a_recheck(sender, article, **kwargs) -> None:
    recheck.article_check_record(article=article)
    # robust: if the broker is down the article is still saved; the sweep re-sends.
    transaction.on_commit(lambda: recheck_article.delay(article.pk), robust=True)
    transaction.on_commit(lambda: suggest_claims.delay(article.pk), robust=True)


@receiver(claim_text_changed, dispatch_uid="claims.claim_text_changed")
def check_claim_against_recent_articles(sender, claim, **kwargs) -> None:
    # robust: a lost message is caught up by the periodic re-check of stale claims.
    transaction.on_commit(lambda: check_claim.delay(claim.pk), robust=True)


@receiver(change_recorded, dispatch_uid="claims.change_recorded.webhooks")
def owe_webhook_deliveries(sender, event, **kwargs) -> None:
    # The deliveries are recorded with the event; robust: if the broker is down they are
    # still owed, and the sweep sends them.
    for delivery in webhooks.webhook_deliveries_for(event):
        transaction.on_commit(partial(deliver_webhook.delay, delivery.pk), robust=True)


@receiver(article_revised, dispatch_uid="claims.article_revised")
def follow_quotes_into_the_new_revision(sender, article, previous_text, **kwargs) -> None:
    article_quotes_reanchor(article=article, previous_text=previous_text)
    transaction.on_commit(lambda: recheck_article.delay(article.pk, True), robust=True)
    transaction.on_commit(lambda: suggest_claims.delay(article.pk), robust=True)
