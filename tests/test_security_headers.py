"""The browser-facing hardening: every answer (page, API, static file, error) carries the
Content Security Policy and the other security headers; the policy forbids inline script
and eval; no template relies on inline script or style; no javascript: address is stored
for a link; `check --deploy` warns when the policy is loosened. The browser side (payloads
that stay inert, the app's own scripts still running) is in tests/browser/test_stored_xss.py."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.extraction import sanitise_html
from articles.feeds import _web_address
from articles.services import source_describe
from claimtrack.checks import content_security_policy
from tests.conftest import api_client
from tests.factories import make_article, make_publication

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_DJANGO_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_hardened(response) -> dict[str, list[str]]:
    """The headers every answer carries; returns the policy's directives."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    return policy


def test_a_page_carries_every_security_header(client, journalist):
    client.force_login(journalist)
    response = client.get(reverse("dashboard"), secure=True)
    assert response.status_code == 200
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_sign_in_page_sets_its_cookies_secure_and_checks_csrf(client):
    response = client.get(reverse("login"), secure=True)
    assert_hardened(response)
    assert response.cookies["csrftoken"]["secure"]
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("login"), {"username": "a", "password": "b"}, secure=True)
    assert refused.status_code == 403


def test_an_api_answer_carries_them_too(journalist):
    response = api_client(journalist).get("/api/v1/claims/", secure=True)
    assert response.status_code == 200
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"


def test_an_error_page_carries_them_too(client, journalist):
    client.force_login(journalist)
    response = client.get("/claims/999999/", secure=True)
    assert response.status_code == 404
    assert_hardened(response)


def test_a_static_file_carries_them_too(settings):
    # WhiteNoise serves from the collected files in production; here from the finders. The
    # policy matters most on a file the browser could open as a page: an SVG.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/favicon.svg", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert_hardened(response)


def test_the_api_docs_and_their_init_script_run_under_the_policy(client):
    page = client.get("/api/docs/", secure=True)
    assert page.status_code == 200
    assert_hardened(page)
    html = page.content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<script>" not in html and "<style>" not in html
    script = client.get("/api/docs/?script=", secure=True)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_the_admin_pages_need_no_inline_style(admin_client):
    # (Django's change list adds an inline <style> to a list with actions_on_top and
    # actions_on_bottom both off: this catches an admin that would turn them off.)
    for url in ("/admin/", "/admin/claims/claim/", "/admin/claims/statuschange/"):
        response = admin_client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_hardened(response)
        html = response.content.decode()
        assert "<style" not in html and " style=" not in html, url
        assert "css/admin.css" in html


# --- Links: no javascript: address is stored for a page to render -------------------------


@pytest.mark.parametrize("address", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:,x"])
def test_a_script_address_is_never_stored_as_a_link(address):
    with pytest.raises(ValidationError):
        make_article(title="A", text="Some words of an article.", url=address)
    with pytest.raises(ValidationError):
        source_describe(source=make_publication(), url=address)
    assert _web_address(address) == ""  # a feed's links
    assert "javascript" not in sanitise_html(f'<a href="{address}">x</a>').lower()


# --- The templates: nothing inline -------------------------------------------------------


class _InlineCode(HTMLParser):
    """Collects what a Content Security Policy without 'unsafe-inline' would refuse."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith(("on", "hx-on", "data-hx-on")) or name == "style":
                self.found.append(f"{name}= attribute")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}")


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_inline_script_or_style(template):
    parser = _InlineCode()
    parser.feed(_DJANGO_COMMENT.sub("", template.read_text()))
    assert parser.found == []


def test_the_scanner_sees_inline_code():
    parser = _InlineCode()
    parser.feed(
        '<script>x()</script><style>p{}</style><a href=" JavaScript:x()" onclick="y()">'
        '<div hx-on:click="z()" style="color:red"></div>'
    )
    assert len(parser.found) == 6


# --- check --deploy ----------------------------------------------------------------------


def _ids(problems) -> set[str]:
    return {problem.id for problem in problems}


def test_the_deploy_check_accepts_the_policy():
    assert content_security_policy() == []


def test_the_deploy_check_warns_when_the_policy_is_loosened(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "script-src": ["'self'", "'unsafe-inline'"]}
    }
    assert _ids(content_security_policy()) == {"claimtrack.W003"}
    # `check --deploy` runs it; a plain `check` does not.
    assert "claimtrack.W003" in _ids(run_checks(include_deployment_checks=True))
    assert "claimtrack.W003" not in _ids(run_checks())
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "script-src-attr": ["'unsafe-eval'"], "object-src": ["*"]}
    }
    assert _ids(content_security_policy()) == {"claimtrack.W003", "claimtrack.W004"}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    assert "claimtrack.W002" in _ids(content_security_policy())
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csp" not in m]
    assert _ids(content_security_policy()) == {"claimtrack.W001"}
