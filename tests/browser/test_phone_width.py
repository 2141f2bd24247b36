import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import Article, Source
from claims.models import Appearance, Claim
from tests.browser.conftest import screenshot
from tests.browser.test_reading_claims import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@override_settings(DEBUG=True)
def test_every_main_page_fits_a_phone_screen(page):
    call_command("loaddemo", verbosity=0)
    page.set_viewport_size(PHONE)
    sign_in(page, "editor")
    claim = Claim.objects.filter(appearances__isnull=False).first()
    appearance = Appearance.objects.filter(claim=claim).first()
    article = Article.objects.get(pk=appearance.article_id)
    pages = {
        "dashboard": "/",
        "articles": "/articles/",
        "article": f"/articles/{article.pk}/",
        "log-claim": f"/claims/log/{article.pk}/?start={appearance.start}&end={appearance.end}",
        "claims": "/claims/",
        "claim": f"/claims/{claim.pk}/",
        "review": "/claims/review/",
        "sources": "/sources/",
        "add-article": "/articles/add/",
        "feeds": "/articles/feeds/",
        "source": f"/sources/{Source.objects.filter(statements__isnull=False).first().pk}/",
    }
    too_wide = {}
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        screenshot(page, f"phone-{name}")
    assert not too_wide, f"pages wider than the phone's {PHONE['width']} px: {too_wide}"
