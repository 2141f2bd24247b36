import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Source, SourceKind
from articles.services import article_create, source_get_or_create
from articles.text import content_hash
from tests.factories import make_article, make_publication

pytestmark = pytest.mark.django_db


def test_the_same_url_returns_the_stored_article_instead_of_a_second_one():
    first = article_create(title="One", text="First text.", url="https://news.example/a")
    again = article_create(title="Other", text="Different text.", url="https://news.example/a")
    assert first.created and not again.created
    assert again.article.pk == first.article.pk
    assert again.article.title == "One"  # nothing overwritten
    assert Article.objects.count() == 1


def test_the_same_text_differently_spaced_and_cased_is_the_same_article():
    first = article_create(title="One", text="Meta  will release\nLlama 2.")
    again = article_create(title="Copy", text="meta will release llama 2.")
    assert not again.created and again.article.pk == first.article.pk


def test_the_database_refuses_a_duplicate_url_or_content_hash():
    article = make_article(url="https://news.example/b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="x", text="other", url=article.url, content_hash="0" * 64, origin="paste"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="x", text="y", content_hash=article.content_hash, origin="paste"
        )


def test_articles_without_a_url_do_not_collide():
    make_article(url=None)
    make_article(url="")
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_an_empty_text_or_title_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as error:
        article_create(title=" ", text=" ")
    assert set(error.value.message_dict) == {"title", "text"}
    assert Article.objects.count() == 0


def test_only_a_publication_can_publish_an_article():
    person = source_get_or_create(name="Yann LeCun", kind=SourceKind.PERSON)
    with pytest.raises(ValidationError, match="not a publication"):
        article_create(title="t", text="x", publication=person)


def test_a_malformed_url_is_refused():
    with pytest.raises(ValidationError) as error:
        article_create(title="t", text="x", url="not a url")
    assert "url" in error.value.message_dict


def test_content_hash_ignores_layout_but_not_words():
    assert content_hash("A  b\n\nC") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


def test_sources_are_found_again_by_name_or_alias_ignoring_case():
    ft = source_get_or_create(name="Financial Times", kind=SourceKind.PUBLICATION, aliases=("FT",))
    assert source_get_or_create(name="financial times", kind=SourceKind.PUBLICATION) == ft
    assert source_get_or_create(name="ft", kind=SourceKind.PUBLICATION) == ft
    assert list(ft.aliases.values_list("name", flat=True)) == ["FT"]


def test_the_same_name_may_be_a_person_and_an_organisation():
    person = source_get_or_create(name="Meta", kind=SourceKind.PERSON)
    org = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    assert person != org


def test_the_database_refuses_two_sources_of_one_kind_with_one_name():
    make_publication("The Verge")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="the verge", kind=SourceKind.PUBLICATION)
