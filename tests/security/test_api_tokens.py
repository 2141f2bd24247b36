"""API tokens are stored hashed (django-rest-knox): the key is handed out once and is
found nowhere in the database; tokens issued before (DRF's plain ones) were hashed by a
migration and still work; the documented flows (POST /api/v1/auth/token/, an admin or
`manage.py issue_token` issuing a reader's token, `Authorization: Token <key>`) work."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.authtoken.models import Token as PlainToken
from rest_framework.test import APIClient

from claims.tokens import token_issue
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
CLAIMS = "/api/v1/claims/"


def _with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _database_text() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_the_token_endpoint_hands_out_a_key_that_is_stored_only_as_a_hash(editor):
    answer = api_client().post(TOKEN, {"username": "ed", "password": "pw"}, secure=True)
    assert answer.status_code == 200 and set(answer.json()) == {"token"}
    key = answer.json()["token"]
    assert len(key) == 64
    assert _with_key(key).get(CLAIMS, secure=True).status_code == 200
    stored = AuthToken.objects.get(user=editor)
    assert key not in _database_text()  # not in any table, in any form we can read
    assert key.startswith(stored.token_key) and len(stored.token_key) == 15
    assert stored.expiry is not None  # the endpoint's tokens expire (30 days by default)
    assert timedelta(days=29) < stored.expiry - timezone.now() <= timedelta(days=30)


def test_each_sign_in_issues_a_new_token_and_the_oldest_beyond_the_limit_goes(editor, settings):
    settings.CLAIMTRACK_API_TOKENS_PER_USER = 2
    keys = [
        api_client().post(TOKEN, {"username": "ed", "password": "pw"}, secure=True).json()["token"]
        for _ in range(3)
    ]
    assert len(set(keys)) == 3
    codes = [_with_key(key).get(CLAIMS, secure=True).status_code for key in keys]
    assert codes == [401, 200, 200]
    assert AuthToken.objects.filter(user=editor).count() == 2


def test_a_wrong_expired_or_deactivated_token_is_refused(editor):
    good = token_issue(user=editor, days=1)
    assert (
        _with_key(good[:-1] + ("0" if good[-1] != "0" else "1"))
        .get(CLAIMS, secure=True)
        .status_code
        == 401
    )
    expired = token_issue(user=editor, days=1)
    AuthToken.objects.filter(token_key=expired[:15]).update(expiry=timezone.now())
    refused = _with_key(expired).get(CLAIMS, secure=True)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(token_key=expired[:15]).exists()  # swept on use
    editor.is_active = False
    editor.save()
    assert _with_key(good).get(CLAIMS, secure=True).status_code == 401


def test_a_token_that_is_not_utf8_is_a_401_not_a_server_error():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token caf\xe9\xff")
    answer = client.get(CLAIMS, secure=True)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "authentication_failed"


def test_plain_tokens_from_before_are_hashed_by_the_migration_and_keep_working(reader):
    migration = importlib.import_module("claims.migrations.0014_hash_existing_tokens")
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hex digits
    PlainToken.objects.create(user=reader, key=old_key)
    migration.hash_plain_tokens(apps, None)
    assert not PlainToken.objects.exists()  # the plain keys are gone
    assert old_key not in _database_text()
    client = _with_key(old_key)
    assert client.get(CLAIMS, secure=True).status_code == 200
    assert client.post(CLAIMS, {"text": "No."}, format="json", secure=True).status_code == 403
    migration.hash_plain_tokens(apps, None)  # again: nothing to do, nothing lost
    assert client.get(CLAIMS, secure=True).status_code == 200


def test_the_issue_token_command_prints_a_read_only_key_once(reader):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", "tool", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert "shown only now" in err.getvalue() and "reader" in err.getvalue()
    assert AuthToken.objects.get(user=reader).expiry is None  # a tool's token lasts
    client = _with_key(key)
    assert client.get(CLAIMS, secure=True).status_code == 200
    assert client.post(CLAIMS, {"text": "No."}, format="json", secure=True).status_code == 403
    assert key not in _database_text()


def test_an_admin_issues_a_token_in_the_admin_and_sees_its_key_once(
    client, reader, django_user_model
):
    boss = django_user_model.objects.create_superuser("boss", password="pw")
    client.force_login(boss)
    page = client.get("/admin/knox/authtoken/add/", secure=True)
    assert page.status_code == 200
    done = client.post(
        "/admin/knox/authtoken/add/", {"user": reader.pk, "expiry": ""}, secure=True, follow=True
    )
    shown = [str(m) for m in done.context["messages"] if "shown only now" in str(m)]
    assert len(shown) == 1
    key = shown[0].split("shown only now: ")[1].split(" ")[0]
    assert _with_key(key).get(CLAIMS, secure=True).status_code == 200
    listing = client.get("/admin/knox/authtoken/", secure=True).content.decode()
    assert key[:15] in listing and key not in listing
    assert client.get("/admin/authtoken/tokenproxy/", secure=True).status_code == 404  # gone
