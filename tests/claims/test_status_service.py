from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.errors import StaleStatusError, TransitionError
from claims.models import Claim, StatusChange
from claims.services import claim_set_status, evidence_propose
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def test_a_status_change_writes_its_history_row(editor, journalist):
    claim = make_claim(journalist)
    change = claim_set_status(
        claim=claim, to="supported", expected="unverified", note="Meta confirmed it.", actor=editor
    )
    claim.refresh_from_db()
    assert (claim.status, claim.status_seq) == ("supported", 1)
    assert claim.status_changed_at == change.changed_at
    row = StatusChange.objects.get(claim=claim)
    assert (row.seq, row.from_status, row.to_status, row.actor, row.note) == (
        1,
        "unverified",
        "supported",
        editor,
        "Meta confirmed it.",
    )


def test_a_verdict_needs_a_note(editor, journalist):
    claim = make_claim(journalist)
    with pytest.raises(ValidationError) as error:
        claim_set_status(claim=claim, to="refuted", expected="unverified", note="  ", actor=editor)
    assert "note" in error.value.message_dict
    assert Claim.objects.get(pk=claim.pk).status == "unverified"
    assert not StatusChange.objects.exists()


def test_it_refuses_a_stale_status_change_and_overwrites_nothing(editor, journalist):
    claim = make_claim(journalist)
    seen_by_other_editor = Claim.objects.get(pk=claim.pk)
    claim_set_status(claim=claim, to="supported", expected="unverified", note="a", actor=editor)
    with pytest.raises(StaleStatusError) as error:
        claim_set_status(
            claim=seen_by_other_editor,
            to="refuted",
            expected=seen_by_other_editor.status,
            note="b",
            actor=editor,
        )
    assert error.value.current == "supported"
    assert "supported" in error.value.message
    assert Claim.objects.get(pk=claim.pk).status == "supported"
    assert StatusChange.objects.filter(claim=claim).count() == 1


def test_setting_the_status_it_already_has_is_refused(editor, journalist):
    claim = make_claim(journalist)
    with pytest.raises(TransitionError):
        claim_set_status(
            claim=claim, to="unverified", expected="unverified", note="x", actor=editor
        )


def test_an_unknown_status_is_refused(editor, journalist):
    claim = make_claim(journalist)
    with pytest.raises(ValidationError):
        claim_set_status(claim=claim, to="true-ish", expected="unverified", note="x", actor=editor)


def test_history_is_a_chain_of_from_and_to(editor, journalist):
    claim = make_claim(journalist)
    for to in ["supported", "mixed", "retracted", "unverified"]:
        claim_set_status(claim=claim, to=to, expected=claim.status, note=f"now {to}", actor=editor)
    rows = list(StatusChange.objects.filter(claim=claim).order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert [r.from_status for r in rows[1:]] == [r.to_status for r in rows[:-1]]


def test_a_back_dated_change_must_follow_the_previous_one(editor, journalist):
    claim = make_claim(journalist)
    july = timezone.now() - timedelta(days=400)
    claim_set_status(
        claim=claim, to="supported", expected="unverified", note="a", actor=editor, at=july
    )
    with pytest.raises(ValidationError):
        claim_set_status(
            claim=claim,
            to="mixed",
            expected="supported",
            note="b",
            actor=editor,
            at=july - timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        claim_set_status(
            claim=claim,
            to="mixed",
            expected="supported",
            note="b",
            actor=editor,
            at=timezone.now() + timedelta(days=1),
        )


def test_evidence_for_another_claim_cannot_back_a_verdict(editor, journalist):
    claim, other = make_claim(journalist), make_claim(journalist)
    evidence, _ = evidence_propose(
        claim=other, article=make_article(), stance="supports", score=0.9, actor=journalist
    )
    with pytest.raises(ValidationError):
        claim_set_status(
            claim=claim,
            to="supported",
            expected="unverified",
            note="x",
            actor=editor,
            evidence=evidence,
        )


def test_the_engine_may_set_a_status_nobody_has_ruled_on(journalist):
    claim = make_claim(journalist)
    evidence, _ = evidence_propose(
        claim=claim, article=make_article(), stance="supports", score=0.97, engine_version="e1"
    )
    change = claim_set_status(
        claim=claim,
        to="supported",
        expected="unverified",
        note="auto-applied",
        engine_version="e1",
        evidence=evidence,
    )
    assert change.by_engine and change.actor is None and change.engine_version == "e1"


def test_the_engine_never_overwrites_an_editors_verdict(editor, journalist):
    claim = make_claim(journalist)
    claim_set_status(claim=claim, to="refuted", expected="unverified", note="ruled", actor=editor)
    with pytest.raises(TransitionError, match="editor"):
        claim_set_status(
            claim=claim, to="supported", expected="refuted", note="auto", engine_version="e1"
        )
    assert Claim.objects.get(pk=claim.pk).status == "refuted"


def test_the_engine_may_not_retract_or_reopen(journalist):
    claim = make_claim(journalist)
    for to in ["retracted", "unverifiable"]:
        with pytest.raises(TransitionError):
            claim_set_status(
                claim=claim, to=to, expected="unverified", note="x", engine_version="e"
            )


def test_a_change_has_exactly_one_actor(editor, journalist):
    claim = make_claim(journalist)
    with pytest.raises(ValueError):
        claim_set_status(claim=claim, to="mixed", expected="unverified", note="x")
    with pytest.raises(ValueError):
        claim_set_status(
            claim=claim,
            to="mixed",
            expected="unverified",
            note="x",
            actor=editor,
            engine_version="e",
        )


def test_history_rows_cannot_be_edited_or_deleted(editor, journalist):
    claim = make_claim(journalist)
    change = claim_set_status(
        claim=claim, to="mixed", expected="unverified", note="x", actor=editor
    )
    change.note = "rewritten"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        StatusChange.objects.filter(pk=change.pk).update(note="rewritten")
    with pytest.raises(TypeError):
        StatusChange.objects.all().delete()
    assert StatusChange.objects.get(pk=change.pk).note == "x"
