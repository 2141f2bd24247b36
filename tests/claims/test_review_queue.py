import pytest
from django.urls import reverse

from claims.models import Evidence
from claims.services import evidence_propose
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(journalist):
    evidence, _ = evidence_propose(
        claim=make_claim(journalist),
        article=make_article(),
        stance="supports",
        score=0.8,
        engine_version="e1",
    )
    return evidence


def test_a_journalist_sees_the_queue_without_decision_controls(client, journalist, pending):
    client.force_login(journalist)
    html = client.get(reverse("claims:review"), secure=True).content.decode()
    assert pending.claim.text in html
    assert ">Accept</button>" not in html and ">Reject</button>" not in html


def test_a_forged_decision_from_a_journalist_is_refused(client, journalist, pending):
    client.force_login(journalist)
    url = reverse("claims:review-decision", args=[pending.pk])
    assert client.post(url, {"decision": "accepted"}, secure=True).status_code == 403
    assert Evidence.objects.get(pk=pending.pk).review_state == "pending"


def test_an_editor_accepts_with_a_corrected_stance(client, editor, pending):
    client.force_login(editor)
    url = reverse("claims:review-decision", args=[pending.pk])
    response = client.post(
        url,
        {"decision": "accepted", "note": "checked", "corrected_stance": "refutes"},
        secure=True,
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.review_state, pending.stance, pending.reviewed_by) == (
        "accepted",
        "refutes",
        editor,
    )
    assert (
        ">Accept</button>" not in client.get(reverse("claims:review"), secure=True).content.decode()
    )


def test_htmx_gets_the_item_back_in_its_new_state(client, editor, pending):
    client.force_login(editor)
    url = reverse("claims:review-decision", args=[pending.pk])
    response = client.post(url, {"decision": "rejected"}, secure=True, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Rejected" in response.content.decode()


def test_a_bad_decision_gets_a_reason_and_changes_nothing(client, editor, pending):
    client.force_login(editor)
    url = reverse("claims:review-decision", args=[pending.pk])
    response = client.post(url, {"decision": "maybe"}, secure=True)
    assert response.status_code == 400 and b"decision" in response.content
    response = client.post(
        url, {"decision": "accepted", "corrected_stance": "unrelated"}, secure=True
    )
    assert response.status_code == 400 and b"unrelated" in response.content
    assert Evidence.objects.get(pk=pending.pk).review_state == "pending"


def test_the_queue_costs_the_same_queries_for_more_items(
    client, editor, journalist, pending, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("claims:review"), secure=True)
    for _ in range(10):
        evidence_propose(
            claim=make_claim(journalist),
            article=make_article(),
            stance="refutes",
            score=0.5,
            engine_version="e1",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("claims:review"), secure=True)
