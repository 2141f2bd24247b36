import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import Article
from claims.models import Appearance, Suggestion
from tests.browser.conftest import screenshot
from tests.browser.test_reading_claims import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(DEBUG=True)
def test_a_journalist_accepts_a_suggested_claim_from_the_ft_based_article(page):
    call_command("loaddemo", verbosity=0)
    sign_in(page, "journalist")
    article = Article.objects.filter(suggestions__state="open").order_by("-pk").first()
    assert article is not None, "the demo articles have no suggestions"
    page.goto(f"/articles/{article.pk}/")
    page.get_by_role("heading", name="Suggested claims").wait_for()
    screenshot(page, "suggestions")
    first = page.locator(".suggestion-item").first
    suggestion = Suggestion.objects.get(pk=int(first.get_attribute("id").split("-")[1]))
    page.locator(f"#suggestion-{suggestion.pk}").wait_for()  # its passage is marked
    before = Appearance.objects.count()
    first.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_text("Logged as claim").wait_for()
    suggestion.refresh_from_db()
    appearance = suggestion.appearance
    assert suggestion.state == "accepted" and Appearance.objects.count() == before + 1
    assert (appearance.start, appearance.end) == (suggestion.start, suggestion.end)
    assert page.locator(f"#quote-{appearance.pk} mark").inner_text() == suggestion.quote
