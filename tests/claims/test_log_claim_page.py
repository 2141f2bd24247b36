import pytest
from django.urls import reverse

from articles.models import Source, SourceKind
from articles.services import source_get_or_create
from claims.models import Appearance, Claim, ClaimKind
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db

TEXT = (
    "Meta released LLaMA 2 on Tuesday. The model is free for research and commercial use, "
    "the company said. Three people familiar with the project said a bigger model is coming."
)


@pytest.fixture
def article():
    return make_article(title="LLaMA 2 is out", text=TEXT, publication=make_publication("The Wire"))


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _post(client, article, phrase, **fields):
    start, end = _span(phrase)
    data = {"start": start, "end": end, "quote": phrase, "kind": "fact", "speaker_kind": "person"}
    data.update(fields)
    return client.post(reverse("claims:log", args=[article.pk]), data, secure=True)


def test_the_form_opens_prefilled_with_the_trimmed_selection(client, journalist, article):
    start, end = _span("The model is free for research and commercial use")
    client.force_login(journalist)
    url = reverse("claims:log", args=[article.pk])
    response = client.get(url, {"start": start - 1, "end": end}, secure=True)  # a space
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["start"].value(), form["end"].value()) == (start, end)
    assert form["quote"].value() == TEXT[start:end]
    assert form["outlet"].value() == "The Wire"
    html = response.content.decode()
    assert response.context["before"].endswith("Tuesday. ")
    assert '<mark class="hl" id="selected-quote">The model is free' in html


@pytest.mark.parametrize("params", [{}, {"start": "x", "end": "3"}, {"start": 5, "end": 5}])
def test_a_missing_or_empty_selection_sends_the_journalist_back(
    client, journalist, article, params
):
    client.force_login(journalist)
    response = client.get(reverse("claims:log", args=[article.pk]), params, secure=True)
    assert response.status_code == 302
    assert response.url == reverse("article-detail", args=[article.pk])


def test_logging_creates_the_claim_its_sources_and_the_anchored_appearance(
    client, journalist, article
):
    client.force_login(journalist)
    phrase = "a bigger model is coming"
    response = _post(
        client,
        article,
        phrase,
        text="Meta will release a bigger LLaMA model.",
        kind="prediction",
        resolves_by="2024-06-30",
        tags="llama, meta",
        speaker="people familiar with the project",
        speaker_kind="anonymous",
        anonymous_count="3",
        outlet="The Wire",
        attribution="said",
    )
    claim = Claim.objects.get()
    appearance = Appearance.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#quote-{appearance.pk}")
    assert (claim.text, claim.kind, str(claim.resolves_by)) == (
        "Meta will release a bigger LLaMA model.",
        ClaimKind.PREDICTION,
        "2024-06-30",
    )
    assert sorted(t.name for t in claim.tags.all()) == ["llama", "meta"]
    assert appearance.quote == phrase and appearance.anonymous_count == 3
    assert appearance.quote_prefix.endswith("project said ")
    assert appearance.speaker.kind == SourceKind.ANONYMOUS
    assert appearance.outlet == article.publication  # picked, not created again
    assert appearance.created_by == journalist

    page = client.get(response.url, secure=True).content.decode()
    assert f'id="quote-{appearance.pk}"' in page and f'<mark class="hl">{phrase}</mark>' in page


def test_a_known_speaker_is_picked_by_name_whatever_kind_was_chosen(client, journalist, article):
    meta = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    client.force_login(journalist)
    _post(
        client,
        article,
        "Meta released LLaMA 2 on Tuesday.",
        text="Meta released LLaMA 2.",
        speaker="meta",
        speaker_kind="person",
    )
    assert Appearance.objects.get().speaker == meta
    assert Source.objects.filter(kind=SourceKind.PERSON).count() == 0


def test_the_quote_can_join_a_similar_claim_instead_of_duplicating_it(client, journalist, article):
    existing = make_claim(journalist, text="LLaMA 2 is free for research and commercial use.")
    client.force_login(journalist)
    phrase = "The model is free for research and commercial use"
    form_page = client.get(
        reverse("claims:log", args=[article.pk]),
        dict(zip(["start", "end"], _span(phrase), strict=True)),
        secure=True,
    )
    assert existing in [claim for claim, _ in form_page.context["similar"]]
    assert f'name="attach_to" value="{existing.pk}"' in form_page.content.decode()

    response = _post(client, article, phrase, text="", attach_to=existing.pk)
    assert response.status_code == 302
    assert Claim.objects.count() == 1
    assert Appearance.objects.get().claim == existing


def test_a_quote_that_no_longer_matches_the_text_is_refused_and_nothing_is_stored(
    client, journalist, article
):
    client.force_login(journalist)
    start, end = _span("Meta released LLaMA 2")
    response = client.post(
        reverse("claims:log", args=[article.pk]),
        {
            "start": start,
            "end": end,
            "quote": "Meta released LLaMA 3",
            "text": "x",
            "speaker": "A brand-new speaker",
            "kind": "fact",
            "speaker_kind": "person",
        },
        secure=True,
    )
    assert response.status_code == 200
    assert "does not match the article" in response.content.decode()
    assert not Claim.objects.exists() and not Appearance.objects.exists()
    assert not Source.objects.filter(name="A brand-new speaker").exists()


def test_the_wording_is_required_unless_attaching(client, journalist, article):
    client.force_login(journalist)
    response = _post(client, article, "Meta released LLaMA 2", text="  ")
    assert "canonical words" in response.content.decode()
    assert not Claim.objects.exists()


def test_only_a_prediction_takes_a_resolves_by_date(client, journalist, article):
    client.force_login(journalist)
    response = _post(client, article, "Meta released LLaMA 2", text="x", resolves_by="2030-01-01")
    assert response.context["form"].errors["resolves_by"]
    assert not Claim.objects.exists()


def test_the_similar_claims_panel_follows_the_wording(client, journalist):
    llama = make_claim(journalist, text="LLaMA 2 is free for commercial use.")
    make_claim(journalist, text="It will rain in Paris tomorrow.")
    client.force_login(journalist)
    response = client.get(
        reverse("claims:similar"), {"text": "llama 2 commercial use"}, secure=True
    )
    assert next(claim for claim, _ in response.context["similar"]) == llama
    assert f"#{llama.pk}" in response.content.decode()


def test_source_autocomplete_offers_names_and_aliases_by_kind(client, journalist):
    source_get_or_create(name="Financial Times", kind=SourceKind.PUBLICATION, aliases=("FT",))
    source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    client.force_login(journalist)
    url = reverse("articles:source-options")
    outlets = client.get(url, {"outlet": "ft", "kind": "publication"}, secure=True)
    assert '<option value="Financial Times">' in outlets.content.decode()
    speakers = client.get(url, {"speaker": "lec", "kind": ""}, secure=True).content.decode()
    assert '<option value="Yann LeCun">' in speakers and "Financial Times" not in speakers


def test_outsiders_cannot_log_or_autocomplete(client, outsider, article):
    client.force_login(outsider)
    start, end = _span("Meta released LLaMA 2")
    assert (
        client.get(
            reverse("claims:log", args=[article.pk]), {"start": start, "end": end}, secure=True
        ).status_code
        == 403
    )
    assert _post(client, article, "Meta released LLaMA 2", text="x").status_code == 403
    assert client.get(reverse("articles:source-options"), secure=True).status_code == 403
    assert client.get(reverse("claims:similar"), secure=True).status_code == 403
    assert not Claim.objects.exists()


def test_the_article_page_offers_log_claim_only_to_those_who_may(
    client, journalist, outsider, article
):
    client.force_login(journalist)
    page = client.get(reverse("article-detail", args=[article.pk]), secure=True).content.decode()
    assert 'id="log-claim"' in page and "js/log-claim.js" in page
