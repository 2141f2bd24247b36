import pytest

from claims.models import Appearance, Claim
from tests.browser.conftest import screenshot
from tests.browser.test_reading_claims import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SENTENCE = "Meta will release a larger model before the end of the year."
TEXT = (
    "Meta has released LLaMA 2 to researchers and companies alike. "
    f"{SENTENCE} The company did not say how large it would be."
)


def select_in_article(page, phrase: str) -> None:
    """Select `phrase` in the article's text as a reader dragging over it would."""
    page.evaluate(
        """phrase => {
            const container = document.getElementById("article-text");
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(phrase);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + phrase.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
            throw new Error("phrase not in the article");
        }""",
        phrase,
    )


def test_a_journalist_adds_an_article_and_logs_a_sentence_as_a_claim(page, journalist):
    journalist.set_password("demo")
    journalist.save()
    sign_in(page, journalist.username)
    page.get_by_role("navigation").get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()
    page.get_by_label("Title").fill("Meta plans a bigger LLaMA")
    page.get_by_label("Outlet").fill("The Verge")
    page.get_by_label("Text").fill(TEXT)
    page.get_by_role("button", name="Add article").click()
    page.get_by_role("heading", name="Meta plans a bigger LLaMA").wait_for()

    page.wait_for_load_state()  # the selection script is deferred
    log_claim = page.get_by_role("link", name="Log claim")
    assert log_claim.get_attribute("aria-disabled") == "true"
    select_in_article(page, SENTENCE)
    page.wait_for_function(
        "document.getElementById('log-claim').getAttribute('aria-disabled') === 'false'"
    )
    screenshot(page, "article-selection")
    log_claim.click()

    page.get_by_role("heading", name="Log claim").wait_for()
    assert page.locator("#selected-quote").inner_text() == SENTENCE
    page.get_by_label("Claim in canonical words").fill(
        "Meta will release a model larger than LLaMA 2 before the end of 2023."
    )
    page.get_by_label("Kind").select_option("prediction")
    page.get_by_label("Resolves by").fill("2023-12-31")
    page.get_by_label("Speaker", exact=True).fill("Meta")
    page.get_by_label("Speaker is").select_option("organisation")
    screenshot(page, "log-claim")
    page.get_by_role("button", name="Log claim").click()

    page.get_by_text("Logged as claim").wait_for()
    appearance = Appearance.objects.select_related("claim", "speaker", "outlet").get()
    assert appearance.quote == SENTENCE
    assert appearance.claim.kind == "prediction" and appearance.speaker.name == "Meta"
    assert appearance.outlet.name == "The Verge"
    highlighted = page.locator(f"#quote-{appearance.pk} mark")
    assert highlighted.inner_text() == SENTENCE
    highlighted.click()
    page.get_by_role("heading", name=appearance.claim.text).wait_for()
    assert Claim.objects.count() == 1
