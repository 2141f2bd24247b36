"""Who may do what, endpoint by endpoint and method by method."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "reader", "journalist", "editor"]
READ = {"anonymous": 401, "outsider": 403, "reader": 200, "journalist": 200, "editor": 200}
EDITORS_READ = {"anonymous": 401, "outsider": 403, "reader": 403, "journalist": 403, "editor": 200}


def _writes(ok: int, editors_only: bool = False) -> dict:
    allowed = ok
    return {
        "anonymous": 401,
        "outsider": 403,
        "reader": 403,
        "journalist": 403 if editors_only else allowed,
        "editor": allowed,
    }


def _csv(world):
    content = b"text,kind\nA new claim from a file.,fact\n"
    return {"file": SimpleUploadedFile("claims.csv", content, content_type="text/csv")}


# (name, method, path, body builder, expected status by role)
CASES = [
    ("claims list", "get", "/api/v1/claims/", None, READ),
    ("claim detail", "get", "/api/v1/claims/{claim}/", None, READ),
    ("claim as of", "get", "/api/v1/claims/{claim}/?as_of=2100-01-01T00:00:00Z", None, READ),
    ("claimreview", "get", "/api/v1/claims/{claim}.jsonld", None, READ),
    ("claim history", "get", "/api/v1/claims/{claim}/history/", None, READ),
    ("claims export", "get", "/api/v1/claims/export/", None, READ),
    ("claim create", "post", "/api/v1/claims/", lambda w: {"text": "Brand new."}, _writes(201)),
    (
        "claim patch",
        "patch",
        "/api/v1/claims/{claim}/",
        lambda w: {"kind": "opinion"},
        _writes(200),
    ),
    (
        "claim status",
        "post",
        "/api/v1/claims/{claim}/status/",
        lambda w: {"status": "refuted", "expected": "unverified", "note": "No."},
        _writes(201, editors_only=True),
    ),
    ("claims import", "post-multipart", "/api/v1/claims/import/", _csv, _writes(201)),
    ("articles list", "get", "/api/v1/articles/", None, READ),
    ("article detail", "get", "/api/v1/articles/{article}/", None, READ),
    (
        "article create",
        "post",
        "/api/v1/articles/",
        lambda w: {"title": "New", "text": "Something new happened.", "outlet": "The Wire"},
        _writes(201),
    ),
    (
        "article patch",
        "patch",
        "/api/v1/articles/{article}/",
        lambda w: {"author": "X"},
        _writes(200),
    ),
    ("sources list", "get", "/api/v1/sources/", None, READ),
    ("source detail", "get", "/api/v1/sources/{meta}/", None, READ),
    (
        "source create",
        "post",
        "/api/v1/sources/",
        lambda w: {"name": "Yann LeCun", "kind": "person"},
        _writes(201),
    ),
    (
        "source patch",
        "patch",
        "/api/v1/sources/{meta}/",
        lambda w: {"aliases": ["Meta AI"]},
        _writes(200),
    ),
    ("appearances list", "get", "/api/v1/appearances/", None, READ),
    ("appearance detail", "get", "/api/v1/appearances/{appearance}/", None, READ),
    (
        "appearance create",
        "post",
        "/api/v1/appearances/",
        lambda w: {"claim": w["claim"].pk, "article": w["article"].pk, "start": 0, "end": 33},
        _writes(201),
    ),
    (
        "appearance patch",
        "patch",
        "/api/v1/appearances/{appearance}/",
        lambda w: {"attribution": "the company said"},
        _writes(200),
    ),
    ("evidence list", "get", "/api/v1/evidence/", None, READ),
    ("evidence detail", "get", "/api/v1/evidence/{evidence}/", None, READ),
    (
        "evidence create",
        "post",
        "/api/v1/evidence/",
        lambda w: {
            "claim": w["claim"].pk,
            "article": w["article"].pk,
            "stance": "supports",
            "score": 0.8,
        },
        _writes(201),
    ),
    (
        "evidence review",
        "post",
        "/api/v1/evidence/{evidence}/review/",
        lambda w: {"decision": "accepted"},
        _writes(200, editors_only=True),
    ),
    ("changes", "get", "/api/v1/changes/", None, READ),
    ("atom feed", "get", "/feeds/status-changes/", None, READ),
    ("webhooks list", "get", "/api/v1/webhooks/", None, EDITORS_READ),
    (
        "webhook create",
        "post",
        "/api/v1/webhooks/",
        lambda w: {"target_url": "https://hooks.example.org/claims", "events": ["status.changed"]},
        _writes(201, editors_only=True),
    ),
]


@pytest.fixture(autouse=True)
def _hooks_host_is_allowed(settings):
    # No name resolution in tests: the host is allowed outright.
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["hooks.example.org"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_permission_matrix(world, as_role, role, name, method, path, body, expected):
    client = as_role(role)
    url = path.format(**{key: getattr(value, "pk", value) for key, value in world.items()})
    data = body(world) if body else None
    if method == "post-multipart":
        response = client.post(url, data, format="multipart", secure=True)
    elif method == "get":
        response = client.get(url, secure=True)
    else:
        response = getattr(client, method)(url, data, format="json", secure=True)
    assert response.status_code == expected[role], (role, name, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("method", ["delete"])
@pytest.mark.parametrize("path", ["/api/v1/claims/{claim}/", "/api/v1/articles/{article}/"])
def test_nothing_is_deleted_through_the_api(world, as_role, method, path):
    url = path.format(claim=world["claim"].pk, article=world["article"].pk)
    response = as_role("editor").delete(url, secure=True)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_public_read_lets_anonymous_clients_read_but_never_write(world, as_role, settings):
    settings.CLAIMTRACK_API_PUBLIC_READ = True
    client = as_role("anonymous")
    assert client.get("/api/v1/claims/", secure=True).status_code == 200
    response = client.post("/api/v1/claims/", {"text": "x"}, format="json", secure=True)
    assert response.status_code == 401
