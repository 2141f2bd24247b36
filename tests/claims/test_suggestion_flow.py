"""Accepting, editing and dismissing suggestions, through the pages and the API. The
suggestions are made by hand here; the engine that finds them is tested on its own."""

import pytest
from django.urls import reverse

from articles.models import Source, SourceKind
from claims.models import Appearance, ChangeEvent, Claim, Suggestion
from claims.services import claim_log_from_passage, source_named
from tests.conftest import api_client
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta is working on a new model, the Financial Times reports. It is set to be released "
    "as open source next week, according to three people familiar with the project."
)
QUOTE = "It is set to be released as open source next week"


@pytest.fixture
def article():
    return make_article(title="Meta's next model", text=TEXT, publication=make_publication("FT"))


@pytest.fixture
def suggestion(article):
    start = TEXT.index(QUOTE)
    return Suggestion.objects.create(
        article=article,
        start=start,
        end=start + len(QUOTE),
        quote=QUOTE,
        score=0.8,
        kind="prediction",
        wording="Meta's new model will be released as open source.",
        speaker="three people familiar with the project",
        speaker_kind="anonymous",
        anonymous_count=3,
        outlet="Financial Times",
        verb="according to",
        hedge="is set to",
        attribution="according to three people familiar with the project",
        engine_version="test",
    )


def _rows(appearance, events_after: int = 0):
    """What logging made, without ids and times."""
    claim = appearance.claim
    events = ChangeEvent.objects.filter(id__gt=events_after)
    return (
        (claim.text, claim.kind, claim.status, claim.created_by_id),
        (
            appearance.quote,
            appearance.quote_prefix,
            appearance.quote_suffix,
            appearance.start,
            appearance.end,
            appearance.speaker_id,
            appearance.outlet_id,
            appearance.attribution,
            appearance.anonymous_count,
            appearance.created_by_id,
        ),
        sorted(events.values_list("kind", flat=True)),
    )


def test_accepting_makes_exactly_what_logging_by_hand_makes(client, journalist, suggestion):
    client.force_login(journalist)
    url = reverse("claims:suggestion-decision", args=[suggestion.pk, "accept"])
    response = client.post(url, secure=True)
    accepted = Appearance.objects.get()
    assert response.url.endswith(f"#quote-{accepted.pk}")
    suggestion.refresh_from_db()
    assert suggestion.state == "accepted" and suggestion.appearance == accepted
    assert accepted.speaker.kind == SourceKind.ANONYMOUS
    assert accepted.outlet.name == "Financial Times"
    made = _rows(accepted)

    # The same passage logged by hand, once the accepted one is gone.
    Appearance.objects.all().delete()
    Claim.all_objects.all().delete()
    marker = ChangeEvent.objects.latest("id").id
    by_hand = claim_log_from_passage(
        article=suggestion.article,
        start=suggestion.start,
        end=suggestion.end,
        quote=QUOTE,
        actor=journalist,
        text=suggestion.wording,
        kind="prediction",
        speaker=source_named("three people familiar with the project", kind="anonymous"),
        outlet=source_named("Financial Times", kind=SourceKind.PUBLICATION),
        attribution=suggestion.attribution,
        anonymous_count=3,
    )
    assert _rows(by_hand, events_after=marker) == made


def test_a_suggestion_repeating_a_tracked_claim_becomes_its_appearance(
    client, journalist, suggestion
):
    tracked = make_claim(journalist, text="Meta's next model will be open source.")
    Suggestion.objects.filter(pk=suggestion.pk).update(duplicate_of=tracked, duplicate_score=0.9)
    client.force_login(journalist)
    page = client.get(reverse("article-detail", args=[suggestion.article_id]), secure=True)
    assert f"Add as appearance of #{tracked.pk}" in page.content.decode()
    url = reverse("claims:suggestion-decision", args=[suggestion.pk, "accept"])
    client.post(url, {"attach": "1"}, secure=True)
    assert Claim.objects.count() == 1 and Appearance.objects.get().claim == tracked


def test_edit_then_accept_goes_through_the_log_claim_form(client, journalist, suggestion):
    client.force_login(journalist)
    form_page = client.get(
        reverse("claims:log", args=[suggestion.article_id]),
        {"suggestion": suggestion.pk},
        secure=True,
    )
    form = form_page.context["form"]
    assert form["text"].value() == suggestion.wording
    assert form["speaker"].value() == "three people familiar with the project"
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"text": "Meta will open-source its next model.", "speaker_kind": "anonymous"})
    response = client.post(reverse("claims:log", args=[suggestion.article_id]), data, secure=True)
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == "accepted"
    assert suggestion.appearance.claim.text == "Meta will open-source its next model."


def test_dismissing_hides_it_and_a_decided_suggestion_cannot_be_decided_again(
    client, journalist, suggestion
):
    client.force_login(journalist)
    dismiss = reverse("claims:suggestion-decision", args=[suggestion.pk, "dismiss"])
    client.post(dismiss, secure=True)
    suggestion.refresh_from_db()
    assert suggestion.state == "dismissed"
    page = client.get(reverse("article-detail", args=[suggestion.article_id]), secure=True)
    assert "Suggested claims" not in page.content.decode()
    accept = reverse("claims:suggestion-decision", args=[suggestion.pk, "accept"])
    followed = client.post(accept, secure=True, follow=True).content.decode()
    assert "already dismissed" in followed and not Appearance.objects.exists()


def test_the_article_page_marks_suggested_passages_and_ranks_them(client, journalist, suggestion):
    weaker = Suggestion.objects.create(
        article=suggestion.article,
        start=0,
        end=30,
        quote=TEXT[:30],
        score=0.2,
        kind="fact",
        wording="Meta is working on a new model.",
        engine_version="test",
    )
    client.force_login(journalist)
    html = client.get(
        reverse("article-detail", args=[suggestion.article_id]), secure=True
    ).content.decode()
    assert f'<mark class="suggested" id="suggestion-{suggestion.pk}">{QUOTE}</mark>' in html
    assert html.index(f'id="suggested-{suggestion.pk}"') < html.index(f'id="suggested-{weaker.pk}"')
    assert "three people familiar with the project" in html and "Financial Times" in html


def test_outsiders_and_readers_cannot_decide(client, outsider, reader, suggestion):
    client.force_login(outsider)
    url = reverse("claims:suggestion-decision", args=[suggestion.pk, "accept"])
    assert client.post(url, secure=True).status_code == 403
    refused = api_client(reader).post(f"/api/v1/suggestions/{suggestion.pk}/accept/", secure=True)
    assert refused.status_code == 403
    assert not Appearance.objects.exists()


def test_the_api_lists_and_accepts_suggestions(journalist, suggestion):
    client = api_client(journalist)
    listed = client.get(f"/api/v1/articles/{suggestion.article_id}/suggestions", secure=True)
    assert listed.status_code == 200
    assert [(s["id"], s["speaker"], s["outlet"]) for s in listed.json()] == [
        (suggestion.pk, "three people familiar with the project", "Financial Times")
    ]
    accepted = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/",
        {"wording": "Meta will open-source it."},
        format="json",
        secure=True,
    )
    assert accepted.status_code == 201
    assert Claim.objects.get().text == "Meta will open-source it."
    again = client.post(f"/api/v1/suggestions/{suggestion.pk}/dismiss/", secure=True)
    assert again.status_code == 400 and Source.objects.filter(kind="anonymous").count() == 1
