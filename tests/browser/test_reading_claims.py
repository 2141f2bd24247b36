import pytest
from django.core.management import call_command
from django.test import override_settings

from claims.models import Claim, Evidence
from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()


@override_settings(DEBUG=True)
def test_a_journalist_signs_in_and_reads_a_claim_with_its_evidence(page):
    call_command("loaddemo", verbosity=0)
    page.goto("/")
    assert "/accounts/login/" in page.url
    screenshot(page, "sign-in")
    sign_in(page, "journalist")
    page.get_by_role("heading", name="Dashboard").wait_for()
    for link in ["Dashboard", "Articles", "Claims", "Review", "Sources"]:
        assert page.get_by_role("navigation").get_by_role("link", name=link).is_visible()
    screenshot(page, "dashboard")

    page.get_by_role("navigation").get_by_role("link", name="Claims").click()
    page.get_by_role("heading", name="Claims").wait_for()
    screenshot(page, "claims")
    claim = Claim.objects.get(text__icontains="released as open source")
    page.get_by_role("link", name=claim.text).click()
    page.get_by_role("heading", name=claim.text).wait_for()
    assert page.locator("mark.hl").count() > 0
    assert page.get_by_text("found by the engine").first.is_visible()
    screenshot(page, "claim")

    # From a quote to the article it was made in, where every logged quote is marked.
    page.get_by_role("link", name="Meta's Next AI Model Will Stay Open Source").click()
    page.locator("a.quote mark").first.wait_for()
    screenshot(page, "article")
    page.get_by_role("navigation").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Financial Times").click()
    page.get_by_role("heading", name="Track record").wait_for()
    screenshot(page, "source")


def test_a_wrong_password_is_refused_with_a_message(page, journalist):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("jo")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url


@override_settings(DEBUG=True)
def test_an_editor_accepts_evidence_from_the_queue_with_the_keyboard(page):
    call_command("loaddemo", verbosity=0)
    sign_in(page, "editor")
    page.get_by_role("navigation").get_by_role("link", name="Review").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    screenshot(page, "review")
    first = page.locator(".review-item").first
    evidence_id = int(first.get_attribute("id").split("-")[1])
    page.keyboard.press("j")  # focus the first item
    page.keyboard.press("a")  # accept it
    page.locator(f"#evidence-{evidence_id}.done").wait_for()
    assert Evidence.objects.get(pk=evidence_id).review_state == "accepted"
    # ... and rules on the claim, whose history then shows the change.
    claim = Evidence.objects.get(pk=evidence_id).claim
    page.goto(f"/claims/{claim.pk}/")
    verdict = "mixed" if claim.status != "mixed" else "unverifiable"
    assert page.locator(f".timeline .segment.status-{verdict}").count() == 0
    page.get_by_label("New status").select_option(verdict)
    page.get_by_label("Note").fill("Accepted evidence cuts both ways.")
    page.get_by_role("button", name="Set status").click()
    page.get_by_text(f"Status set to {verdict}.").wait_for()
    assert page.get_by_role("cell", name="Accepted evidence cuts both ways.").is_visible()
    assert page.locator(f".timeline .segment.status-{verdict}").count() == 1  # the new lane
    screenshot(page, "claim-after-verdict")
