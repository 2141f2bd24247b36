import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.matching import live_index
from claims.models import Appearance, Claim, ClaimMerge, Evidence, StatusChange
from claims.services import (
    appearance_create,
    claim_set_status,
    claims_merge,
    evidence_propose,
    evidence_record_engine_finding,
    evidence_review,
)
from tests.conftest import api_client
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(journalist, editor):
    """Two wordings of one claim, each with an appearance, evidence and history."""
    keep = make_claim(
        journalist, text="LLaMA 2 is free for commercial use.", kind="fact", tags=["llama"]
    )
    dup = make_claim(
        journalist,
        text="Meta's LLaMA 2 may be used commercially for free.",
        kind="fact",
        tags=["licensing"],
    )
    first, second, shared = make_article(), make_article(), make_article()
    appearance_create(claim=keep, article=first, start=0, end=4, actor=journalist)
    appearance_create(claim=dup, article=second, start=0, end=4, actor=journalist)
    evidence_propose(claim=dup, article=first, stance="supports", score=0.8, actor=journalist)
    claim_set_status(
        claim=dup, to="supported", expected="unverified", note="Licence says so.", actor=editor
    )
    return keep, dup, shared


def test_appearances_evidence_and_tags_move_and_the_merge_is_recorded(pair, editor):
    keep, dup, _ = pair
    record = claims_merge(keep=keep, merge=dup, actor=editor, note="Same licence claim.")
    assert (record.moved_appearances, record.moved_evidence) == (1, 1)
    assert Appearance.objects.filter(claim=keep).count() == 2
    assert Evidence.objects.get().claim == keep
    assert sorted(t.name for t in keep.tags.all()) == ["licensing", "llama"]
    stored = ClaimMerge.objects.get()
    assert (stored.kept, stored.merged, stored.actor, stored.note) == (
        keep,
        dup,
        editor,
        "Same licence claim.",
    )
    # The duplicate is kept with its history, but no longer tracked.
    assert not Claim.objects.filter(pk=dup.pk).exists()
    assert Claim.all_objects.get(pk=dup.pk).merged_into == keep
    assert StatusChange.objects.get().claim_id == dup.pk
    assert Claim.objects.get(pk=keep.pk).status == "unverified"  # editors rule on it


def test_rows_that_would_duplicate_the_kept_claims_stay_behind_and_are_listed(journalist, editor):
    keep, dup = make_claim(journalist), make_claim(journalist)
    article, other = make_article(), make_article()
    for claim in (keep, dup):
        appearance_create(claim=claim, article=article, start=0, end=4, actor=journalist)
    kept_ev, _ = evidence_propose(
        claim=keep, article=article, stance="supports", score=0.7, actor=journalist
    )
    dup_ev, _ = evidence_propose(
        claim=dup, article=article, stance="refutes", score=0.6, actor=journalist
    )
    # A pending engine proposal on the kept claim gives way to the duplicate's reviewed row.
    engine_ev, _ = evidence_record_engine_finding(
        claim_id=keep.pk,
        article=other,
        stance="supports",
        score=0.5,
        match_score=0.5,
        sentences=[],
        engine_version="t-1",
    )
    reviewed, _ = evidence_propose(
        claim=dup, article=other, stance="refutes", score=0.9, actor=journalist
    )
    evidence_review(evidence=reviewed, state="accepted", actor=editor)

    record = claims_merge(keep=keep, merge=dup, actor=editor, note="dup")
    assert record.left_behind["evidence"] == [dup_ev.pk]
    assert len(record.left_behind["appearances"]) == 1
    assert Evidence.objects.get(pk=dup_ev.pk).claim_id == dup.pk  # kept, not deleted
    assert Evidence.objects.get(pk=kept_ev.pk).claim_id == keep.pk
    assert not Evidence.objects.filter(pk=engine_ev.pk).exists()
    assert Evidence.objects.get(pk=reviewed.pk).claim_id == keep.pk


def test_merging_needs_the_permission_a_note_and_two_tracked_claims(pair, journalist, editor):
    keep, dup, _ = pair
    with pytest.raises(PermissionDenied):
        claims_merge(keep=keep, merge=dup, actor=journalist, note="x")
    with pytest.raises(ValidationError):
        claims_merge(keep=keep, merge=dup, actor=editor, note=" ")
    with pytest.raises(ValidationError):
        claims_merge(keep=keep, merge=keep, actor=editor, note="x")
    claims_merge(keep=keep, merge=dup, actor=editor, note="x")
    with pytest.raises(ValidationError, match="already merged"):
        claims_merge(keep=keep, merge=dup, actor=editor, note="again")
    assert ClaimMerge.objects.count() == 1


def test_a_chain_of_merges_points_every_duplicate_at_the_claim_kept(pair, journalist, editor):
    keep, dup, _ = pair
    third = make_claim(journalist)
    claims_merge(keep=keep, merge=dup, actor=editor, note="one")
    claims_merge(keep=third, merge=keep, actor=editor, note="two")
    assert Claim.all_objects.get(pk=dup.pk).merged_into == third
    assert Appearance.objects.filter(claim=third).count() == 2


def test_the_engine_stops_matching_a_merged_claim(pair, editor):
    keep, dup, _ = pair
    index = live_index().current()
    assert dup.pk in index
    claims_merge(keep=keep, merge=dup, actor=editor, note="dup")
    assert dup.pk not in live_index().current()


def test_the_kept_claims_page_shows_the_merged_history_and_old_links_lead_there(
    client, pair, editor
):
    keep, dup, _ = pair
    client.force_login(editor)
    url = reverse("claims:merge", args=[keep.pk])
    response = client.post(
        url, {"merge-duplicate": dup.pk, "merge-note": "Same claim."}, secure=True, follow=True
    )
    html = response.content.decode()
    assert f"Claim #{dup.pk} merged into this claim" in html
    assert f"Merged claim #{dup.pk} into this one" in html
    assert "Licence says so." in html and f"on #{dup.pk}, before it was merged" in html
    old = client.get(reverse("claims:detail", args=[dup.pk]), secure=True)
    assert old.status_code == 302 and old.url == reverse("claims:detail", args=[keep.pk])


def test_the_kept_claims_api_history_holds_its_own_and_the_merged_changes(pair, editor):
    keep, dup, _ = pair
    claims_merge(keep=keep, merge=dup, actor=editor, note="Same claim.")
    claim_set_status(claim=keep, to="supported", expected="unverified", note="Yes.", actor=editor)
    other = make_claim(editor)
    claim_set_status(claim=other, to="refuted", expected="unverified", note="No.", actor=editor)
    rows = api_client(editor).get(f"/api/v1/claims/{keep.pk}/history/", secure=True).json()
    assert [(row["claim"], row["note"]) for row in rows] == [
        (dup.pk, "Licence says so."),
        (keep.pk, "Yes."),
    ]


def test_a_bad_merge_request_is_a_message_not_a_crash(client, pair, editor):
    keep, dup, _ = pair
    client.force_login(editor)
    url = reverse("claims:merge", args=[keep.pk])
    for data, message in [
        ({"merge-duplicate": 99999, "merge-note": "x"}, "There is no tracked claim #99999."),
        ({"merge-duplicate": keep.pk, "merge-note": "x"}, "cannot be merged into itself"),
        ({"merge-duplicate": dup.pk}, "Give the duplicate"),
    ]:
        html = client.post(url, data, secure=True, follow=True).content.decode()
        assert message in html
    assert not ClaimMerge.objects.exists()


def test_journalists_see_no_merge_control_and_a_forged_post_is_refused(client, pair, journalist):
    keep, dup, _ = pair
    client.force_login(journalist)
    page = client.get(reverse("claims:detail", args=[keep.pk]), secure=True).content.decode()
    assert ">Merge</button>" not in page
    url = reverse("claims:merge", args=[keep.pk])
    response = client.post(url, {"merge-duplicate": dup.pk, "merge-note": "x"}, secure=True)
    assert response.status_code == 403
    assert Claim.objects.filter(pk=dup.pk).exists()


def test_editors_get_the_merge_form_with_similar_claims(client, pair, editor):
    keep, dup, _ = pair
    client.force_login(editor)
    response = client.get(reverse("claims:detail", args=[keep.pk]), secure=True)
    html = response.content.decode()
    assert ">Merge</button>" in html
    assert re.search(r"<title>[^<]+ · ClaimTrack</title>", html)  # the form is in the body
    assert dup in [claim for claim, _ in response.context["merge_candidates"]]
