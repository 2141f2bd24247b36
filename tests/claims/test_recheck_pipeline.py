"""The re-check pipeline in-process (tasks run eagerly); the real worker has its own
tests in tests/test_celery_worker.py."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase

from claims import recheck
from claims.matching import live_index
from claims.models import ArticleCheck, ArticleFingerprint, CheckState, Claim, Evidence
from claims.selectors import claim_suggested_status
from claims.services import (
    appearance_create,
    claim_create,
    claim_set_status,
    claim_update,
    evidence_propose,
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
    "Meta will not release Llama 2 as open source, the company said on Friday, denying "
    "earlier reports.\n\n"
    "A Meta spokesperson said claims that the Llama 2 language model would be open source "
    "were false. The weights of the model will stay closed, and the company has no plan to "
    "publish them, the spokesperson said."
)
UNRELATED = (
    "Heavy rain is expected across the north of the country this weekend.\n\n"
    "Forecasters warned of flooding near rivers and advised drivers to avoid low roads. "
    "Temperatures will stay mild, and the rain should clear by Monday afternoon."
)


def _committed(write, **fields):
    """Run a write and then, as a commit would, the work it enqueued on commit (here the
    re-check tasks, run in-process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return write(**fields)


def stored(**fields):
    return _committed(make_article, **fields)


def logged(**fields):
    return _committed(claim_create, **fields)


def updated(**fields):
    return _committed(claim_update, **fields)


# Claims on other subjects: a real newsroom tracks many, and the matcher's weights of
# words depend on how common they are among the tracked claims.
OTHER_CLAIMS = [
    "The city council will approve the new tram line before the summer.",
    "Unemployment in the region fell below five percent last year.",
    "The football club will sign a new coach before the season starts.",
    "Apple will launch a foldable phone in September.",
    "The central bank will raise interest rates again in March.",
    "The national museum welcomed more visitors in 2023 than ever before.",
]
WIRE_STORY = (
    "Meta released its Llama 2 language model as open source on Tuesday, the company said, "
    "in a move that puts pressure on rivals that keep their models closed.\n\n"
    "The model comes in three sizes and can be downloaded free of charge by researchers and "
    "companies. Meta said it had worked with Microsoft to make the model available on its "
    "cloud, and that the weights would be published for anyone to inspect and build on.\n\n"
    "Executives said the release followed months of testing for safety, and that outside "
    "researchers had been invited to probe the system for weaknesses before launch. Analysts "
    "said the decision could speed up the spread of language models in smaller firms that "
    "cannot afford to train their own, while critics questioned the licence terms."
)


@pytest.fixture
def claim(journalist):
    for text in OTHER_CLAIMS:
        logged(text=text, actor=journalist)
    return logged(text=CLAIM, kind="prediction", actor=journalist)


def test_an_article_about_a_tracked_claim_becomes_pending_evidence(claim):
    article = stored(title="Llama 2 is out", text=SUPPORTING)
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
    article = stored(title="Not open source", text=REFUTING)
    assert Evidence.objects.get(claim=claim, article=article).stance == "refutes"


def test_an_unrelated_article_gives_no_evidence(claim):
    stored(title="Weather", text=UNRELATED)
    assert not Evidence.objects.exists()


def test_running_the_recheck_again_changes_nothing(claim):
    article = stored(text=SUPPORTING)
    before = list(Evidence.objects.values())
    recheck.article_check_run(article_id=article.pk)
    recheck.article_check_run(article_id=article.pk, force=True)
    assert list(Evidence.objects.values()) == before


def test_reviewed_evidence_is_never_changed_by_a_recheck(claim, editor):
    article = stored(text=SUPPORTING)
    evidence = Evidence.objects.get(claim=claim, article=article)
    evidence_review(evidence=evidence, state="rejected", actor=editor, corrected_stance="discusses")
    Evidence.objects.filter(pk=evidence.pk).update(engine_version="older-engine")
    recheck.article_check_run(article_id=article.pk, force=True)
    evidence.refresh_from_db()
    assert (evidence.review_state, evidence.engine_version) == ("rejected", "older-engine")


def test_an_article_is_not_evidence_for_the_claims_it_makes(claim, journalist):
    article = stored(text=SUPPORTING)
    Evidence.objects.all().delete()
    appearance_create(claim=claim, article=article, start=0, end=20, actor=journalist)
    recheck.article_check_run(article_id=article.pk, force=True)
    assert not Evidence.objects.exists()


def test_an_article_published_before_the_claim_was_made_is_not_evidence(claim, journalist):
    made_in = stored(text="Meta says Llama 2 will be open source.", published_at=_day(10))
    appearance_create(claim=claim, article=made_in, start=0, end=38, actor=journalist)
    earlier = stored(text=SUPPORTING, published_at=_day(1))
    later = stored(text=SUPPORTING + " Updated.", published_at=_day(20))
    assert not Evidence.objects.filter(article=earlier).exists()
    assert Evidence.objects.filter(article=later, claim=claim).exists()


def test_a_new_claim_is_matchable_at_once_and_checked_against_recent_articles(journalist):
    article = stored(text=SUPPORTING)
    assert not Evidence.objects.exists()
    claim = logged(text=CLAIM, kind="prediction", actor=journalist)
    assert Evidence.objects.get(claim=claim, article=article).stance == "supports"
    assert Claim.objects.get(pk=claim.pk).checked_at is not None


def test_a_reworded_claim_is_checked_again(journalist):
    article = stored(text=SUPPORTING)
    claim = logged(text="Rain will fall in the north.", actor=journalist)
    assert not Evidence.objects.filter(claim=claim).exists()
    updated(claim=claim, text=CLAIM, kind="prediction", actor=journalist)
    assert Evidence.objects.filter(claim=claim, article=article).exists()


def test_a_claim_reworded_away_loses_its_pending_engine_evidence(journalist):
    article = stored(text=SUPPORTING)
    claim = logged(text=CLAIM, kind="prediction", actor=journalist)
    assert Evidence.objects.filter(claim=claim, article=article).exists()
    updated(claim=claim, text="Rain will fall in the north.", actor=journalist)
    assert not Evidence.objects.filter(claim=claim, article=article).exists()


def test_the_index_follows_deleted_claims(claim, monkeypatch):
    assert claim.pk in live_index().current()
    Claim.objects.filter(pk=claim.pk).delete()
    monkeypatch.setattr("claims.matching.RECONCILE_SECONDS", 0)
    assert claim.pk not in live_index().current()


def _accept_all(claim, editor, stance: str) -> None:
    """An editor accepts the engine's evidence, setting the stance to `stance` where the
    engine judged otherwise."""
    for evidence in Evidence.objects.filter(claim=claim):
        correction = stance if evidence.stance != stance else ""
        evidence_review(
            evidence=evidence, state="accepted", actor=editor, corrected_stance=correction
        )


def test_syndicated_copies_share_a_story_and_count_once(claim, editor):
    wire = make_publication("Wire Service")
    copy_a = stored(text=WIRE_STORY, publication=wire)
    copy_b = stored(text=WIRE_STORY.replace("on Tuesday", "on Tuesday morning") + " (Reuters)")
    story_a = ArticleFingerprint.objects.get(article=copy_a).story_id
    assert ArticleFingerprint.objects.get(article=copy_b).story_id == story_a == copy_a.pk
    assert Evidence.objects.filter(claim=claim).count() == 2
    _accept_all(claim, editor, "supports")
    suggestion = claim_suggested_status(claim)
    assert (suggestion.status, suggestion.supporting_stories) == ("supported", 1)


def test_different_stories_stay_apart():
    first, second = stored(text=WIRE_STORY), stored(text=SUPPORTING)
    assert ArticleFingerprint.objects.get(article=second).story_id == second.pk != first.pk


def test_independent_support_and_refutation_suggest_mixed(claim, editor):
    supporting = stored(text=SUPPORTING)
    refuting = stored(text=REFUTING)
    assert claim_suggested_status(claim) is None  # nothing reviewed yet
    for article, stance in [(supporting, "supports"), (refuting, "refutes")]:
        evidence = Evidence.objects.get(claim=claim, article=article)
        correction = stance if evidence.stance != stance else ""
        evidence_review(
            evidence=evidence, state="accepted", actor=editor, corrected_stance=correction
        )
    suggestion = claim_suggested_status(claim)
    assert suggestion.status == "mixed"
    assert (suggestion.supporting_stories, suggestion.refuting_stories) == (1, 1)


def test_auto_apply_is_off_by_default(claim):
    stored(text=SUPPORTING)
    stored(text=SUPPORTING.replace("Tuesday", "Monday") + " More text follows here.")
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_auto_apply_sets_a_status_nobody_ruled_on_but_never_an_editors(
    settings, journalist, editor
):
    settings.CLAIMTRACK_AUTO_APPLY = True
    settings.CLAIMTRACK_AUTO_APPLY_MIN_SCORE = 0.0
    settings.CLAIMTRACK_AUTO_APPLY_MIN_SOURCES = 1
    auto = logged(text=CLAIM, kind="prediction", actor=journalist)
    ruled = logged(text=CLAIM.replace("Meta", "Meta Platforms"), actor=journalist)
    claim_set_status(claim=ruled, to="refuted", expected="unverified", note="x", actor=editor)
    stored(text=SUPPORTING)
    auto.refresh_from_db()
    ruled.refresh_from_db()
    assert auto.status == "supported"
    assert auto.status_changes.get().engine_version == recheck.current_engine_version()
    assert ruled.status == "refuted" and ruled.status_changes.count() == 1


def test_due_predictions_are_flagged_once(journalist):
    due = logged(
        text="Llama 3 will ship by March.",
        kind="prediction",
        resolves_by=date(2024, 3, 1),
        actor=journalist,
    )
    assert recheck.predictions_flag_due(today=date(2024, 4, 1)) == 1
    assert recheck.predictions_flag_due(today=date(2024, 4, 2)) == 0
    assert Claim.objects.get(pk=due.pk).due_flagged_at is not None


def test_the_recheck_command_reports_what_it_did(claim, capsys):
    stored(text=SUPPORTING)
    call_command("recheck", "--all")
    assert "1 article(s) re-checked, 1 finding(s) stored" in capsys.readouterr().out
    call_command("recheck", "--claim", str(claim.pk))
    assert f"Claim {claim.pk}: 1 finding(s)" in capsys.readouterr().out


def test_editor_decisions_export_as_fnc_training_pairs(claim, journalist, editor, tmp_path):
    supporting, refuting, ignored = make_article(), make_article(), make_article()
    accepted, _ = evidence_propose(
        claim=claim, article=supporting, stance="supports", score=0.9, actor=journalist
    )
    corrected, _ = evidence_propose(
        claim=claim, article=refuting, stance="supports", score=0.6, actor=journalist
    )
    unexplained, _ = evidence_propose(
        claim=claim, article=ignored, stance="refutes", score=0.6, actor=journalist
    )
    evidence_review(evidence=accepted, state="accepted", actor=editor)
    evidence_review(evidence=corrected, state="rejected", actor=editor, corrected_stance="refutes")
    evidence_review(evidence=unexplained, state="rejected", actor=editor)
    call_command("export_stance_pairs", "--out", str(tmp_path))
    stances = (tmp_path / "train_stances.csv").read_text().splitlines()
    assert stances[0] == "Headline,Body ID,Stance"
    assert sorted(stances[1:]) == sorted(
        [f"{CLAIM},{supporting.pk},agree", f"{CLAIM},{refuting.pk},disagree"]
    )
    bodies = (tmp_path / "train_bodies.csv").read_text()
    assert bodies.startswith("Body ID,articleBody") and supporting.text in bodies
    call_command("export_stance_pairs", "--out", str(tmp_path), "--rejected-as-unrelated")
    assert f"{CLAIM},{ignored.pk},unrelated" in (tmp_path / "train_stances.csv").read_text()


def _day(n: int) -> datetime:
    return datetime(2023, 7, 1, tzinfo=UTC) + timedelta(days=n)
