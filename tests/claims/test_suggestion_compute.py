import pytest

from claims.models import Suggestion
from claims.services import appearance_create
from claims.suggestions import suggestion_dismiss, suggestions_compute
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta Platforms is preparing a commercial version of its language model, the Financial "
    "Times reports. According to three people familiar with the project, the model will be "
    "released to companies within weeks. Meta wants to compete with OpenAI and Google, the "
    "people said. The weather in London was mild on Tuesday."
)


def test_a_new_article_gets_ranked_attributed_suggestions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Meta's commercial model", text=TEXT)
    suggestions = list(Suggestion.objects.filter(article=article))
    assert suggestions, "the task after ingest suggested nothing"
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    released = next(s for s in suggestions if "released to companies" in s.quote)
    assert released.speaker == "three people familiar with the project"
    assert released.anonymous_count == 3 and released.speaker_kind == "anonymous"
    assert released.kind == "prediction"
    preparing = next(s for s in suggestions if "preparing" in s.quote)
    assert (preparing.speaker, preparing.outlet) == ("Financial Times", "Financial Times")
    assert TEXT[released.start : released.end] == released.quote
    assert not any("weather" in s.quote for s in suggestions)


def test_logged_and_decided_passages_are_not_suggested_again(journalist):
    article = make_article(title="Meta's commercial model", text=TEXT)
    suggestions_compute(article=article)
    first = Suggestion.objects.filter(article=article).order_by("-score")
    dismissed = suggestion_dismiss(suggestion=first[0], actor=journalist)
    logged = first[1]
    claim = make_claim(journalist, text="Some claim.", kind="fact")
    appearance_create(
        claim=claim, article=article, start=logged.start, end=logged.end, actor=journalist
    )
    suggestions_compute(article=article)
    spans = set(
        Suggestion.objects.filter(article=article, state="open").values_list("start", "end")
    )
    assert (dismissed.start, dismissed.end) not in spans
    assert (logged.start, logged.end) not in spans
    assert Suggestion.objects.filter(article=article, state="dismissed").count() == 1


def test_a_repeat_of_a_tracked_claim_is_offered_as_its_appearance(journalist):
    tracked = make_claim(
        journalist,
        text="Meta will release its language model to companies within weeks.",
        kind="prediction",
    )
    article = make_article(title="Meta's commercial model", text=TEXT)
    suggestions_compute(article=article)
    released = Suggestion.objects.get(article=article, quote__contains="released to companies")
    assert released.duplicate_of == tracked and released.duplicate_score > 0
