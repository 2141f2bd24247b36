"""Feed subscriptions: polling RSS and Atom feeds from a local site with conditional
requests, taking in each new entry's article once, failing feeds backing off without
holding up the others, entries whose links are refused, the pages and the API."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.feeds import (
    BACKOFF_MAX,
    PollOutcome,
    backoff,
    feed_entry_ingest,
    feed_poll,
    feed_subscribe,
    feeds_due,
)
from articles.models import Article, ArticleOrigin, Feed, FeedEntry, FeedEntryState
from articles.tasks import poll_due_feeds
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

FEEDS = "/api/v1/feeds/"

# --- The articles the feeds point to (each long enough to be extracted) -----------------------

ARTICLES = {
    "/news/tidal-barrier.html": (
        "Tidal barrier to close twice as often by 2030",
        [
            "The harbour authority said on Monday that the tidal barrier at the river mouth "
            "will have to close about twice as often by 2030 as it does today, because "
            "spring tides are reaching higher up the estuary every year.",
            "Engineers told the council that the gates were designed for fifty closures a "
            "year, and that the maintenance budget would need to grow by a third to keep "
            "them working safely through the next decade.",
            "Residents of the low-lying streets behind the quay asked for a public meeting "
            "before any decision on raising the walls is taken.",
        ],
    ),
    "/news/orchard-survey.html": (
        "Survey finds fewer bees in the valley's orchards",
        [
            "A survey of forty orchards in the valley counted a fifth fewer wild bees this "
            "spring than the same survey found five years ago, the university's ecology "
            "department reported in its annual bulletin.",
            "Growers said the cold April kept many colonies in their nests during blossom, "
            "while the researchers pointed to the loss of hedgerows along the farm tracks.",
            "The department plans to repeat the count next year with twice as many traps "
            "and volunteers from the local beekeeping club.",
        ],
    ),
    "/news/ferry-timetable.html": (
        "Night ferry returns to the island timetable",
        [
            "The night ferry to the island will run again from June, the operator announced, "
            "after a two-year pause blamed on a shortage of qualified deck crew and the cost "
            "of fuel.",
            "Islanders who commute to the hospital on the mainland had campaigned for the "
            "late crossing, which leaves the harbour at half past eleven every weekday.",
            "The operator said tickets would cost the same as daytime crossings for the "
            "first summer at least.",
        ],
    ),
    "/news/library-hours.html": (
        "Central library extends its opening hours",
        [
            "The central library will stay open until nine in the evening on weekdays from "
            "next month, the city's culture committee decided after a consultation in which "
            "most respondents asked for later hours.",
            "Students preparing for examinations had filled the reading rooms to capacity "
            "every afternoon, librarians told the committee in their written evidence.",
            "The longer hours will be paid for by closing the branch on the ring road on "
            "Monday mornings, when it has the fewest visitors.",
        ],
    ),
    "/news/rail-strike.html": (
        "Regional rail staff vote to strike in March",
        [
            "Conductors and station staff on the regional lines voted by a large majority "
            "to strike for two days in March over pay and the closure of ticket offices, "
            "their union said on Thursday evening.",
            "The operator said it was disappointed and would publish an emergency timetable "
            "with one train an hour on the busiest routes during the walkout.",
            "Talks between the two sides are due to resume at the conciliation service next "
            "week, with both saying they want to avoid disruption.",
        ],
    ),
}


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><header><a href='/'>Home</a></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer>Contact us</footer></body></html>"
    ).encode()


def _rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    """RSS 2.0 with (guid, path or full link, title) items."""
    entries = "".join(
        f"<item><title>{title}</title>"
        f"<link>{base + link if link.startswith('/') else link}</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Mon, 05 Feb 2024 09:00:00 GMT</pubDate></item>"
        for guid, link, title in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Harbour Gazette</title><link>{base}/</link>"
        f"<description>News from the harbour town.</description>{entries}</channel></rss>"
    ).encode()


def _atom(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link rel="alternate" href="{base}{path}"/>'
        f"<id>{entry_id}</id><updated>2024-02-06T10:30:00Z</updated></entry>"
        for entry_id, path, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>Valley Courier</title><link href="{base}/"/>'
        "<id>tag:valley-courier.example,2024:feed</id>"
        f"<updated>2024-02-06T10:30:00Z</updated>{entries}</feed>"
    ).encode()


# --- A local site with conditional GET ----------------------------------------------------


@dataclass
class Answer:
    body: bytes
    content_type: str
    status: int = 200
    etag: str = ""
    last_modified: str = ""


@dataclass
class Site:
    """Answers GETs from `routes`; a request whose If-None-Match (or, without it,
    If-Modified-Since) matches the answer's validators gets 304. Records every request's
    path and headers."""

    routes: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    base: str = ""

    def hits(self, path: str) -> list[dict]:
        return [headers for seen, headers in self.requests if seen == path]

    def feed(self, path: str, body: bytes, *, etag: str, content_type="application/rss+xml"):
        self.routes[path] = Answer(
            body, content_type, etag=etag, last_modified="Tue, 06 Feb 2024 10:30:00 GMT"
        )
        return self.base + path


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            site.requests.append((self.path, dict(self.headers)))
            answer = site.routes.get(self.path, Answer(b"Not here.", "text/plain", 404))
            match = self.headers.get("If-None-Match")
            since = self.headers.get("If-Modified-Since")
            unchanged = (
                (answer.etag and match == answer.etag)
                if match is not None
                else (answer.last_modified and since == answer.last_modified)
            )
            if answer.status == 200 and unchanged:
                self.send_response(304)
                self.send_header("ETag", answer.etag)
                self.end_headers()
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            if answer.etag:
                self.send_header("ETag", answer.etag)
            if answer.last_modified:
                self.send_header("Last-Modified", answer.last_modified)
            self.end_headers()
            self.wfile.write(answer.body)

    return Handler


@pytest.fixture
def site(settings):
    """The local site, reachable because 127.0.0.1 is an allowed host here; the five
    article pages are served from the start."""
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    for path, (title, paragraphs) in ARTICLES.items():
        state.routes[path] = Answer(_page(title, paragraphs), "text/html; charset=utf-8")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


RSS_ITEMS = [
    ("gazette-1001", "/news/tidal-barrier.html", "Tidal barrier to close twice as often"),
    ("gazette-1002", "/news/orchard-survey.html", "Fewer bees in the orchards"),
]
ATOM_ITEMS = [
    ("tag:valley-courier.example,2024:1", "/news/ferry-timetable.html", "Night ferry returns"),
    ("tag:valley-courier.example,2024:2", "/news/library-hours.html", "Library open later"),
]


@pytest.fixture
def rss(site, journalist):
    url = site.feed("/rss.xml", _rss(site.base, RSS_ITEMS), etag='"rss-v1"')
    return feed_subscribe(url=url, actor=journalist)


@pytest.fixture
def atom(site, journalist):
    url = site.feed(
        "/atom.xml",
        _atom(site.base, ATOM_ITEMS),
        etag='W/"atom-v1"',
        content_type="application/atom+xml; charset=utf-8",
    )
    return feed_subscribe(url=url, actor=journalist)


def _article_requests(site: Site) -> list[str]:
    return [path for path, _ in site.requests if path.startswith("/news/")]


def _near(moment, expected, slack=timedelta(seconds=30)) -> bool:
    return abs(moment - expected) < slack


# --- Polling ---------------------------------------------------------------------------------


def test_a_first_poll_records_the_rss_entries_and_stores_their_articles(
    site, rss, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = feed_poll(rss.pk)
    assert report.outcome == PollOutcome.POLLED and report.new == 2 and report.seen == 0
    entries = {entry.guid: entry for entry in FeedEntry.objects.filter(feed=rss)}
    assert set(entries) == {"gazette-1001", "gazette-1002"}
    for entry in entries.values():
        assert entry.state == FeedEntryState.STORED, entry.error
        assert entry.article.origin == ArticleOrigin.FEED
        assert entry.article.url == entry.link
        assert entry.published_at == datetime(2024, 2, 5, 9, 0, tzinfo=UTC)
    barrier = entries["gazette-1001"].article
    assert barrier.title == "Tidal barrier to close twice as often by 2030"
    assert "spring tides are reaching higher" in barrier.text
    rss.refresh_from_db()
    assert rss.title == "Harbour Gazette" and rss.site_url == site.base + "/"
    assert rss.etag == '"rss-v1"' and rss.last_modified == "Tue, 06 Feb 2024 10:30:00 GMT"
    assert rss.last_error == "" and rss.failures == 0
    assert _near(rss.next_poll_at, rss.last_polled_at + timedelta(minutes=30))
    assert site.hits("/rss.xml")[0].get("If-None-Match") is None  # nothing to match yet


def test_an_atom_feed_is_read_by_its_entry_ids(site, atom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = feed_poll(atom.pk)
    assert report.new == 2
    entries = FeedEntry.objects.filter(feed=atom).order_by("guid")
    assert [entry.guid for entry in entries] == [item[0] for item in ATOM_ITEMS]
    assert [entry.state for entry in entries] == [FeedEntryState.STORED] * 2
    assert {entry.article.title for entry in entries} == {
        "Night ferry returns to the island timetable",
        "Central library extends its opening hours",
    }
    assert entries[0].published_at == datetime(2024, 2, 6, 10, 30, tzinfo=UTC)
    atom.refresh_from_db()
    assert atom.title == "Valley Courier" and atom.etag == 'W/"atom-v1"'


def test_the_next_poll_asks_conditionally_and_a_304_changes_nothing_but_the_times(
    site, rss, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(rss.pk)
    fetched = len(_article_requests(site))
    rss.refresh_from_db()
    first_polled = rss.last_polled_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = feed_poll(rss.pk)
    assert report.outcome == PollOutcome.NOT_MODIFIED and report.new == 0
    second = site.hits("/rss.xml")[-1]
    assert second["If-None-Match"] == '"rss-v1"'
    assert second["If-Modified-Since"] == "Tue, 06 Feb 2024 10:30:00 GMT"
    assert callbacks == []  # nothing to ingest
    assert len(_article_requests(site)) == fetched
    assert FeedEntry.objects.filter(feed=rss).count() == 2
    rss.refresh_from_db()
    assert rss.last_polled_at > first_polled and rss.etag == '"rss-v1"'


def test_a_changed_feed_brings_in_only_its_new_entry(site, rss, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(rss.pk)
    before = len(_article_requests(site))
    newer = [("gazette-1003", "/news/rail-strike.html", "Rail staff vote to strike"), *RSS_ITEMS]
    site.feed("/rss.xml", _rss(site.base, newer), etag='"rss-v2"')
    with django_capture_on_commit_callbacks(execute=True):
        report = feed_poll(rss.pk)
    assert report.outcome == PollOutcome.POLLED and (report.new, report.seen) == (1, 2)
    assert _article_requests(site)[before:] == ["/news/rail-strike.html"]
    strike = FeedEntry.objects.get(feed=rss, guid="gazette-1003")
    assert strike.state == FeedEntryState.STORED
    assert strike.article.title == "Regional rail staff vote to strike in March"
    assert Article.objects.filter(origin=ArticleOrigin.FEED).count() == 3
    rss.refresh_from_db()
    assert rss.etag == '"rss-v2"'


def test_an_entry_without_an_id_is_known_by_its_link(site, journalist):
    body = _rss(site.base, [("", "/news/rail-strike.html", "Strike")]).replace(
        b'<guid isPermaLink="false"></guid>', b""
    )
    feed = feed_subscribe(url=site.feed("/plain.xml", body, etag='"p1"'), actor=journalist)
    feed_poll(feed.pk)
    assert FeedEntry.objects.get(feed=feed).guid == site.base + "/news/rail-strike.html"


def test_nul_in_an_entry_is_dropped_not_stored(site, journalist):
    """feedparser passes &#0; on as a NUL, which PostgreSQL cannot store (bad input,
    issue 8): the entry is kept without it."""
    body = _rss(site.base, [("gazette&#0;2001", "/news/tidal-barrier.html", "Tidal&#0; barrier")])
    feed = feed_subscribe(url=site.feed("/nul.xml", body, etag='"n1"'), actor=journalist)
    assert feed_poll(feed.pk).outcome == PollOutcome.POLLED
    entry = FeedEntry.objects.get(feed=feed)
    assert (entry.guid, entry.title) == ("gazette2001", "Tidal barrier")


def test_a_link_to_a_private_address_fails_its_entry_and_not_the_poll(
    site, journalist, django_capture_on_commit_callbacks
):
    items = [
        ("inside", "http://10.0.0.1/x", "An address inside a network"),
        ("mail", "mailto:desk@example.com", "Not a web page"),
        *RSS_ITEMS[:1],
    ]
    url = site.feed("/mixed.xml", _rss(site.base, items), etag='"m1"')
    feed = feed_subscribe(url=url, actor=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        report = feed_poll(feed.pk)
    assert report.outcome == PollOutcome.POLLED and report.new == 3
    inside = FeedEntry.objects.get(feed=feed, guid="inside")
    assert inside.state == FeedEntryState.FAILED and inside.article is None
    assert (
        inside.error
        == "10.0.0.1 is on a private or internal network, so ClaimTrack will not fetch it."
    )
    mail = FeedEntry.objects.get(feed=feed, guid="mail")
    assert mail.state == FeedEntryState.FAILED and "not a web address" in mail.error
    assert FeedEntry.objects.get(feed=feed, guid="gazette-1001").state == FeedEntryState.STORED
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.failures == 0


def test_an_entry_delivered_twice_is_fetched_once(site, rss):
    feed_poll(rss.pk)  # no commit callbacks run: the entries wait
    entry = FeedEntry.objects.get(feed=rss, guid="gazette-1001")
    assert entry.state == FeedEntryState.PENDING
    first = feed_entry_ingest(entry.pk)
    again = feed_entry_ingest(entry.pk)
    assert first.state == again.state == FeedEntryState.STORED
    assert again.article_id == first.article_id
    assert _article_requests(site) == ["/news/tidal-barrier.html"]


def test_a_page_that_cannot_be_extracted_fails_its_entry_with_the_reason(site, journalist):
    site.routes["/news/empty.html"] = Answer(b"<html><body>Soon.</body></html>", "text/html")
    url = site.feed("/e.xml", _rss(site.base, [("e1", "/news/empty.html", "Soon")]), etag='"e"')
    feed = feed_subscribe(url=url, actor=journalist)
    feed_poll(feed.pk)
    entry = feed_entry_ingest(FeedEntry.objects.get(feed=feed).pk)
    assert entry.state == FeedEntryState.FAILED and entry.error


# --- Failing feeds -------------------------------------------------------------------------


def _failing(site, journalist, path, answer):
    site.routes[path] = answer
    return feed_subscribe(url=site.base + path, actor=journalist)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(b"Oops", "text/plain", status=500), "The site had an error"),
        (
            Answer(b"<!doctype html><html><body>Home</body></html>", "text/html"),
            "not a news feed",
        ),
        (Answer(b"<notes><note>Hi</note></notes>", "application/xml"), "not an RSS or Atom feed"),
        (Answer(b"<rss><channel><title>cut off", "application/rss+xml"), "not an RSS or Atom"),
    ],
    ids=["500", "html", "other-xml", "broken-xml"],
)
def test_a_broken_feed_records_its_error_and_backs_off(site, journalist, answer, expected):
    feed = _failing(site, journalist, "/broken.xml", answer)
    report = feed_poll(feed.pk)
    assert report.outcome == PollOutcome.FAILED and expected in report.error
    feed.refresh_from_db()
    assert expected in feed.last_error and feed.failures == 1
    assert _near(feed.next_poll_at, feed.last_polled_at + timedelta(minutes=60))
    assert not FeedEntry.objects.filter(feed=feed).exists()


def test_feedparser_never_opens_a_file_the_answer_names(site, journalist, tmp_path):
    local = tmp_path / "feed.xml"
    local.write_bytes(_rss(site.base, RSS_ITEMS))
    feed = _failing(site, journalist, "/named.xml", Answer(str(local).encode(), "application/xml"))
    report = feed_poll(feed.pk)
    # Read as a file, the answer would be a good feed; read as the bytes it is, it is not.
    assert report.outcome == PollOutcome.FAILED and "not an RSS or Atom feed" in report.error
    assert not FeedEntry.objects.exists()


def test_a_failing_feed_waits_longer_each_time_and_recovers(site, journalist):
    feed = _failing(site, journalist, "/flaky.xml", Answer(b"Down", "text/plain", status=503))
    waits = []
    for _ in range(3):
        feed_poll(feed.pk)
        feed.refresh_from_db()
        waits.append(round((feed.next_poll_at - feed.last_polled_at).total_seconds() / 60))
    assert waits == [60, 120, 240] and feed.failures == 3
    assert "503" in feed.last_error
    site.feed("/flaky.xml", _rss(site.base, RSS_ITEMS), etag='"back"')
    assert feed_poll(feed.pk).outcome == PollOutcome.POLLED
    feed.refresh_from_db()
    assert (feed.failures, feed.last_error) == (0, "")
    assert _near(feed.next_poll_at, feed.last_polled_at + timedelta(minutes=30))


def test_the_backoff_is_capped_at_a_day():
    assert backoff(30, 1) == timedelta(minutes=60)
    assert backoff(30, 5) == timedelta(minutes=960)
    assert backoff(30, 6) == BACKOFF_MAX == timedelta(hours=24)
    assert backoff(30, 400) == BACKOFF_MAX


def test_a_broken_feed_does_not_keep_the_others_from_polling(
    site, rss, journalist, django_capture_on_commit_callbacks
):
    broken = _failing(site, journalist, "/down.xml", Answer(b"Oops", "text/plain", status=500))
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_due_feeds.delay().get() == 2
    broken.refresh_from_db()
    rss.refresh_from_db()
    assert broken.failures == 1 and "500" in broken.last_error
    assert rss.failures == 0 and rss.last_error == ""
    assert FeedEntry.objects.filter(feed=rss, state=FeedEntryState.STORED).count() == 2


def test_the_beat_polls_only_the_feeds_that_are_due(site, journalist):
    now = timezone.now()
    due = feed_subscribe(
        url=site.feed("/due.xml", _rss(site.base, []), etag='"d"'), actor=journalist
    )
    later = feed_subscribe(
        url=site.feed("/later.xml", _rss(site.base, []), etag='"l"'), actor=journalist
    )
    paused = feed_subscribe(
        url=site.feed("/paused.xml", _rss(site.base, []), etag='"p"'), actor=journalist
    )
    Feed.objects.filter(pk=due.pk).update(next_poll_at=now - timedelta(minutes=1))
    Feed.objects.filter(pk=later.pk).update(next_poll_at=now + timedelta(minutes=10))
    Feed.objects.filter(pk=paused.pk).update(active=False, next_poll_at=now - timedelta(hours=1))
    assert feeds_due(now) == [due.pk]
    assert poll_due_feeds.delay().get() == 1
    polled = [path for path, _ in site.requests]
    assert polled == ["/due.xml"]
    due.refresh_from_db()
    assert due.last_polled_at is not None and due.next_poll_at > now + timedelta(minutes=29)
    assert poll_due_feeds.delay().get() == 0  # nothing due any more


def test_the_beat_sends_again_entries_whose_message_was_lost(
    site, rss, django_capture_on_commit_callbacks
):
    feed_poll(rss.pk)  # the entries are recorded, their messages never sent
    now = timezone.now()
    Feed.objects.filter(pk=rss.pk).update(next_poll_at=now + timedelta(hours=1))
    lost = FeedEntry.objects.get(feed=rss, guid="gazette-1001")
    forgotten = FeedEntry.objects.get(feed=rss, guid="gazette-1002")
    FeedEntry.objects.filter(pk=lost.pk).update(seen_at=now - timedelta(hours=1))
    FeedEntry.objects.filter(pk=forgotten.pk).update(seen_at=now - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_due_feeds.delay().get() == 0  # no feed due
    lost.refresh_from_db()
    forgotten.refresh_from_db()
    assert lost.state == FeedEntryState.STORED
    assert forgotten.state == FeedEntryState.PENDING  # after a day, left for a person to see
    assert _article_requests(site) == ["/news/tidal-barrier.html"]


# --- Subscribing -----------------------------------------------------------------------------


def test_subscribing_again_returns_the_stored_feed(site, journalist, editor):
    first = feed_subscribe(url=site.base + "/rss.xml", actor=journalist)
    again = feed_subscribe(url=f"  {site.base}/rss.xml ", actor=editor)
    assert again.pk == first.pk and Feed.objects.count() == 1
    assert again.created_by == journalist
    Feed.objects.filter(pk=first.pk).update(active=False)
    assert feed_subscribe(url=site.base + "/rss.xml", actor=editor).active  # resumed


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/feed.xml", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("https://", "is not a valid web address"),
        ("", "Give the feed's address"),
        ("http://10.0.0.1/feed.xml", "private or internal network"),
    ],
)
def test_an_address_that_cannot_be_followed_is_refused(journalist, url, message):
    with pytest.raises(ValidationError) as refused:
        feed_subscribe(url=url, actor=journalist)
    assert message in " ".join(refused.value.message_dict["url"])
    assert not Feed.objects.exists()


def test_only_newsroom_roles_subscribe(outsider, reader):
    for user in (outsider, reader, None):
        with pytest.raises(PermissionDenied):
            feed_subscribe(url="https://news.example.org/feed.xml", actor=user)


# --- Pages -----------------------------------------------------------------------------------


def test_the_feeds_page_has_the_form_and_shows_each_feed_with_its_error(
    client, journalist, site, rss
):
    broken = _failing(site, journalist, "/down.xml", Answer(b"Oops", "text/plain", status=500))
    feed_poll(rss.pk)
    feed_poll(broken.pk)
    client.force_login(journalist)
    response = client.get(reverse("articles:feeds"), secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_url">Feed URL</label>' in html
    assert '<button type="submit">Subscribe</button>' in html
    assert "Harbour Gazette" in html and site.base + "/down.xml" in html
    assert "The last poll failed" in html and "The site had an error" in html
    assert html.count(">Poll now</button>") == 2
    assert reverse("articles:feed", args=[rss.pk]) in html


def test_the_articles_page_links_to_the_feeds(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("articles:list"), secure=True).content.decode()
    assert f'href="{reverse("articles:feeds")}">Feeds</a>' in html


def test_subscribing_from_the_page_starts_a_first_poll(
    client, journalist, site, django_capture_on_commit_callbacks
):
    url = site.feed("/rss.xml", _rss(site.base, RSS_ITEMS), etag='"rss-v1"')
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:feeds"), {"url": url}, secure=True)
    feed = Feed.objects.get(url=url)
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:feed", args=[feed.pk])
    assert feed.created_by == journalist and feed.last_polled_at is not None
    page = client.get(response["Location"], secure=True).content.decode()
    assert "Subscribed." in page
    assert "Tidal barrier to close twice as often" in page and "Article stored" in page
    stored = FeedEntry.objects.get(feed=feed, guid="gazette-1001").article
    assert reverse("article-detail", args=[stored.pk]) in page
    again = client.post(reverse("articles:feeds"), {"url": url}, secure=True, follow=True)
    assert "This feed is followed already" in again.content.decode()
    assert Feed.objects.count() == 1


def test_a_refused_address_is_shown_on_the_form(client, journalist):
    client.force_login(journalist)
    response = client.post(
        reverse("articles:feeds"), {"url": "ftp://example.com/feed.xml"}, secure=True
    )
    assert response.status_code == 400
    assert "Only http:// and https:// feeds can be followed." in response.content.decode()
    assert not Feed.objects.exists()


def test_poll_now_polls_the_feed_and_the_feed_page_shows_failed_entries(
    client, journalist, site, django_capture_on_commit_callbacks
):
    items = [("inside", "http://10.0.0.1/x", "An address inside a network")]
    feed = feed_subscribe(
        url=site.feed("/inside.xml", _rss(site.base, items), etag='"i"'), actor=journalist
    )
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:feed-poll", args=[feed.pk]), secure=True)
    assert response.status_code == 302
    assert len(site.hits("/inside.xml")) == 1
    page = client.get(response["Location"], secure=True).content.decode()
    assert "Polling the feed now" in page
    assert "An address inside a network" in page and "Failed" in page
    assert "10.0.0.1 is on a private or internal network" in page


def test_a_paused_feed_is_not_polled_from_the_page(client, journalist, site):
    feed = feed_subscribe(url=site.base + "/rss.xml", actor=journalist)
    Feed.objects.filter(pk=feed.pk).update(active=False)
    client.force_login(journalist)
    response = client.post(reverse("articles:feed-poll", args=[feed.pk]), secure=True, follow=True)
    assert "This feed is paused" in response.content.decode()
    assert site.requests == []


def test_feed_pages_refuse_outsiders_and_readers_cannot_subscribe(
    client, outsider, reader, journalist
):
    feed = feed_subscribe(url="https://news.example.org/feed.xml", actor=journalist)
    pages = [
        ("get", reverse("articles:feeds")),
        ("post", reverse("articles:feeds")),
        ("get", reverse("articles:feed", args=[feed.pk])),
        ("post", reverse("articles:feed-poll", args=[feed.pk])),
    ]
    client.force_login(outsider)
    for method, url in pages:
        data = {"url": "https://other.example.org/rss"} if method == "post" else None
        assert getattr(client, method)(url, data, secure=True).status_code == 403, url
    client.force_login(reader)
    assert client.get(reverse("articles:feeds"), secure=True).status_code == 200
    for _method, url in pages[1::2]:
        assert client.post(url, {"url": "https://a.example.org/"}, secure=True).status_code == 403
    client.logout()
    assert client.get(reverse("articles:feeds"), secure=True).status_code == 302
    assert Feed.objects.count() == 1


# --- API -------------------------------------------------------------------------------------


def _api(user=None):
    """`api_client(user)` speaking HTTPS, as production requires."""
    client = api_client(user)
    for verb in ("get", "post", "patch", "delete"):
        setattr(client, verb, partial(getattr(client, verb), secure=True))
    return client


def test_journalists_subscribe_through_the_api_and_a_first_poll_runs(
    journalist, site, django_capture_on_commit_callbacks
):
    url = site.feed("/rss.xml", _rss(site.base, RSS_ITEMS), etag='"rss-v1"')
    api = _api(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(FEEDS, {"url": url, "poll_minutes": 15}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["url"] == url and body["poll_minutes"] == 15 and body["active"] is True
    feed = Feed.objects.get(pk=body["id"])
    assert feed.last_polled_at is not None
    again = api.post(FEEDS, {"url": url}, format="json")
    assert again.status_code == 200 and again.json()["id"] == feed.pk
    shown = api.get(f"{FEEDS}{feed.pk}/").json()
    assert shown["title"] == "Harbour Gazette" and shown["entries_stored"] == 2
    entries = api.get(f"{FEEDS}{feed.pk}/entries/").json()["results"]
    assert {e["state"] for e in entries} == {"stored"}
    assert all(Article.objects.filter(pk=e["article"]).exists() for e in entries)
    refused = api.get(f"{FEEDS}{feed.pk}/entries/", {"state": "lost"})
    assert refused.status_code == 400 and "state" in refused.json()["error"]["details"]


def test_the_api_refuses_addresses_it_cannot_follow(journalist):
    for url in ("ftp://example.com/feed", "http://10.0.0.1/rss", "not a url"):
        response = _api(journalist).post(FEEDS, {"url": url}, format="json")
        assert response.status_code == 400, url
        assert "url" in response.json()["error"]["details"]


def test_polling_pausing_and_filtering_through_the_api(
    journalist, site, django_capture_on_commit_callbacks
):
    feed = feed_subscribe(
        url=site.feed("/rss.xml", _rss(site.base, RSS_ITEMS), etag='"r"'), actor=journalist
    )
    other = feed_subscribe(url="https://news.example.org/world.xml", actor=journalist)
    api = _api(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(f"{FEEDS}{feed.pk}/poll/")
    assert accepted.status_code == 202
    assert accepted.json()["entries"].endswith(f"/api/v1/feeds/{feed.pk}/entries/")
    assert len(site.hits("/rss.xml")) == 1
    paused = api.patch(f"{FEEDS}{other.pk}/", {"active": False, "poll_minutes": 60}, format="json")
    assert paused.status_code == 200
    assert (paused.json()["active"], paused.json()["poll_minutes"]) == (False, 60)
    assert api.post(f"{FEEDS}{other.pk}/poll/").status_code == 409
    too_often = api.patch(f"{FEEDS}{other.pk}/", {"poll_minutes": 1}, format="json")
    assert too_often.status_code == 400
    moved = api.patch(f"{FEEDS}{other.pk}/", {"url": "https://x.example.org/"}, format="json")
    assert moved.status_code == 400
    assert [f["id"] for f in api.get(FEEDS, {"active": "false"}).json()["results"]] == [other.pk]
    assert [f["id"] for f in api.get(FEEDS, {"q": "world"}).json()["results"]] == [other.pk]
    assert [f["id"] for f in api.get(FEEDS, {"q": "harbour"}).json()["results"]] == [feed.pk]


def test_who_may_do_what_with_feeds_through_the_api(journalist, editor, reader, outsider):
    feed = feed_subscribe(url="https://news.example.org/feed.xml", actor=journalist)
    detail, entries, poll = (
        f"{FEEDS}{feed.pk}/",
        f"{FEEDS}{feed.pk}/entries/",
        f"{FEEDS}{feed.pk}/poll/",
    )
    new = {"url": "https://news.example.org/other.xml"}
    anonymous = _api()
    for path in (FEEDS, detail, entries):
        assert anonymous.get(path).status_code == 401
    assert anonymous.post(FEEDS, new, format="json").status_code == 401
    assert anonymous.post(poll).status_code == 401
    for user in (reader, journalist, editor):
        api = _api(user)
        for path in (FEEDS, detail, entries):
            assert api.get(path).status_code == 200, (user, path)
    reading = _api(reader)
    assert reading.post(FEEDS, new, format="json").status_code == 403
    assert reading.patch(detail, {"active": False}, format="json").status_code == 403
    assert reading.post(poll).status_code == 403
    assert reading.delete(detail).status_code == 403
    stranger = _api(outsider)
    assert stranger.get(FEEDS).status_code == 403
    assert stranger.get(entries).status_code == 403
    assert _api(editor).post(FEEDS, new, format="json").status_code == 201
    # Removing a feed, with its entries, is for administrators.
    assert _api(journalist).delete(detail).status_code == 403
    assert Feed.objects.filter(pk=feed.pk).exists()
