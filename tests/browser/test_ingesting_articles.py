import json

import pytest

from articles.models import Article, Job
from tests.articles.website import Website
from tests.browser.conftest import screenshot
from tests.browser.test_reading_claims import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STORY = (
    "The port authority said on Tuesday that ferry fares will rise by twelve percent in "
    "spring. Commuters face the largest increase in a decade, and the council asked for "
    "the figures behind the decision before the vote next month."
)


@pytest.fixture
def journalist_page(page, journalist, settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CLAIMTRACK_JOBS_IN_THREAD = True  # as on `make run`: the bar can be watched
    journalist.set_password("demo")
    journalist.save()
    sign_in(page, journalist.username)
    return page


def test_a_journalist_fetches_a_page_and_watches_a_batch_import(journalist_page, tmp_path):
    page = journalist_page
    site = Website()
    try:
        url = site.serve_page("/news/ferry", "boilerplate.html")
        page.goto("/articles/add/")
        page.get_by_label("Article URL").fill(url)
        page.get_by_role("button", name="Fetch article").click()
        page.get_by_role("heading", name="Fetching the article").wait_for()
        page.get_by_role("link", name="Open the article").click()
        page.get_by_role("heading", name="Ferry fares to rise 12% in spring").wait_for()
        screenshot(page, "fetched-article")

        page.goto("/articles/add/")
        page.get_by_label("Article URL").fill("http://169.254.169.254/latest/meta-data/")
        page.get_by_role("button", name="Fetch article").click()
        page.get_by_text("private or internal network").wait_for()
        assert Job.objects.filter(state="failed").count() == 1
    finally:
        site.stop()

    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps(
                {
                    "title": f"Story {i}",
                    "url": f"https://example.com/{i}",
                    "outlet": "Wire",
                    "text": f"{STORY} Number {i}.",
                }
            )
            for i in range(1, 1001)
        )
    )
    page.goto("/articles/add/")
    page.get_by_label("Article or batch file").set_input_files(str(batch))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Importing articles").wait_for()
    seen = set()
    for _ in range(1800):  # up to three minutes (a loaded CI machine on PostgreSQL)
        bar = page.get_by_role("progressbar", name="Progress")
        seen.add((int(bar.get_attribute("value")), int(bar.get_attribute("max"))))
        if page.get_by_text("1000 stored").count():
            break
        page.wait_for_timeout(100)
    screenshot(page, "batch-import")
    assert page.get_by_text("1000 stored").is_visible()
    assert any(0 < value < maximum for value, maximum in seen), seen  # the bar moved
    assert Article.objects.count() == 1001
