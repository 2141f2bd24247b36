from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import Article, SourceKind
from articles.services import source_get_or_create
from articles.views import ArticleList
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


def _titles(response):
    return [a.title for a in response.context["object_list"]]


def test_articles_filter_by_publication(client, journalist):
    echos = make_publication("Les Echos")
    make_article(title="In Les Echos", publication=echos)
    make_article(title="Elsewhere", publication=make_publication("The Verge"))
    make_article(title="No outlet")
    client.force_login(journalist)
    response = client.get(reverse("articles:list"), {"publication": echos.pk}, secure=True)
    assert _titles(response) == ["In Les Echos"]
    html = response.content.decode()
    assert f'<option value="{echos.pk}" selected>Les Echos</option>' in html
    assert html.index(">Les Echos<") < html.index(">The Verge<")  # by name


def test_only_publications_are_offered_as_publications(client, journalist):
    person = source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    make_article(title="Anything")
    client.force_login(journalist)
    response = client.get(reverse("articles:list"), {"publication": person.pk}, secure=True)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ">Yann LeCun<" not in response.content.decode()


def test_articles_filter_by_dates_including_both_end_days(client, journalist):
    for title, when in [
        ("Day before", datetime(2024, 2, 29, 23, 59, tzinfo=UTC)),
        ("First day, midnight", datetime(2024, 3, 1, 0, 0, tzinfo=UTC)),
        ("Last day, late", datetime(2024, 3, 10, 23, 59, 59, tzinfo=UTC)),
        ("Day after", datetime(2024, 3, 11, 0, 0, tzinfo=UTC)),
    ]:
        make_article(title=title, published_at=when)
    make_article(title="Undated")
    client.force_login(journalist)
    url = reverse("articles:list")
    both = {"published_after": "2024-03-01", "published_before": "2024-03-10"}
    response = client.get(url, both, secure=True)
    assert _titles(response) == ["Last day, late", "First day, midnight"]
    html = response.content.decode()
    assert 'type="date" name="published_after" value="2024-03-01"' in html
    assert "Published from" in html and "Published to" in html
    after = client.get(url, {"published_after": "2024-03-10"}, secure=True)
    assert _titles(after) == ["Day after", "Last day, late"]
    before = client.get(url, {"published_before": "2024-03-01"}, secure=True)
    assert _titles(before) == ["First day, midnight", "Day before"]


@pytest.mark.parametrize("bad", ["not-a-date", "2024-02-30", "99999-01-01"])
def test_a_bad_date_is_a_form_error_and_the_other_filters_still_apply(client, journalist, bad):
    make_article(title="Llama 2 is out", published_at=datetime(2023, 7, 18, tzinfo=UTC))
    make_article(title="Rain in the north", published_at=datetime(2023, 7, 19, tzinfo=UTC))
    client.force_login(journalist)
    response = client.get(
        reverse("articles:list"), {"q": "llama", "published_after": bad}, secure=True
    )
    assert response.status_code == 200
    assert response.context["filter"].errors["published_after"] == ["Enter a valid date."]
    html = response.content.decode()
    assert "Enter a valid date." in html and 'role="alert"' in html
    assert _titles(response) == ["Llama 2 is out"]


def test_pager_links_keep_the_filters(client, journalist, monkeypatch):
    monkeypatch.setattr(ArticleList, "paginate_by", 2)
    echos = make_publication("Les Echos")
    for day in range(1, 6):
        when = datetime(2024, 3, day, tzinfo=UTC)
        make_article(title=f"a&b {day}", publication=echos, published_at=when)
    make_article(title="a&b elsewhere", publication=make_publication("The Verge"))
    make_article(
        title="a&b too early", publication=echos, published_at=datetime(2024, 2, 1, tzinfo=UTC)
    )
    filters = {"q": "a&b ", "publication": echos.pk, "published_after": "2024-03-01"}
    client.force_login(journalist)
    response = client.get(reverse("articles:list"), {**filters, "page": 2}, secure=True)
    assert response.context["paginator"].count == 5
    html = response.content.decode()
    kept = f"&amp;q=a%26b+&amp;publication={echos.pk}&amp;published_after=2024-03-01"
    assert f'href="?page=1{kept}"' in html and f'href="?page=3{kept}"' in html
    assert html.count("page=") == 2  # the current page number is not carried along


def test_a_filtered_list_costs_the_same_queries_for_more_rows(
    client, journalist, django_assert_max_num_queries
):
    client.force_login(journalist)
    echos = make_publication("Les Echos")
    filters = {"q": "article", "publication": echos.pk, "published_after": "2000-01-01"}
    make_article(publication=echos, published_at=datetime(2024, 3, 1, tzinfo=UTC))
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("articles:list"), filters, secure=True)
    for i in range(1, 15):
        make_article(
            publication=make_publication(f"Outlet {i}"),
            published_at=datetime(2024, 3, 1, tzinfo=UTC),
        )
        make_article(publication=echos, published_at=datetime(2024, 3, 2, tzinfo=UTC))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("articles:list"), filters, secure=True)
