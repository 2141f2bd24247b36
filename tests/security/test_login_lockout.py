"""Sign-in lockout (django-axes, enabled as in production): five failed sign-ins for one
username from one address lock it for the cool-off, on the login page, the admin's and
the token endpoint alike; a success clears the count; other users and addresses are not
affected. The API throttles' 429 is in tests/api (test_claims_api, test_api_errors)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from tests.conftest import api_client
from tests.test_configuration import PRODUCTION, _manage

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
COOL_OFF_SECONDS = str(settings.CLAIMTRACK_LOGIN_COOLOFF_MINUTES * 60)


@pytest.fixture(autouse=True)
def _lockout_as_in_production(settings):
    assert settings.AXES_ENABLED, "the lockout must be on for these tests"
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.CLAIMTRACK_LOGIN_COOLOFF_MINUTES == 15


def _sign_in(client, password, username="ed", address="203.0.113.7"):
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, secure=True, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return client.get("/", secure=True).status_code == 200


def test_five_failures_lock_the_login_page_with_a_clear_page(client, editor):
    answers = [_sign_in(client, f"wrong-{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again, then locked
    locked = _sign_in(client, "pw")  # even the right password
    assert locked.status_code == 429
    assert locked["Retry-After"] == COOL_OFF_SECONDS
    page = locked.content.decode()
    assert "Sign-in locked" in page and "Try again in 15 minutes" in page
    assert not _signed_in(client)


def test_the_lockout_is_per_username_and_address(client, editor, journalist):
    for n in range(5):
        _sign_in(client, f"wrong-{n}")
    assert _sign_in(client, "pw", address="198.51.100.4").status_code == 302  # elsewhere
    client.logout()
    assert _sign_in(client, "pw", username="jo").status_code == 302  # another user
    client.logout()
    assert _sign_in(client, "pw").status_code == 429


def test_a_success_clears_the_failures(client, editor):
    for n in range(4):
        _sign_in(client, f"wrong-{n}")
    assert _sign_in(client, "pw").status_code == 302
    client.logout()
    answers = [_sign_in(client, f"again-{n}").status_code for n in range(4)]
    assert answers == [200] * 4
    assert _sign_in(client, "pw").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, editor):
    for n in range(5):
        _sign_in(client, f"wrong-{n}")
    assert _sign_in(client, "pw").status_code == 429
    # Move the failures back past the cool-off, as if 16 minutes had passed.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client, "pw").status_code == 302
    assert _signed_in(client)


def test_the_token_endpoint_locks_too_in_the_api_error_shape(editor):
    client = api_client()
    for n in range(4):
        wrong = client.post(TOKEN, {"username": "ed", "password": f"no-{n}"}, secure=True)
        assert wrong.status_code == 400
    locked = client.post(TOKEN, {"username": "ed", "password": "no-4"}, secure=True)
    right = client.post(TOKEN, {"username": "ed", "password": "pw"}, format="json", secure=True)
    for answer in (locked, right):
        assert answer.status_code == 429
        assert answer["Content-Type"] == "application/json"
        error = answer.json()["error"]
        assert error["code"] == "locked_out" and "15 minutes" in error["message"]
        assert set(error) == {"code", "message", "details"}
        assert answer["Retry-After"] == COOL_OFF_SECONDS
    assert "token" not in right.json()


def test_one_count_for_the_pages_and_the_api(client, editor):
    api = api_client()
    for n in range(3):
        api.post(TOKEN, {"username": "ed", "password": f"no-{n}"}, secure=True)
    for n in range(2):
        last = _sign_in(client, f"wrong-{n}", address="127.0.0.1")
    assert last.status_code == 429


def test_the_admin_sign_in_is_locked_too(client, django_user_model):
    django_user_model.objects.create_superuser("boss", password="pw")
    data = {"username": "boss", "password": "wrong", "next": "/admin/"}
    answers = [client.post("/admin/login/", data, secure=True).status_code for _ in range(5)]
    assert answers[-1] == 429
    data["password"] = "pw"
    assert client.post("/admin/login/", data, secure=True).status_code == 429


def test_the_limits_come_from_the_environment_strictly():
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_ENABLED)",
        env={
            **PRODUCTION,
            "CLAIMTRACK_LOGIN_FAILURE_LIMIT": "3",
            "CLAIMTRACK_LOGIN_COOLOFF_MINUTES": "60",
        },
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1].split() == ["3", "1:00:00", "True"]
    refused = _manage("check", env={**PRODUCTION, "CLAIMTRACK_LOGIN_FAILURE_LIMIT": "five"})
    assert refused.returncode != 0
    assert "CLAIMTRACK_LOGIN_FAILURE_LIMIT must be an integer" in refused.stderr
