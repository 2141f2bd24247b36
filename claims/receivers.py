"""Follow-up work after commit: the claims side listens to new articles and to new or
reworded claims, and enqueues their re-checks; and to every recorded change, which it
owes the webhooks that subscribed to it."""

from django.dispatch import receiver

from articles.signals import article_revised, article_stored
from claims import recheck, webhooks
from claims.anchoring import article_quotes_reanchor
from claims.signals import change_recorded, claim_text_changed
from claims.tasks import check_claim, deliver_webhook, recheck_article, suggest_claims
from claimtrack.enqueue import enqueue_on_commit


@receiver(article_stored, dispatch_uid="claims.article_stored")
def owe_article_a_recheck(sender, article, **kwargs) -> None:
    recheck.article_check_record(article=article)
    # If the broker is down the article is still saved (a send failure is logged, never
    # raised); the sweep sends the re-check its outbox row still owes.
    enqueue_on_commit(recheck_article, article.pk)
    enqueue_on_commit(suggest_claims, article.pk)


@receiver(claim_text_changed, dispatch_uid="claims.claim_text_changed")
def check_claim_against_recent_articles(sender, claim, **kwargs) -> None:
    # A lost message is caught up by the periodic re-check of stale claims.
    enqueue_on_commit(check_claim, claim.pk)


@receiver(change_recorded, dispatch_uid="claims.change_recorded.webhooks")
def owe_webhook_deliveries(sender, event, **kwargs) -> None:
    # The deliveries are recorded with the event: if the broker is down they are still
    # owed, and the sweep sends them.
    for delivery in webhooks.webhook_deliveries_for(event):
        enqueue_on_commit(deliver_webhook, delivery.pk)


@receiver(article_revised, dispatch_uid="claims.article_revised")
def follow_quotes_into_the_new_revision(sender, article, previous_text, **kwargs) -> None:
    article_quotes_reanchor(article=article, previous_text=previous_text)
    # The new text owes a re-check (in the outbox, so a lost message is swept up); sent
    # forced, so a check of the old text finishing meanwhile cannot swallow it.
    recheck.article_check_reopen(article=article)
    enqueue_on_commit(recheck_article, article.pk, True)
    enqueue_on_commit(suggest_claims, article.pk)
