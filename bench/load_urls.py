"""The project's URLs plus `/bench/plain-claims/`: the API's first claims page (the same
50 claims with the same fields: tags and evidence counts included) as a plain Django
view builds it, with `.values()` and JsonResponse: no DRF, no authentication. The load
benchmark's baseline for list throughput."""

from collections import defaultdict

from django.http import JsonResponse
from django.urls import include, path

from claims.api.serializers import CLAIM_ROW_FIELDS
from claims.api.views import ClaimViewSet
from claims.models import Claim, Stance

PAGE = 50  # the API's default page size
COUNTS = {stance: f"evidence_{stance}" for stance in Stance.values}
FIELDS = CLAIM_ROW_FIELDS  # the same columns as the API list reads


def plain_claims(request):
    # The API's queryset (the same counts), without its tags prefetch.
    claims = ClaimViewSet.queryset.all().prefetch_related(None)
    rows = list(claims.order_by("-id").values(*FIELDS)[:PAGE])
    tags = defaultdict(list)
    pairs = Claim.tags.through.objects.filter(claim_id__in=[row["id"] for row in rows])
    for claim_id, name in pairs.values_list("claim_id", "tag__name").order_by("tag__name"):
        tags[claim_id].append(name)
    for row in rows:
        row["tags"] = tags[row["id"]]
        row["evidence"] = {stance: row.pop(field) for stance, field in COUNTS.items()}
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/plain-claims/", plain_claims),
    path("", include("claimtrack.urls")),
]
