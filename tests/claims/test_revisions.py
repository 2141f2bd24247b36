import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleRevision
from articles.services import article_revise
from claims.models import AnchorState, Appearance, ArticleCheck, ChangeEvent, Claim, Evidence
from claims.selectors import dashboard_figures
from claims.services import appearance_create, evidence_propose
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta released LLaMA 2 on Tuesday. The model is free for commercial use, the company "
    "said. Critics were not convinced."
)


@pytest.fixture
def logged(journalist):
    article = make_article(title="LLaMA 2 is out", text=TEXT, url="https://example.com/llama")
    free = make_claim(journalist, text="LLaMA 2 is free for commercial use.", kind="fact")
    released = make_claim(journalist, text="Meta released LLaMA 2.", kind="fact")
    quote = "The model is free for commercial use"
    start = TEXT.index(quote)
    moving = appearance_create(
        claim=free, article=article, start=start, end=start + len(quote), actor=journalist
    )
    staying = appearance_create(claim=released, article=article, start=0, end=21, actor=journalist)
    sentence = {"start": start, "end": start + len(quote), "text": quote}
    evidence, _ = evidence_propose(
        claim=released,
        article=article,
        stance="supports",
        score=0.6,
        sentences=[sentence],
        actor=journalist,
    )
    return article, moving, staying, evidence


def test_a_changed_text_becomes_a_revision_and_quotes_follow_it(logged):
    article, moving, _, evidence = logged
    new_text = "Update: the licence has limits. " + TEXT.replace("Critics", "Many critics")
    article, changed = article_revise(article=article, text=new_text)
    assert changed and article.revision == 2 and article.revised_at is not None
    old = ArticleRevision.objects.get(article=article)
    assert (old.number, old.text) == (1, TEXT)
    moving.refresh_from_db()
    assert moving.anchor == AnchorState.MOVED
    assert new_text[moving.start : moving.end] == "The model is free for commercial use"
    assert moving.quote_prefix.endswith("on Tuesday. ")
    evidence.refresh_from_db()
    first = evidence.sentences[0]
    assert new_text[first["start"] : first["end"]] == first["text"]


def test_a_quote_whose_words_are_gone_is_flagged_for_an_editor(logged, client, editor):
    article, moving, staying, _ = logged
    article_revise(article=article, text=TEXT.replace("is free for commercial use", "is not free"))
    moving.refresh_from_db()
    staying.refresh_from_db()
    assert moving.anchor == AnchorState.LOST and staying.anchor == AnchorState.ANCHORED
    assert list(Claim.objects.with_lost_quotes()) == [moving.claim]
    assert dashboard_figures(today=timezone.localdate()).quotes_lost == 1
    client.force_login(editor)
    page = client.get(reverse("claims:detail", args=[moving.claim_id]), secure=True)
    assert "This quote is no longer in the article" in page.content.decode()
    article_page = client.get(reverse("article-detail", args=[article.pk]), secure=True)
    assert f'id="quote-{moving.pk}"' not in article_page.content.decode()
    assert f'id="quote-{staying.pk}"' in article_page.content.decode()
    listed = client.get(reverse("claims:list"), {"quote_lost": "true"}, secure=True)
    assert [c.pk for c in listed.context["object_list"]] == [moving.claim_id]
    kinds = set(ChangeEvent.objects.values_list("kind", flat=True))
    assert "appearance.updated" in kinds


def test_the_revision_is_checked_again(logged, django_capture_on_commit_callbacks):
    article, *_ = logged
    ArticleCheck.objects.filter(article=article).update(state="done")
    with django_capture_on_commit_callbacks() as callbacks:
        article_revise(article=article, text=TEXT + " A late addition.")
    assert ArticleCheck.objects.get(article=article).state == "pending"
    assert callbacks  # the re-check is sent once committed


def test_the_same_text_changes_nothing_and_another_articles_text_is_refused(logged):
    article, *_ = logged
    same, changed = article_revise(article=article, text=TEXT + "\n")
    assert not changed and same.revision == 1
    other = make_article(text="Something else entirely was reported.")
    with pytest.raises(ValidationError):
        article_revise(article=article, text=other.text)
    assert not ArticleRevision.objects.exists()
    assert Appearance.objects.filter(anchor="anchored").count() == 2
    assert Evidence.objects.count() == 1
