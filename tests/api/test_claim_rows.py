"""The claims list builds its page from `.values()` rows by hand (for speed); every claim
must look exactly as ClaimSerializer, the schema's source, shows it on its own."""

from datetime import date

import pytest

from claims.api.serializers import ClaimSerializer
from claims.api.views import ClaimViewSet
from claims.services import appearance_create, claim_set_status, evidence_propose
from tests.conftest import ids_of_every_page
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_claims(journalist, editor):
    """Claims with and without tags, dates, appearances, evidence and a verdict."""
    plain = make_claim(journalist, text="A claim with nothing else.", kind="fact")
    tagged = make_claim(
        journalist,
        text="Zébu «quoted» claim — with ünïcode & <markup>.",
        kind="prediction",
        tags=["zeta", "alpha", "Mid"],
        resolves_by=date(2031, 2, 28),
    )
    article, later = make_article(text="Some words here."), make_article(text="Other words.")
    appearance_create(claim=tagged, article=article, start=0, end=4, actor=journalist)
    appearance_create(claim=tagged, article=later, start=0, end=5, actor=journalist)
    evidence_propose(claim=tagged, article=later, stance="refutes", score=0.7, actor=journalist)
    evidence_propose(claim=plain, article=article, stance="supports", score=0.4, actor=journalist)
    claim_set_status(
        claim=tagged, to="refuted", expected="unverified", actor=editor, note="Checked."
    )
    return [plain, tagged]


def test_the_list_shows_each_claim_as_its_serializer_does(varied_claims, as_role):
    client = as_role("reader")
    listed = client.get("/api/v1/claims/?page_size=200", secure=True).json()["results"]
    request = client.get("/api/v1/claims/", secure=True).wsgi_request
    for row in listed:
        claim = ClaimViewSet.queryset.all().get(pk=row["id"])
        alone = ClaimSerializer(claim, context={"request": request}).data
        assert row == alone
        assert list(row) == list(alone)  # the same keys in the same order
    by_id = {row["id"]: row for row in listed}
    tagged = by_id[varied_claims[1].pk]
    assert tagged["tags"] == ["alpha", "mid", "zeta"]
    assert tagged["resolves_by"] == "2031-02-28"
    assert tagged["status"] == "refuted" and tagged["status_changed_at"].endswith("Z")
    assert tagged["appearance_count"] == 2
    assert tagged["evidence"] == {"supports": 0, "refutes": 1, "discusses": 0}
    assert by_id[varied_claims[0].pk]["resolves_by"] is None


def test_filtered_and_ordered_pages_follow_their_cursor(varied_claims, journalist, as_role):
    for n in range(5):
        make_claim(journalist, text=f"Filler claim number {n}.", tags=["alpha"])
    client = as_role("reader")
    seen = ids_of_every_page(client, "/api/v1/claims/?tag=alpha&ordering=-updated_at&page_size=2")
    assert len(seen) == len(set(seen)) == 6
