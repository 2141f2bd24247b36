"""How the claims side listens to the articles side."""

from django.db import transaction
from django.dispatch import receiver

from articles.signals import article_stored
from claims import services
from claims.tasks import recheck_article


@receiver(article_stored, dispatch_uid="claims.article_stored")
def owe_article_a_recheck(sender, article, **kwargs) -> None:
    services.article_check_record(article=article)
    # robust: if the broker is down the article is still saved; the sweep re-sends.
    transaction.on_commit(lambda: recheck_article.delay(article.pk), robust=True)
