import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import Job
from claims.models import Claim, ClaimMerge, Evidence
from tests.browser.conftest import screenshot
from tests.browser.test_reading_claims import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(DEBUG=True)
def test_an_editor_bulk_accepts_with_a_progress_page_and_merges_a_duplicate(page):
    call_command("loaddemo", verbosity=0)
    sign_in(page, "editor")
    page.get_by_role("navigation").get_by_role("link", name="Review").click()
    page.wait_for_load_state()
    items = page.locator(".review-item")
    picked = [int(items.nth(i).get_attribute("id").split("-")[1]) for i in range(2)]
    page.keyboard.press("j")
    page.keyboard.press("x")  # select the focused item
    items.nth(1).get_by_label("Select").check()
    page.get_by_role("button", name="Accept selected").click()

    page.get_by_role("heading", name="Reviewing evidence").wait_for()
    page.get_by_text("2 evidence item(s) accepted.").wait_for()
    assert page.get_by_role("progressbar", name="Progress").get_attribute("value") == "2"
    screenshot(page, "bulk-review-progress")
    assert Job.objects.get().done == 2
    assert set(Evidence.objects.filter(pk__in=picked).values_list("review_state", flat=True)) == {
        "accepted"
    }

    keep, duplicate = Claim.objects.order_by("pk")[:2]
    page.goto(f"/claims/{keep.pk}/")
    page.get_by_label("Duplicate claim number").fill(str(duplicate.pk))
    page.get_by_label("Why they are the same claim").fill("Two wordings of one statement.")
    page.get_by_role("button", name="Merge").click()
    page.get_by_text(f"Claim #{duplicate.pk} merged into this claim").wait_for()
    assert page.get_by_role("cell", name="Two wordings of one statement.").is_visible()
    screenshot(page, "claim-after-merge")
    assert ClaimMerge.objects.get().merged_id == duplicate.pk
