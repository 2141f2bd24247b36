import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from articles.models import Article, Source
from claims.models import Appearance, Claim, Evidence, StatusChange

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", "is_superuser")),
        "sources": sorted(Source.objects.values_list("name", "kind")),
        "articles": sorted(Article.objects.values_list("url", "content_hash", "published_at")),
        "claims": sorted(Claim.objects.values_list("text", "kind", "status", "status_seq")),
        "appearances": sorted(
            Appearance.objects.values_list("claim__text", "article__url", "start", "end")
        ),
        "evidence": sorted(
            Evidence.objects.values_list("claim__text", "article__url", "stance", "review_state")
        ),
        "history": sorted(
            StatusChange.objects.values_list("claim__text", "seq", "to_status", "changed_at")
        ),
    }


@override_settings(DEBUG=True)
def test_loading_the_demo_twice_gives_the_same_data():
    call_command("loaddemo", verbosity=0)
    first = _snapshot()
    call_command("loaddemo", verbosity=0)
    assert _snapshot() == first


@override_settings(DEBUG=True)
def test_the_demo_tells_the_llama_2_story():
    call_command("loaddemo", verbosity=0)
    assert Article.objects.count() >= 6
    assert Article.objects.values("publication").distinct().count() >= 6
    assert Claim.objects.count() >= 8
    assert Claim.objects.filter(appearances__isnull=True).count() == 0
    assert Evidence.objects.exists()
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert {"supported", "mixed", "unverifiable"} <= statuses
    # Each history step is dated after the articles published before it and in order.
    for claim in Claim.objects.exclude(status_seq=0):
        rows = list(claim.status_changes.order_by("seq"))
        first_seen = min(a.article.published_at for a in claim.appearances.all())
        assert rows[0].changed_at > first_seen
        assert [r.changed_at for r in rows] == sorted(r.changed_at for r in rows)
        for row in rows:
            if row.evidence:
                assert row.changed_at > row.evidence.article.published_at
    open_source = Claim.objects.get(text__icontains="released as open source")
    assert [r.to_status for r in open_source.status_changes.order_by("seq")][-1] == "mixed"


@override_settings(DEBUG=True)
def test_the_demo_users_sign_in_with_their_roles():
    call_command("loaddemo", verbosity=0)
    # A sign-in comes with its request (the lockout counts failures by address).
    request = RequestFactory().post("/accounts/login/")
    editor = authenticate(request, username="editor", password="demo")
    journalist = authenticate(request, username="journalist", password="demo")
    admin = authenticate(request, username="admin", password="demo")
    assert editor.has_perm("claims.set_claim_status")
    assert journalist.has_perm("claims.add_claim")
    assert not journalist.has_perm("claims.set_claim_status")
    assert admin.is_superuser and admin.is_staff
    assert not (editor.is_staff or journalist.is_staff)  # they work in the pages


def test_it_refuses_to_create_demo_users_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("loaddemo", verbosity=0)
    assert not get_user_model().objects.exists()


@override_settings(DEBUG=True)
def test_the_engine_finds_the_demo_evidence():
    call_command("loaddemo", verbosity=0)
    release = Article.objects.get(title__icontains="introduce Llama 2")
    licence = Article.objects.get(title__icontains="not open source")
    commercial = Claim.objects.get(text__startswith="Meta will release a commercial version")
    open_source = Claim.objects.get(text__icontains="released as open source")
    by_engine = Evidence.objects.by_engine()
    assert by_engine.get(claim=commercial, article=release).stance == "supports"
    assert by_engine.filter(claim=open_source, article=licence).exists()
    for evidence in by_engine:
        for sentence in evidence.sentences:
            text = evidence.article.text[sentence["start"] : sentence["end"]]
            assert text == sentence["text"]
