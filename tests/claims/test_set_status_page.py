import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services import claim_set_status
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def _page(client, claim):
    return client.get(reverse("claims:detail", args=[claim.pk]), secure=True).content.decode()


def test_a_journalist_has_no_status_control_and_a_forged_post_is_refused(client, journalist):
    claim = make_claim(journalist)
    client.force_login(journalist)
    assert "Set status" not in _page(client, claim)
    url = reverse("claims:set-status", args=[claim.pk])
    data = {"status": "refuted", "expected": "unverified", "note": "x"}
    assert client.post(url, data, secure=True).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_an_editor_sets_a_status_with_a_note(client, journalist, editor):
    claim = make_claim(journalist)
    client.force_login(editor)
    assert "Set status" in _page(client, claim)
    url = reverse("claims:set-status", args=[claim.pk])
    data = {"status": "refuted", "expected": "unverified", "note": "Meta denied it."}
    response = client.post(url, data, secure=True, follow=True)
    assert "Status set to refuted." in response.content.decode()
    change = Claim.objects.get(pk=claim.pk).status_changes.get()
    assert (change.to_status, change.actor, change.note) == ("refuted", editor, "Meta denied it.")


def test_a_stale_change_is_shown_as_a_message_and_overwrites_nothing(client, journalist, editor):
    claim = make_claim(journalist)
    client.force_login(editor)
    # Another editor rules while this one still has the page open.
    claim_set_status(claim=claim, to="supported", expected="unverified", note="a", actor=editor)
    url = reverse("claims:set-status", args=[claim.pk])
    data = {"status": "refuted", "expected": "unverified", "note": "b"}
    response = client.post(url, data, secure=True, follow=True)
    assert response.status_code == 200
    assert "someone changed it meanwhile" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "supported"


def test_a_change_without_a_note_is_refused_with_a_message(client, journalist, editor):
    claim = make_claim(journalist)
    client.force_login(editor)
    url = reverse("claims:set-status", args=[claim.pk])
    response = client.post(
        url, {"status": "mixed", "expected": "unverified", "note": ""}, secure=True, follow=True
    )
    assert "explain it in a note" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status_seq == 0
