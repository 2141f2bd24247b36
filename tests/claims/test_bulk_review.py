import pytest
from django.urls import reverse

from articles.models import Job, JobState
from claims.models import Evidence
from claims.services import evidence_propose, evidence_review, evidence_review_many
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(journalist):
    claim = make_claim(journalist)
    return [
        evidence_propose(
            claim=claim, article=make_article(), stance="supports", score=0.5, actor=journalist
        )[0]
        for _ in range(3)
    ]


def test_a_bulk_accept_runs_as_a_job_whose_page_shows_the_outcome(
    client, editor, pending, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    ids = [e.pk for e in pending]
    with django_capture_on_commit_callbacks(execute=True):  # the task is sent on commit
        response = client.post(
            reverse("claims:review-bulk"),
            {"evidence": ids, "decision": "accepted", "note": "All from the licence."},
            secure=True,
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("articles:job", args=[job.pk])
    assert (job.kind, job.state, job.total, job.done, job.created_by) == (
        "bulk-review",
        JobState.DONE,
        3,
        3,
        editor,
    )
    assert {e.review_state for e in Evidence.objects.all()} == {"accepted"}
    assert {e.review_note for e in Evidence.objects.all()} == {"All from the licence."}
    page = client.get(response.url, secure=True).content.decode()
    assert '<progress max="3" value="3"' in page and "3 evidence item(s) accepted." in page
    assert "hx-trigger" not in page  # finished: the page stops polling


def test_an_unfinished_job_polls_for_its_progress(client, editor):
    job = Job.objects.create(kind="bulk-review", created_by=editor, total=40, done=10)
    client.force_login(editor)
    url = reverse("articles:job", args=[job.pk])
    page = client.get(url, secure=True).content.decode()
    assert 'hx-trigger="every 1s"' in page and '<progress max="40" value="10"' in page
    partial = client.get(url, secure=True, headers={"HX-Request": "true"})
    assert partial.templates[0].name == "articles/job_progress.html"
    assert "<html" not in partial.content.decode()


def test_a_job_is_visible_only_to_whoever_started_it(client, editor, journalist):
    job = Job.objects.create(kind="bulk-review", created_by=editor, total=1)
    client.force_login(journalist)
    assert client.get(reverse("articles:job", args=[job.pk]), secure=True).status_code == 404


def test_items_reviewed_meanwhile_are_skipped_and_named(editor, pending, django_user_model):
    other = django_user_model.objects.create_user("other-editor")
    other.groups.add(*editor.groups.all())
    evidence_review(evidence=pending[0], state="rejected", actor=other)
    seen = []
    outcome = evidence_review_many(
        evidence_ids=[e.pk for e in pending] + [999999],
        state="accepted",
        actor=editor,
        on_progress=lambda handled, outcome: seen.append(handled),
    )
    assert outcome.reviewed == 2 and seen == [1, 2, 3, 4]
    assert outcome.skipped == [
        f"Evidence #{pending[0].pk} was already rejected.",
        "Evidence #999999 no longer exists.",
    ]
    assert Evidence.objects.get(pk=pending[0].pk).reviewed_by == other
    # The same request again (a redelivered task) changes nothing and counts the same.
    again = evidence_review_many(
        evidence_ids=[e.pk for e in pending[1:]], state="accepted", actor=editor
    )
    assert again.reviewed == 2 and not again.skipped


def test_bulk_review_refuses_journalists_and_bad_selections(client, journalist, editor, pending):
    client.force_login(journalist)
    url = reverse("claims:review-bulk")
    data = {"evidence": [pending[0].pk], "decision": "accepted"}
    assert client.post(url, data, secure=True).status_code == 403
    client.force_login(editor)
    for bad, message in [
        ({"decision": "accepted"}, "Select the evidence to review first."),
        ({"evidence": [pending[0].pk, 999999], "decision": "accepted"}, "no longer pending"),
    ]:
        html = client.post(url, bad, secure=True, follow=True).content.decode()
        assert message in html
    assert not Job.objects.exists()
    assert {e.review_state for e in Evidence.objects.all()} == {"pending"}


def test_the_queue_offers_bulk_actions_to_editors_only(client, journalist, editor, pending):
    client.force_login(journalist)
    assert (
        "Accept selected" not in client.get(reverse("claims:review"), secure=True).content.decode()
    )
    client.force_login(editor)
    html = client.get(reverse("claims:review"), secure=True).content.decode()
    assert "Accept selected" in html
    assert f'name="evidence" value="{pending[0].pk}" form="bulk-form"' in html
