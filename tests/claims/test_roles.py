import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from claims.services import (
    appearance_create,
    claim_create,
    claim_set_status,
    evidence_propose,
    evidence_review,
)
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def test_the_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"journalist", "editor"}


def test_an_editor_holds_every_journalist_permission_and_more():
    journalist = set(Group.objects.get(name="journalist").permissions.all())
    editor = set(Group.objects.get(name="editor").permissions.all())
    assert journalist < editor
    extra = {p.codename for p in editor - journalist}
    assert {"set_claim_status", "review_evidence", "merge_claims"} <= extra


def test_a_journalist_logs_claims_and_proposes_evidence(journalist):
    article = make_article(text="Meta will open Llama. Nothing else.")
    claim = claim_create(text="Meta will open Llama.", kind="prediction", actor=journalist)
    appearance = appearance_create(
        claim=claim,
        article=article,
        start=0,
        end=21,
        quote="Meta will open Llama.",
        actor=journalist,
    )
    evidence, created = evidence_propose(
        claim=claim, article=make_article(), stance="supports", score=0.8, actor=journalist
    )
    assert appearance.quote == "Meta will open Llama."
    assert appearance.quote_suffix == " Nothing else."
    assert created and evidence.found_by == journalist and evidence.review_state == "pending"


def test_a_journalist_cannot_rule_on_a_claim_or_review_evidence(journalist):
    claim = make_claim(journalist)
    evidence, _ = evidence_propose(
        claim=claim, article=make_article(), stance="refutes", score=0.7, actor=journalist
    )
    with pytest.raises(PermissionDenied):
        claim_set_status(
            claim=claim, to="refuted", expected="unverified", note="x", actor=journalist
        )
    with pytest.raises(PermissionDenied):
        evidence_review(evidence=evidence, state="accepted", actor=journalist)
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_an_editor_rules_and_reviews(editor, journalist):
    claim = make_claim(journalist)
    evidence, _ = evidence_propose(
        claim=claim, article=make_article(), stance="refutes", score=0.7, actor=journalist
    )
    evidence_review(evidence=evidence, state="accepted", actor=editor, note="solid")
    claim_set_status(
        claim=claim, to="refuted", expected="unverified", note="x", actor=editor, evidence=evidence
    )
    evidence.refresh_from_db()
    assert (evidence.review_state, evidence.reviewed_by) == ("accepted", editor)


def test_an_outsider_can_do_nothing(outsider, journalist):
    with pytest.raises(PermissionDenied):
        claim_create(text="Anything.", actor=outsider)
    claim = make_claim(journalist)
    with pytest.raises(PermissionDenied):
        evidence_propose(
            claim=claim, article=make_article(), stance="supports", score=0.5, actor=outsider
        )
    with pytest.raises(PermissionDenied):
        claim_set_status(claim=claim, to="mixed", expected="unverified", note="x", actor=outsider)


def test_a_deactivated_editor_can_no_longer_rule(editor, journalist):
    claim = make_claim(journalist)
    editor.is_active = False
    editor.save()
    with pytest.raises(PermissionDenied):
        claim_set_status(claim=claim, to="mixed", expected="unverified", note="x", actor=editor)
