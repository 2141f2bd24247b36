"""Browser tests: Debian's chromium driven by Playwright against a live server.

Chromium comes from Debian's package (`.ci/run` installs it); Playwright never downloads
a browser here. Outside CI a machine without it skips these tests; in CI they fail.
"""

from pathlib import Path

import pytest

from tests.conftest import IN_CI

CHROMIUM = Path("/usr/lib/chromium/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def browser(monkeypatch):
    """A fresh Playwright per test: its event loop must not outlive the test, or every
    later test in this thread would find itself "in an async context"."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes around it are ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps the test's
        # database connections per context, not per thread: close them here, in that
        # context, or the test database could not be dropped at the end of the run.
        from django.db import connections

        connections.close_all()


@pytest.fixture(scope="session")
def _live_server_settings():
    """Set before the live server loads its middleware. It speaks plain HTTP (production's
    HTTPS-only settings are tested by check --deploy), and its request threads close their
    database connections after each request, so the test database can be dropped."""
    from django.conf import settings
    from django.db import connections

    names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    saved = {name: getattr(settings, name) for name in names}
    database = connections.settings["default"]  # what new threads' connections are made of
    saved_age = database["CONN_MAX_AGE"]
    for name in names:
        setattr(settings, name, False)
    database["CONN_MAX_AGE"] = 0
    yield
    for name, value in saved.items():
        setattr(settings, name, value)
    database["CONN_MAX_AGE"] = saved_age


@pytest.fixture
def page(_live_server_settings, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
