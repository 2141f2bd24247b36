import pytest
from django.urls import reverse

from articles.models import Article, SourceKind
from articles.services import source_get_or_create
from claims.services import appearance_create, claim_set_status
from tests.factories import make_article, make_claim, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(journalist):
    """An article with one claim logged from it, said by a person."""
    lecun = source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    article = make_article(
        title="LeCun <speaks>",
        text="Intro. Open models will win & soon. End.",
        publication=make_publication("Les Echos"),
    )
    claim = make_claim(journalist, text="Open models will win soon.")
    appearance_create(
        claim=claim, article=article, start=7, end=35, speaker=lecun, actor=journalist
    )
    return article, claim, lecun


@pytest.mark.parametrize("name", ["articles:list", "articles:sources"])
def test_lists_refuse_outsiders(client, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(name), secure=True).status_code == 403


def test_the_article_page_highlights_each_quote_and_links_its_claim(client, journalist, logged):
    article, claim, _ = logged
    client.force_login(journalist)
    html = client.get(reverse("article-detail", args=[article.pk]), secure=True).content.decode()
    link = reverse("claims:detail", args=[claim.pk])
    assert f'href="{link}"' in html
    assert '<mark class="hl">Open models will win &amp; soon.</mark>' in html
    assert "LeCun &lt;speaks&gt;" in html


def test_the_source_page_shows_its_track_record(client, journalist, editor, logged):
    _, claim, lecun = logged
    claim_set_status(claim=claim, to="refuted", expected="unverified", note="no", actor=editor)
    client.force_login(journalist)
    response = client.get(reverse("source-detail", args=[lecun.pk]), secure=True)
    record = {status: n for status, _, n in response.context["record"]}
    assert record["refuted"] == 1 and sum(record.values()) == 1
    assert claim.text in response.content.decode()


def test_article_search_filters_titles(client, journalist):
    make_article(title="Llama 2 is out")
    make_article(title="Rain in the north")
    client.force_login(journalist)
    response = client.get(reverse("articles:list"), {"q": "llama"}, secure=True)
    assert [a.title for a in response.context["object_list"]] == ["Llama 2 is out"]


@pytest.mark.parametrize("name", ["articles:list", "articles:sources"])
def test_lists_cost_the_same_queries_for_more_rows(
    client, journalist, name, django_assert_max_num_queries
):
    client.force_login(journalist)
    make_article(publication=make_publication("Outlet 0"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse(name), secure=True)
    for i in range(1, 15):
        make_article(publication=make_publication(f"Outlet {i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(name), secure=True)


def test_a_journalist_adds_a_pasted_article(client, journalist):
    client.force_login(journalist)
    assert "Add article" in client.get(reverse("articles:list"), secure=True).content.decode()
    response = client.post(
        reverse("articles:add"),
        {
            "title": "Llama 2 is out",
            "outlet": "The Verge",
            "author": "A. Writer",
            "published_at": "2023-07-18T16:00",
            "url": "",
            "text": "Meta released Llama 2.",
        },
        secure=True,
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/articles/{article.pk}/")
    assert (article.publication.name, article.origin, article.author) == (
        "The Verge",
        "paste",
        "A. Writer",
    )
    again = client.post(
        reverse("articles:add"),
        {"title": "Copy", "text": "meta released  llama 2."},
        secure=True,
        follow=True,
    )
    assert "already stored" in again.content.decode() and Article.objects.count() == 1


def test_an_article_without_text_gets_a_form_error(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("articles:add"), {"title": "Empty", "text": " "}, secure=True)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Article.objects.exists()


def test_an_outsider_cannot_add_articles(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("articles:add"), secure=True).status_code == 403
    response = client.post(reverse("articles:add"), {"title": "x", "text": "y"}, secure=True)
    assert response.status_code == 403 and not Article.objects.exists()
