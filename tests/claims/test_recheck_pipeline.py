"""The re-check pipeline in-process (tasks run eagerly); the real worker has its own
tests in tests/test_celery_worker.py."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command

from claims import recheck
from claims.matching import live_index
from claims.models import ArticleCheck, ArticleFingerprint, CheckState, Claim, Evidence
from claims.selectors import claim_suggested_status
from claims.services import (
    appearance_create,
    claim_create,
    claim_set_status,
    claim_update,
    evidence_review,
)
from tests.factories import make_article, make_publication

pytestmark = pytest.mark.django_db

CLAIM = "Meta will release its Llama 2 language model as open source."
SUPPORTING = (
    "Meta released its Llama 2 language model as open source on Tuesday.\n\n"
    "The company published the weights of Llama 2 under an open source licence, and "
    "developers downloaded the model within hours. Meta said Llama 2 is free for research "
    "and commercial use, confirming that the model would be open source as promised."
)
REFUTING = (
    "Llama 2 is not open source, the Open Source Initiative said on Friday.\n\n"
    "Meta's licence for its Llama 2 language model restricts commercial use by large "
    "companies, which the open source definition does not allow. The group said Meta was "
    "wrong to call Llama 2 open source, and that the model's licence fails the definition."
)
UNRELATED = (
    "Heavy rain is expected across the north of the country this weekend.\n\n"
    "Forecasters warned of flooding near rivers and advised drivers to avoid low roads. "
    "Temperatures will stay mild, and the rain should clear by Monday afternoon."
)


@pytest.fixture
def claim(journalist):
    return claim_create(text=CLAIM, kind="prediction", actor=journalist)


def test_an_article_about_a_tracked_claim_becomes_pending_evidence(claim):
    article = make_article(title="Llama 2 is out", text=SUPPORTING)
    evidence = Evidence.objects.get(claim=claim, article=article)
    assert evidence.stance == "supports"
    assert evidence.review_state == "pending" and evidence.found_by is None
    assert evidence.engine_version == recheck.current_engine_version()
    assert 0 < evidence.score <= 1 and evidence.match_score > 0
    for sentence in evidence.sentences:
        assert article.text[sentence["start"] : sentence["end"]] == sentence["text"]
    check = ArticleCheck.objects.get(article=article)
    assert (check.state, check.findings, check.attempts) == (CheckState.DONE, 1, 1)


def test_a_refuting_article_is_evidence_against(claim):
    article = make_article(title="Not open source", text=REFUTING)
    assert Evidence.objects.get(claim=claim, article=article).stance == "refutes"


def test_an_unrelated_article_gives_no_evidence(claim):
    make_article(title="Weather", text=UNRELATED)
    assert not Evidence.objects.exists()


def test_running_the_recheck_again_changes_nothing(claim):
    article = make_article(text=SUPPORTING)
    before = list(Evidence.objects.values())
    recheck.article_check_run(article_id=article.pk)
    recheck.article_check_run(article_id=article.pk, force=True)
    assert list(Evidence.objects.values()) == before


def test_reviewed_evidence_is_never_changed_by_a_recheck(claim, editor):
    article = make_article(text=SUPPORTING)
    evidence = Evidence.objects.get(claim=claim, article=article)
    evidence_review(evidence=evidence, state="rejected", actor=editor, corrected_stance="discusses")
    Evidence.objects.filter(pk=evidence.pk).update(engine_version="older-engine")
    recheck.article_check_run(article_id=article.pk, force=True)
    evidence.refresh_from_db()
    assert (evidence.review_state, evidence.engine_version) == ("rejected", "older-engine")


def test_an_article_is_not_evidence_for_the_claims_it_makes(claim, journalist):
    article = make_article(text=SUPPORTING)
    Evidence.objects.all().delete()
    appearance_create(claim=claim, article=article, start=0, end=20, actor=journalist)
    recheck.article_check_run(article_id=article.pk, force=True)
    assert not Evidence.objects.exists()


def test_an_article_published_before_the_claim_was_made_is_not_evidence(claim, journalist):
    made_in = make_article(text="Meta says Llama 2 will be open source.", published_at=_day(10))
    appearance_create(claim=claim, article=made_in, start=0, end=38, actor=journalist)
    earlier = make_article(text=SUPPORTING, published_at=_day(1))
    later = make_article(text=SUPPORTING + " Updated.", published_at=_day(20))
    assert not Evidence.objects.filter(article=earlier).exists()
    assert Evidence.objects.filter(article=later, claim=claim).exists()


def test_a_new_claim_is_matchable_at_once_and_checked_against_recent_articles(journalist):
    article = make_article(text=SUPPORTING)
    assert not Evidence.objects.exists()
    claim = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    assert Evidence.objects.get(claim=claim, article=article).stance == "supports"
    assert Claim.objects.get(pk=claim.pk).checked_at is not None


def test_a_reworded_claim_is_checked_again(journalist):
    article = make_article(text=SUPPORTING)
    claim = claim_create(text="Rain will fall in the north.", actor=journalist)
    assert not Evidence.objects.filter(claim=claim).exists()
    claim_update(claim=claim, text=CLAIM, kind="prediction", actor=journalist)
    assert Evidence.objects.filter(claim=claim, article=article).exists()


def test_the_index_follows_deleted_claims(claim, monkeypatch):
    assert claim.pk in live_index().current()
    Claim.objects.filter(pk=claim.pk).delete()
    monkeypatch.setattr("claims.matching.RECONCILE_SECONDS", 0)
    assert claim.pk not in live_index().current()


def test_syndicated_copies_share_a_story_and_count_once(claim, editor):
    wire = make_publication("Wire Service")
    copy_a = make_article(text=SUPPORTING, publication=wire)
    copy_b = make_article(text=SUPPORTING.replace("on Tuesday", "on Tuesday morning"))
    story_a = ArticleFingerprint.objects.get(article=copy_a).story_id
    assert ArticleFingerprint.objects.get(article=copy_b).story_id == story_a == copy_a.pk
    for evidence in Evidence.objects.filter(claim=claim):
        evidence_review(evidence=evidence, state="accepted", actor=editor)
    suggestion = claim_suggested_status(claim)
    assert (suggestion.status, suggestion.supporting_stories) == ("supported", 1)


def test_independent_support_and_refutation_suggest_mixed(claim, editor):
    make_article(text=SUPPORTING)
    make_article(text=REFUTING)
    assert claim_suggested_status(claim) is None  # nothing reviewed yet
    for evidence in Evidence.objects.filter(claim=claim):
        evidence_review(evidence=evidence, state="accepted", actor=editor)
    suggestion = claim_suggested_status(claim)
    assert suggestion.status == "mixed"
    assert (suggestion.supporting_stories, suggestion.refuting_stories) == (1, 1)


def test_auto_apply_is_off_by_default(claim):
    make_article(text=SUPPORTING)
    make_article(text=SUPPORTING.replace("Tuesday", "Monday") + " More text follows here.")
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_auto_apply_sets_a_status_nobody_ruled_on_but_never_an_editors(
    settings, journalist, editor
):
    settings.CLAIMTRACK_AUTO_APPLY = True
    settings.CLAIMTRACK_AUTO_APPLY_MIN_SCORE = 0.0
    settings.CLAIMTRACK_AUTO_APPLY_MIN_SOURCES = 1
    auto = claim_create(text=CLAIM, kind="prediction", actor=journalist)
    ruled = claim_create(text=CLAIM.replace("Meta", "Meta Platforms"), actor=journalist)
    claim_set_status(claim=ruled, to="refuted", expected="unverified", note="x", actor=editor)
    make_article(text=SUPPORTING)
    auto.refresh_from_db()
    ruled.refresh_from_db()
    assert auto.status == "supported"
    assert auto.status_changes.get().engine_version == recheck.current_engine_version()
    assert ruled.status == "refuted" and ruled.status_changes.count() == 1


def test_due_predictions_are_flagged_once(journalist):
    due = claim_create(
        text="Llama 3 will ship by March.",
        kind="prediction",
        resolves_by=date(2024, 3, 1),
        actor=journalist,
    )
    assert recheck.predictions_flag_due(today=date(2024, 4, 1)) == 1
    assert recheck.predictions_flag_due(today=date(2024, 4, 2)) == 0
    assert Claim.objects.get(pk=due.pk).due_flagged_at is not None


def test_the_recheck_command_reports_what_it_did(claim, capsys):
    make_article(text=SUPPORTING)
    call_command("recheck", "--all")
    assert "1 article(s) re-checked, 1 finding(s) stored" in capsys.readouterr().out
    call_command("recheck", "--claim", str(claim.pk))
    assert f"Claim {claim.pk}: 1 finding(s)" in capsys.readouterr().out


def test_editor_decisions_export_as_fnc_training_pairs(claim, editor, tmp_path):
    supporting = make_article(text=SUPPORTING)
    refuting = make_article(text=REFUTING)
    evidence_review(
        evidence=Evidence.objects.get(article=supporting), state="accepted", actor=editor
    )
    evidence_review(
        evidence=Evidence.objects.get(article=refuting),
        state="rejected",
        actor=editor,
        corrected_stance="discusses",
    )
    call_command("export_stance_pairs", "--out", str(tmp_path))
    stances = (tmp_path / "train_stances.csv").read_text().splitlines()
    assert stances[0] == "Headline,Body ID,Stance"
    assert sorted(stances[1:]) == sorted(
        [f"{CLAIM},{supporting.pk},agree", f"{CLAIM},{refuting.pk},discuss"]
    )
    assert (tmp_path / "train_bodies.csv").read_text().startswith("Body ID,articleBody")


def _day(n: int) -> datetime:
    return datetime(2023, 7, 1, tzinfo=UTC) + timedelta(days=n)
