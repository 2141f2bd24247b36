"""No secret in error pages or logs: with DEBUG off, a server error shows neither the error
nor the settings (pages: the 500 page; API: its error shape, no traceback); passwords and
token keys never reach the logs (every logger at DEBUG, SQL included) nor the lockout's
records, whether the sign-in succeeds or fails; and an error report (the debug page, the
mail to ADMINS) masks the password posted to the token endpoint and the key being issued.
"""

import io
import logging
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from claimtrack.auth_api import ObtainToken
from tests.conftest import api_client
from tests.security.server_error_urls import SECRET

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-7f3a-battery"
WRONG = "Wrong-Staple-9c1e-guess"
LEAKS = ["Traceback", "RuntimeError", SECRET, "DATABASES", "SECRET_KEY", "settings.py"]


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="ed", password=PASSWORD)
    user.groups.set(Group.objects.filter(name="editor"))
    return user


@pytest.mark.urls("tests.security.server_error_urls")
def test_a_server_error_page_shows_nothing_of_the_error_or_the_settings(caplog):
    assert not settings.DEBUG
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        page = client.get("/fails/", secure=True)
    assert page.status_code == 500
    body = page.content.decode()
    assert "Something went wrong" in body
    for leak in [*LEAKS, settings.SECRET_KEY]:
        assert leak not in body, leak
    # The people who run it still get the whole story, in the log.
    assert any(record.exc_info for record in caplog.records)


@pytest.mark.urls("tests.security.server_error_urls")
def test_an_api_server_error_is_the_error_shape_without_a_traceback():
    client = Client(raise_request_exception=False)
    answer = client.get("/api/v1/fails/", secure=True)
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"
    error = answer.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == "server_error"
    assert error["details"] == {}
    for leak in [*LEAKS, settings.SECRET_KEY]:
        assert leak not in answer.content.decode(), leak


def test_client_errors_in_the_api_carry_no_traceback(editor):
    client = api_client(editor)
    answers = [
        client.post("/api/v1/claims/", "{not json", content_type="application/json", secure=True),
        client.get("/api/v1/claims/?updated_after=not-a-time", secure=True),
        client.get("/api/v1/claims/99999999/", secure=True),
        client.delete("/api/v1/claims/", secure=True),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500
        text = answer.content.decode()
        assert set(answer.json()["error"]) == {"code", "message", "details"}
        assert "Traceback" not in text and 'File "' not in text


def _secrets_in(text: str, *secrets: str) -> list[str]:
    return [secret for secret in secrets if secret in text]


def test_passwords_and_token_keys_never_reach_the_logs(editor, caplog):
    connection.force_debug_cursor = True  # log every SQL statement, as DEBUG would
    for name in ("", "django", "axes"):  # Django's own loggers stop at INFO otherwise
        caplog.set_level(logging.DEBUG, logger=name)
    try:
        if True:
            web = Client()
            failed = web.post(
                "/accounts/login/", {"username": "ed", "password": WRONG}, secure=True
            )
            signed_in = web.post(
                "/accounts/login/", {"username": "ed", "password": PASSWORD}, secure=True
            )
            api = api_client()
            refused = api.post(
                "/api/v1/auth/token/", {"username": "ed", "password": WRONG}, secure=True
            )
            issued = api.post(
                "/api/v1/auth/token/", {"username": "ed", "password": PASSWORD}, secure=True
            )
            key = issued.json()["token"]
            api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            used = api.get("/api/v1/claims/", secure=True)
            api.credentials(HTTP_AUTHORIZATION=f"Token {key[:-4]}beef")
            bad_key = api.get("/api/v1/claims/", secure=True)
    finally:
        connection.force_debug_cursor = False
    codes = [a.status_code for a in (failed, signed_in, refused, issued, used, bad_key)]
    assert codes == [200, 302, 400, 200, 200, 401]
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    assert "SELECT" in logged and len(caplog.records) > 20  # the log was really captured
    assert _secrets_in(logged, PASSWORD, WRONG, key) == []
    # Nor in what the lockout records of the failures (axes masks the password).
    stored = io.StringIO()
    call_command("dumpdata", "axes", stdout=stored)
    assert "ed" in stored.getvalue() and _secrets_in(stored.getvalue(), PASSWORD, WRONG) == []


def _error_report(request) -> str:
    """What Django's error report (the debug page, the mail to ADMINS) would show of the
    exception being handled: the POST data and every frame's local variables."""
    data = ExceptionReporter(request, *sys.exc_info()).get_traceback_data()
    # This test's own frame holds the key it was handed; the app's frames must not.
    frames = [frame.get("vars", []) for frame in data["frames"] if frame["filename"] != __file__]
    assert len(frames) > 5
    return repr(data.get("filtered_POST_items")) + repr(frames)


def test_an_error_report_masks_the_posted_password_and_the_key_being_issued(
    editor, settings, monkeypatch
):
    # Fail after the key is made, while pruning the user's older tokens.
    settings.CLAIMTRACK_API_TOKENS_PER_USER = "not a number"
    issued = []
    from claims import tokens

    made = tokens.AuthToken.objects.create

    def create(**kwargs):
        token, key = made(**kwargs)
        issued.append(key)
        return token, key

    monkeypatch.setattr(tokens.AuthToken.objects, "create", create)
    request = RequestFactory().post(
        "/api/v1/auth/token/", {"username": "ed", "password": PASSWORD}, secure=True
    )
    try:
        ObtainToken.as_view()(request)
    except TypeError:
        report = _error_report(request)
    else:
        pytest.fail("the token view should have failed")
    assert issued  # the key was made before the failure
    assert list(request.sensitive_post_parameters) == ["password"]
    assert SafeExceptionReporterFilter().get_post_parameters(request)["password"] != PASSWORD
    assert "username" in report  # the report is there, only the secrets are masked
    assert _secrets_in(report, PASSWORD, issued[0]) == []
