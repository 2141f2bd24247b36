import pytest

from articles.models import SourceKind
from articles.services import source_get_or_create
from claims.services import appearance_create, evidence_propose
from tests.conftest import api_client
from tests.factories import make_article, make_claim, make_publication

TEXT = (
    "Meta released LLaMA 2 on Tuesday. The model is free for research and commercial use, "
    "the company said."
)


@pytest.fixture
def world(journalist):
    """A claim made in an article by a person, with one piece of pending evidence."""
    outlet = make_publication("The Wire")
    meta = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    article = make_article(title="LLaMA 2 is out", text=TEXT, publication=outlet)
    later = make_article(title="Licence row", text="Critics say the licence is not open.")
    claim = make_claim(
        journalist, text="LLaMA 2 is free for commercial use.", kind="fact", tags=["llama"]
    )
    start = TEXT.index("The model is free")
    appearance = appearance_create(
        claim=claim, article=article, start=start, end=start + 49, speaker=meta, actor=journalist
    )
    evidence, _ = evidence_propose(
        claim=claim, article=later, stance="refutes", score=0.7, actor=journalist
    )
    return {
        "claim": claim,
        "article": article,
        "later": later,
        "outlet": outlet,
        "meta": meta,
        "appearance": appearance,
        "evidence": evidence,
    }


@pytest.fixture
def as_role(journalist, editor, reader, outsider):
    """as_role(name) -> an API client for that role ("anonymous" has no credentials)."""
    users = {"journalist": journalist, "editor": editor, "reader": reader, "outsider": outsider}

    def client(role: str):
        return api_client(users.get(role))

    return client
