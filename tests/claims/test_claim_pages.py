from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import SourceKind
from articles.services import source_get_or_create
from claims.services import appearance_create, claim_set_status, evidence_propose
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(journalist):
    claim = make_claim(journalist, text="Meta will release Llama 2 as open source.")
    article = make_article(text="Intro line. Meta released Llama 2 <openly>. Closing line.")
    evidence, _ = evidence_propose(
        claim=claim,
        article=article,
        stance="supports",
        score=0.9,
        actor=journalist,
        sentences=[{"text": "Meta released Llama 2 <openly>.", "start": 12, "end": 43}],
    )
    return evidence


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence):
    response = client.get(reverse("claims:detail", args=[evidence.claim_id]), secure=True)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_signed_in_outsider_is_refused(client, outsider, evidence):
    client.force_login(outsider)
    assert client.get(reverse("claims:list"), secure=True).status_code == 403
    assert (
        client.get(reverse("claims:detail", args=[evidence.claim_id]), secure=True).status_code
        == 403
    )


def test_the_claim_page_highlights_the_deciding_sentences(client, journalist, evidence):
    client.force_login(journalist)
    response = client.get(reverse("claims:detail", args=[evidence.claim_id]), secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="hl">Meta released Llama 2 &lt;openly&gt;.</mark>' in html
    assert "Supports" in html and "Unverified since it was logged" in html


def test_the_claim_list_costs_the_same_queries_for_more_claims(
    client, journalist, django_assert_max_num_queries
):
    client.force_login(journalist)
    for _ in range(3):
        make_claim(journalist)
    with django_assert_max_num_queries(10) as few:  # incl. the filter form's choices
        client.get(reverse("claims:list"), secure=True)
    for _ in range(20):
        make_claim(journalist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("claims:list"), secure=True)
    assert response.content.decode().count('class="badge status-unverified"') == 23


def test_the_claim_page_draws_its_status_over_time(client, journalist, editor, evidence):
    claim = evidence.claim
    claim_set_status(claim=claim, to="supported", expected="unverified", note="a", actor=editor)
    claim_set_status(claim=claim, to="mixed", expected="supported", note="b", actor=editor)
    client.force_login(journalist)
    html = client.get(reverse("claims:detail", args=[claim.pk]), secure=True).content.decode()
    assert 'aria-label="Status over time, with the dated evidence as marks"' in html
    for name in ("status-unverified", "status-supported", "status-mixed"):
        assert f'class="segment {name}"' in html
    assert html.count('class="riser"') == 2


def test_claims_filter_by_status_kind_tag_speaker_outlet_date_and_text(client, journalist, editor):
    lecun = source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    wanted = make_claim(journalist, text="Open models will win soon.", tags=["ai"])
    article = make_article(
        text="Open models will win soon.",
        publication=make_publication("Les Echos"),
        published_at=datetime(2023, 7, 8, tzinfo=UTC),
    )
    appearance_create(
        claim=wanted, article=article, start=0, end=26, speaker=lecun, actor=journalist
    )
    claim_set_status(claim=wanted, to="unverifiable", expected="unverified", note="x", actor=editor)
    make_claim(journalist, text="Rain will fall.", kind="fact", resolves_by=None)
    client.force_login(journalist)
    outlet = article.publication
    for query in [
        {"status": "unverifiable"},
        {"kind": "prediction"},
        {"tag": "ai"},
        {"speaker": lecun.pk},
        {"outlet": outlet.pk},
        {"made_after": "2023-07-01"},
        {"made_before": "2023-07-31"},
        {"q": "open models"},
    ]:
        response = client.get(reverse("claims:list"), query, secure=True)
        assert [c.pk for c in response.context["object_list"]] == [wanted.pk], query
    response = client.get(reverse("claims:list"), {"sort": "-created"}, secure=True)
    assert len(response.context["object_list"]) == 2


def test_a_bad_filter_value_is_shown_as_an_error_not_a_crash(client, journalist):
    make_claim(journalist)
    client.force_login(journalist)
    response = client.get(reverse("claims:list"), {"made_after": "2023-02-30"}, secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html and "Some filters were not applied" in html
