import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Evidence
from claims.services import appearance_create, claim_create, evidence_propose
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def test_evidence_is_stored_once_per_claim_and_article(journalist):
    claim, article = make_claim(journalist), make_article()
    first, created = evidence_propose(
        claim=claim, article=article, stance="supports", score=0.9, engine_version="e1"
    )
    again, created_again = evidence_propose(
        claim=claim, article=article, stance="refutes", score=0.2, engine_version="e1"
    )
    assert created and not created_again and again.pk == first.pk and again.stance == "supports"
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            claim=claim, article=article, stance="refutes", score=0.1, engine_version="e2"
        )


def test_evidence_sentences_must_match_the_article(journalist):
    claim, article = make_claim(journalist), make_article(text="Alpha beta. Gamma delta.")
    with pytest.raises(ValidationError):
        evidence_propose(
            claim=claim,
            article=article,
            stance="supports",
            score=0.5,
            engine_version="e",
            sentences=[{"text": "Gamma delta.", "start": 0, "end": 12}],
        )
    evidence, _ = evidence_propose(
        claim=claim,
        article=article,
        stance="supports",
        score=0.5,
        engine_version="e",
        sentences=[{"text": "Gamma delta.", "start": 12, "end": 24}],
    )
    assert evidence.sentences[0]["start"] == 12


def test_a_score_outside_zero_to_one_is_refused(journalist):
    with pytest.raises(ValidationError):
        evidence_propose(
            claim=make_claim(journalist),
            article=make_article(),
            stance="supports",
            score=1.5,
            engine_version="e",
        )


def test_a_quote_that_does_not_match_the_article_is_refused(journalist):
    claim, article = make_claim(journalist), make_article(text="Meta will open Llama.")
    with pytest.raises(ValidationError):
        appearance_create(
            claim=claim, article=article, start=0, end=4, quote="Open", actor=journalist
        )
    with pytest.raises(ValidationError):
        appearance_create(claim=claim, article=article, start=5, end=500, actor=journalist)


def test_the_same_quote_is_logged_once_per_claim(journalist):
    claim, article = make_claim(journalist), make_article(text="Meta will open Llama.")
    appearance_create(claim=claim, article=article, start=0, end=4, actor=journalist)
    with pytest.raises(ValidationError, match="already logged"):
        appearance_create(claim=claim, article=article, start=0, end=4, actor=journalist)


def test_only_predictions_resolve_by_a_date(journalist):
    with pytest.raises(ValidationError):
        claim_create(
            text="Meta is big.",
            kind="fact",
            resolves_by=datetime.date(2024, 1, 1),
            actor=journalist,
        )
    claim = claim_create(
        text="Meta will ship.",
        kind="prediction",
        resolves_by=datetime.date(2024, 1, 1),
        actor=journalist,
        tags=["Llama 2", "open source"],
    )
    assert sorted(claim.tags.values_list("name", flat=True)) == ["llama-2", "open-source"]
    assert Claim.objects.predictions_due(datetime.date(2024, 6, 1)).get() == claim


def test_editing_a_claim_in_the_admin_goes_through_the_service(client, journalist, editor):
    from django.contrib.auth import get_user_model

    claim = make_claim(journalist)
    staff = get_user_model().objects.create_superuser("boss", password="pw")
    client.force_login(staff)
    url = f"/admin/claims/claim/{claim.pk}/change/"
    inlines = {
        f"{prefix}-{field}": "0"
        for prefix in ["appearances", "evidence", "status_changes"]
        for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
    }
    response = client.post(
        url,
        {"text": "  Meta will   open Llama 3. ", "kind": "fact", "resolves_by": "", **inlines},
        secure=True,
    )
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert (claim.text, claim.kind, claim.resolves_by) == ("Meta will open Llama 3.", "fact", None)
