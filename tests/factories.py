"""Small builders for test data, going through the services like the app does."""

import itertools

from articles.models import ArticleOrigin, SourceKind
from articles.services import article_create, source_get_or_create
from claims.services import claim_create

_counter = itertools.count(1)


def make_article(**overrides):
    n = next(_counter)
    fields = {
        "title": f"Article {n}",
        "text": f"Meta announced model number {n}. It is free for research.",
        "origin": ArticleOrigin.PASTE,
    }
    fields.update(overrides)
    return article_create(**fields).article


def make_publication(name="The Daily Example"):
    return source_get_or_create(name=name, kind=SourceKind.PUBLICATION)


def make_claim(actor, **overrides):
    n = next(_counter)
    fields = {"text": f"Meta will release model {n} as open source.", "kind": "prediction"}
    fields.update(overrides)
    return claim_create(actor=actor, **fields)
