from datetime import date

import pytest
from django.urls import reverse

from claims.services import claim_set_status, evidence_propose
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def test_a_signed_in_outsider_cannot_see_the_dashboard(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("dashboard"), secure=True).status_code == 403


def test_the_dashboard_counts_claims_queue_and_due_predictions(client, journalist, editor):
    ruled = make_claim(journalist)
    claim_set_status(claim=ruled, to="refuted", expected="unverified", note="no", actor=editor)
    make_claim(journalist, resolves_by=date(2020, 1, 1))
    evidence_propose(
        claim=ruled, article=make_article(), stance="refutes", score=0.8, actor=journalist
    )
    client.force_login(journalist)
    response = client.get(reverse("dashboard"), secure=True)
    figures = response.context["figures"]
    assert dict((s, n) for s, _, n in figures.by_status) == {
        "unverified": 1,
        "supported": 0,
        "refuted": 1,
        "mixed": 0,
        "unverifiable": 0,
        "retracted": 0,
    }
    assert (figures.review_queue, figures.predictions_due) == (1, 1)
    assert [c.to_status for c in figures.latest_changes] == ["refuted"]
    assert "Evidence awaiting review" in response.content.decode()


def test_the_dashboard_costs_the_same_queries_for_more_changes(
    client, journalist, editor, django_assert_max_num_queries
):
    client.force_login(journalist)
    claim = make_claim(journalist)
    claim_set_status(claim=claim, to="mixed", expected="unverified", note="x", actor=editor)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("dashboard"), secure=True)
    for _ in range(8):
        other = make_claim(journalist)
        claim_set_status(claim=other, to="mixed", expected="unverified", note="x", actor=editor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboard"), secure=True)
