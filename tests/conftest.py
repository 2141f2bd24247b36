import os

import pytest
from django.contrib.auth.models import Group

from claims.matching import live_index
from claimtrack.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(env_name: str) -> str:
    """The URL of a service a test needs. Outside CI a missing service skips the test;
    in CI it fails it, so a broken CI setup can never pass by skipping."""
    url = os.environ.get(env_name, "")
    if not url:
        message = f"{env_name} is not set; this test needs the real service."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Unit tests run tasks in-process; the real worker has its own tests (they switch
    this off). Without it, tests under CI's REDIS_URL would pile messages into Redis."""
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _fresh_claim_index():
    """The live index is per process; each test's database starts afresh, so must it."""
    live_index().reset()
    yield
    live_index().reset()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes passwords slowly on purpose; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production serves hashed files from a manifest that `collectstatic` writes; tests
    find static files in place instead."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _throttle_counts_in_memory(settings):
    """With REDIS_URL the API throttles count in Redis; tests count in memory, so they can
    start afresh (`caches["throttle"].clear()`) without flushing a Redis database the
    workers share. tests/api/test_shared_throttle.py checks the Redis counting."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }


def _user(django_user_model, username: str, *groups: str):
    user = django_user_model.objects.create_user(username=username, password="pw")
    user.groups.set(Group.objects.filter(name__in=groups))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def journalist(django_user_model):
    return _user(django_user_model, "jo", "journalist")


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "ed", "editor")


@pytest.fixture
def outsider(django_user_model):
    """Signed in, but in no newsroom role."""
    return _user(django_user_model, "out")


@pytest.fixture
def reader(django_user_model):
    """A tool's read-only account: its token may read everything and write nothing."""
    return _user(django_user_model, "tool", "reader")


# --- API tokens (stored hashed: a key cannot be read back, so tests keep the ones issued)
_TOKEN_KEYS: dict[int, str] = {}


def token_key(user) -> str:
    """The key of a live API token of `user`: the one issued before if it is still stored
    (in this test's database), else a new one."""
    from knox.crypto import hash_token
    from knox.models import AuthToken

    from claims.tokens import token_issue

    key = _TOKEN_KEYS.get(user.pk)
    if key is None or not AuthToken.objects.filter(user=user, digest=hash_token(key)).exists():
        key = _TOKEN_KEYS[user.pk] = token_issue(user=user)
    return key


def api_client(user=None):
    """A DRF test client authenticated with `user`'s token (anonymous without a user)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}")
    return client


def ids_of_every_page(client, url: str) -> list[int]:
    """The ids of a cursor-paged API list, following `next` from `url` to the end."""
    seen = []
    while url:
        page = client.get(url, secure=True).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    return seen
