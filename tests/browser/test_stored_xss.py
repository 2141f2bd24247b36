"""Stored XSS, checked in the real browser: script and event-handler payloads stored in every
field a person or a fetched page can fill render as inert text on every page that shows
them, and the Content Security Policy lets the app's own scripts (htmx, the page scripts,
Swagger UI, the admin) run while refusing inline ones.

Each page is visited twice: once with the policy bypassed (so the escaping alone must keep
the payloads inert) and once under it (no violation may show on the app's own pages). A
payload that ran would open a dialog, set `window.__xss`, or leave an element of its own
(an <img src=x>, an <svg onload>, a javascript: link) in the page."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client

from articles.models import SourceAlias, SourceKind
from articles.services import source_get_or_create
from claims.models import Evidence, Suggestion
from claims.services import (
    appearance_create,
    claim_create,
    claim_set_status,
    evidence_propose,
    evidence_review,
)
from tests.factories import make_article, make_publication

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FLAG = "window.__xss=1"
SCRIPT = f"<script>{FLAG};alert('script')</script>"
IMG = f"<img src=x onerror=\"{FLAG};alert('img')\">"
SVG = f'"><svg onload="{FLAG};alert(\'svg\')">'
LINK = f"<a href=\"javascript:{FLAG};alert('link')\">click</a>"
EVERY = f"{SCRIPT} {IMG} {SVG} {LINK}"
SHORT = '"><svg onload=__xss=1>'  # for fields of 40 characters
# What a payload that ran would leave behind.
INJECTED = (
    'script:not([src]), img[src="x"], svg[onload], [onerror], [onload], '
    'a[href^="javascript:" i], iframe, object, embed'
)
ATOM = "{http://www.w3.org/2005/Atom}"


def _store_payloads(user) -> dict:
    """Sources, articles, a claim with an appearance, evidence (pending and reviewed), a
    status change, a suggestion: every text a person types or a fetch brings in, hostile."""
    now = datetime.now(UTC)
    speaker = source_get_or_create(name=f"Speaker {SVG}", kind=SourceKind.PERSON)
    SourceAlias.objects.create(source=speaker, name=IMG)
    outlet = make_publication(f"Outlet {IMG}")
    quote = f"Meta will open source its next model {SCRIPT}."
    text = (
        f"Intro {LINK} here. {quote} Then {IMG} and {SVG} follow, "
        "and the rest of the article says nothing else of note."
    )
    article = make_article(
        title=f"Title {SVG}",
        text=text,
        publication=outlet,
        author=IMG,
        published_at=now - timedelta(days=10),
        html=f'<p onclick="{FLAG}">{EVERY}</p>{SCRIPT}',  # as a fetched page's HTML
    )
    claim = claim_create(
        actor=user, text=f"{SVG} Meta will open source its next model {SCRIPT}", tags=[SCRIPT]
    )
    start = text.index(quote)
    appearance_create(
        claim=claim,
        article=article,
        start=start,
        end=start + len(quote),
        actor=user,
        speaker=speaker,
        outlet=outlet,
        attribution=IMG,
    )
    evidence = []
    for days, words in ((5, "Rain is expected"), (2, "Snow fell")):
        later_text = f"{words} across the north. {EVERY} Forecasters said so on the radio."
        later = make_article(
            title=f"{words} {IMG}",
            text=later_text,
            publication=outlet,
            published_at=now - timedelta(days=days),
        )
        # The engine matches the payload's words to the claim's: the test wants its own row.
        Evidence.objects.filter(claim=claim, article=later).delete()
        at = later_text.index(EVERY)
        sentence = {"start": at, "end": at + len(EVERY), "text": EVERY}
        item, created = evidence_propose(
            claim=claim,
            article=later,
            stance="refutes",
            score=0.9,
            sentences=[sentence],
            actor=user,
        )
        assert created
        evidence.append(item)
    evidence_review(evidence=evidence[1], state="accepted", actor=user, note=EVERY)
    claim_set_status(claim=claim, to="mixed", expected="unverified", note=EVERY, actor=user)
    at = text.index(IMG)
    suggestion = Suggestion.objects.create(
        article=article,
        start=at,
        end=at + len(IMG),
        quote=IMG,
        score=0.99,
        kind="fact",
        wording=f"Suggested {EVERY}",
        speaker=SVG,
        outlet=IMG,
        hedge=SHORT,
        attribution=SCRIPT,
        engine_version="test",
    )
    return {
        "article": article,
        "claim": claim,
        "speaker": speaker,
        "pending": evidence[0],
        "reviewed": evidence[1],
        "suggestion": suggestion,
        "quote": (start, start + len(quote)),
    }


def _pages(stored) -> list[str]:
    """The newsroom's pages that show the stored payloads."""
    article, claim = stored["article"], stored["claim"]
    start, end = stored["quote"]
    return [
        "/",
        "/articles/",
        f"/articles/{article.pk}/",
        "/claims/",
        f"/claims/{claim.pk}/",
        "/claims/review/",
        "/sources/",
        f"/sources/{stored['speaker'].pk}/",
        f"/sources/{article.publication_id}/",
        f"/claims/log/{article.pk}/?start={start}&end={end}",
        f"/claims/log/{article.pk}/?suggestion={stored['suggestion'].pk}",
        # The admin: the evidence page renders HTML of ours (format_html).
        f"/admin/claims/evidence/{stored['reviewed'].pk}/change/",
        f"/admin/articles/article/{article.pk}/change/",
    ]


class _Watch:
    """What the page did that it should not have: dialogs, and the Content Security Policy
    violations Chromium reports on the console."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


def _signed_in_page(browser, live_server, user, *, bypass_csp: bool):
    """A page in a context of its own, signed in as `user` through a session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, bypass_csp=bypass_csp)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page, _Watch(page)


def _inject(page) -> None:
    """A payload put into the page as an XSS would: to show the checks below can fail."""
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", IMG)


def _assert_inert(page, watch, where: str) -> None:
    assert watch.dialogs == [], f"{where}: a payload opened a dialog"
    assert page.evaluate("window.__xss") is None, f"{where}: a payload ran"
    injected = page.evaluate(
        "selector => Array.from(document.querySelectorAll(selector), e => e.outerHTML)", INJECTED
    )
    assert injected == [], f"{where}: elements from a payload: {injected}"


def _visit(page, watch, url: str) -> str:
    """Open `url`; check that its payloads are shown, inert; return its policy header."""
    response = page.goto(url)
    assert response.status == 200, url
    _assert_inert(page, watch, url)
    # The payload is there, shown as text (or kept as a form field's value).
    shown = page.evaluate(
        """() => document.body.innerText + Array.from(
            document.querySelectorAll("input, textarea, option"), e => e.value).join(" ")"""
    )
    assert "__xss" in shown, f"{url}: the payload is not on the page, so nothing was tested"
    return response.headers.get("content-security-policy", "")


class _StartTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)


def _check_the_atom_feed(page, watch) -> None:
    """The feed's titles are plain text and its summaries HTML with the note escaped: a feed
    reader showing them runs nothing."""
    response = page.request.get("/feeds/status-changes/")
    assert response.ok
    feed = ElementTree.fromstring(response.body())  # noqa: S314  (our own feed)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.endswith(SCRIPT)  # text, as typed
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    tags = _StartTags()
    tags.feed(summary.text)
    assert tags.names <= {"p", "br"}, tags.names
    page.set_content(summary.text)  # as a feed reader would show it
    _assert_inert(page, watch, "the Atom feed's summary")
    assert "__xss" in page.inner_text("body")


def _check_htmx_under_the_policy(page, watch, stored) -> None:
    # The similar-claims panel refreshes as the wording changes (showing the stored claim,
    # payload and all, as text)...
    article, claim = stored["article"], stored["claim"]
    page.goto(f"/claims/log/{article.pk}/?start={stored['quote'][0]}&end={stored['quote'][1]}")
    wording = page.get_by_label("Claim in canonical words")
    with page.expect_response(re.compile(r"/claims/similar/")) as answer:
        wording.fill("Bananas ripen faster in paper bags kept on the windowsill")
    assert answer.value.ok
    page.get_by_text("No similar claim found.").wait_for()
    with page.expect_response(re.compile(r"/claims/similar/")):
        wording.fill("Meta will open source its next model")
    page.locator("#similar-claims").get_by_role("link", name=f"#{claim.pk}").wait_for()
    # ...the known speakers are offered as one types...
    with page.expect_response(re.compile(r"/sources/options/")):
        page.get_by_label("Speaker", exact=True).focus()
    page.wait_for_function("document.querySelectorAll('#speaker-options option').length > 0")
    _assert_inert(page, watch, "the log-claim page after htmx swaps")

    # ...and an editor's decision in the review queue is swapped in place.
    page.goto("/claims/review/")
    pending = stored["pending"]
    page.locator(f"#evidence-{pending.pk}").get_by_role("button", name="Accept", exact=True).click()
    page.locator(f"#evidence-{pending.pk}.done").wait_for()
    assert page.url.endswith("/claims/review/")  # no page load: htmx swapped it in
    _assert_inert(page, watch, "the review queue after an htmx swap")
    pending.refresh_from_db()
    assert pending.review_state == "accepted"


@pytest.fixture
def newsroom(editor):
    """An editor who may also use the admin, so one user sees every page."""
    editor.is_staff = editor.is_superuser = True
    editor.save()
    return editor


def test_stored_payloads_stay_inert_and_the_policy_lets_only_the_apps_scripts_run(
    _live_server_settings, browser, live_server, newsroom
):
    stored = _store_payloads(newsroom)

    # 1. The policy bypassed: the escaping alone keeps every payload inert.
    page, watch = _signed_in_page(browser, live_server, newsroom, bypass_csp=True)
    page.goto("/")
    _inject(page)  # (a payload that ran is seen: a dialog and the flag)
    page.wait_for_function("window.__xss === 1")
    assert watch.dialogs == ["img"]
    watch.dialogs.clear()
    for url in _pages(stored):
        _visit(page, watch, url)
    _check_the_atom_feed(page, watch)
    page.context.close()

    # 2. Under the policy: every page carries it and shows no violation, so nothing of the
    # app's own (htmx, the page scripts, the admin's, the stylesheets) is refused.
    page, watch = _signed_in_page(browser, live_server, newsroom, bypass_csp=False)
    for url in [*_pages(stored), "/admin/claims/claim/", "/admin/claims/statuschange/"]:
        policy = _visit(page, watch, url)
        assert "script-src 'self'" in policy and "unsafe" not in policy, url
        assert watch.violations == [], f"{url}: {watch.violations}"
    assert page.goto("/admin/").ok
    assert watch.violations == [], watch.violations
    _check_htmx_under_the_policy(page, watch, stored)
    # Swagger UI's scripts run (its init script is a file, not inline).
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").get_by_text("ClaimTrack API").wait_for()
    assert watch.violations == [], watch.violations

    # 3. And a payload that did reach a page would be refused by the policy, and reported.
    page.goto("/")
    _inject(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None and watch.dialogs == []
    assert any("script-src" in text for text in watch.violations), watch.violations
    page.context.close()
