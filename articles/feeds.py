"""RSS and Atom subscriptions: following a feed, polling it, and taking in its entries.

How it runs. Celery beat sends `articles.tasks.poll_due_feeds` every few minutes; it takes
the active feeds whose `next_poll_at` has come (`feeds_take_due`) and sends one
`poll_feed` task for each, so a slow or broken feed holds up no other. `feed_poll` makes a
conditional GET (If-None-Match / If-Modified-Since from the ETag and Last-Modified the
last answer gave): a 304 only moves the timestamps on. A new answer is parsed by
feedparser, and each entry not seen before is recorded as a FeedEntry, found again by its
id in the feed (else its link), so an entry is taken in once however often polls see it.
Once the poll's transaction commits, each new entry is sent to `ingest_feed_entry`, which
fetches the article its link points to through `articles.ingest.url_ingest` (whose
duplicate rules apply as for any URL) and records the outcome on the entry.

Failures. A poll that fails (the site is down, answers an error, or sends something that
is not a feed) records the reason in `last_error`, counts it in `failures` and is tried
again after poll_minutes x 2^failures (at most a day); the next good poll clears both.
An entry whose article cannot be fetched is marked failed with the reason; the poll and
the feed's other entries go on.

Safety. Only `articles.fetching.fetch` downloads anything: the feed, then each article.
feedparser is handed the downloaded bytes in a stream, never a URL or a string it could
take for a file name, so it never fetches or opens anything by itself.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import feedparser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.fetching import FEED_TYPES, FetchError, fetch
from articles.ingest import IngestError, url_ingest
from articles.models import ArticleOrigin, Feed, FeedEntry, FeedEntryState
from articles.safe_http import BlockedAddress, UnresolvableHost, UnsafeTarget, check_target
from articles.text import UNSTORABLE

log = logging.getLogger(__name__)

URL_MAX_LENGTH = 2000
POLL_MINUTES_MIN = 5
POLL_MINUTES_MAX = 24 * 60
# A failing feed waits poll_minutes x 2^failures before the next try, at most this long.
BACKOFF_MAX = timedelta(hours=24)
# The entries one poll records, in the feed's order (newest first, in practice): a first
# poll of a feed with years of archive does not bring in thousands of articles.
ENTRIES_PER_POLL = 200
# A feed taken for polling is not due again for this long, so the next beat does not
# send it twice while its poll waits in the queue; a poll lost on the way is retried then.
LEASE = timedelta(minutes=15)
# An entry still waiting this long after it was seen lost its message (a broker outage):
# the beat sends it again, for a day at most.
STALLED_AFTER = timedelta(minutes=30)
STALLED_GIVE_UP = timedelta(hours=24)
# What a feed may be served as: the usual feed types, and RSS 1.0's RDF.
ACCEPT = (*FEED_TYPES, "application/rdf+xml")
GUID_MAX = 500
TITLE_MAX = 500
ERROR_MAX = 2000


class FeedUnreadable(Exception):
    """The answer is not an RSS or Atom feed; `message` says so, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PollOutcome:
    POLLED = "polled"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"
    PAUSED = "paused"
    MISSING = "missing"


@dataclass(frozen=True)
class PollReport:
    """What one poll did: its `outcome` (a PollOutcome), the entries it recorded for the
    first time (`new`, their ids in `entry_ids`), the ones seen before (`seen`), those
    it could not use (`skipped`: no id and no link), and the error of a failed poll."""

    feed_id: int
    outcome: str
    new: int = 0
    seen: int = 0
    skipped: int = 0
    error: str = ""
    entry_ids: tuple[int, ...] = ()

    @property
    def summary(self) -> str:
        if self.outcome == PollOutcome.NOT_MODIFIED:
            return "The feed has not changed since the last poll."
        if self.outcome == PollOutcome.FAILED:
            return f"The poll failed: {self.error}"
        if self.outcome == PollOutcome.PAUSED:
            return "The feed is paused, so it was not polled."
        if self.outcome == PollOutcome.MISSING:
            return "The feed no longer exists."
        return f"{self.new} new entries, {self.seen} seen before."


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {what}.")


# --- Subscriptions -------------------------------------------------------------------------


def feed_url_clean(url) -> str:
    """The address as it is stored: trimmed, an http(s) URL, its scheme and host in lower
    case. Anything else raises ValidationError on `url`."""
    url = url.strip() if isinstance(url, str) else ""
    if not url:
        raise ValidationError({"url": ["Give the feed's address."]})
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError({"url": [f"The address is longer than {URL_MAX_LENGTH} characters."]})
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError({"url": ["Only http:// and https:// feeds can be followed."]})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": [f"{url!r} is not a valid web address."]}) from None
    parts = urlsplit(url)
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _check_reachable(url: str) -> None:
    """Refuse an address on an internal network now, rather than at every poll. A host
    that does not resolve is let through: DNS may be failing for a while, and the first
    poll says so on the feed."""
    host = urlsplit(url).hostname or url
    try:
        check_target(url)
    except BlockedAddress:
        raise ValidationError(
            {
                "url": [
                    f"{host} is on a private or internal network, so ClaimTrack will not fetch it."
                ]
            }
        ) from None
    except UnresolvableHost:
        pass
    except UnsafeTarget as refused:
        raise ValidationError({"url": [str(refused)]}) from None


def _clean_poll_minutes(value) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not POLL_MINUTES_MIN <= value <= POLL_MINUTES_MAX
    ):
        raise ValidationError(
            {
                "poll_minutes": [
                    f"A whole number of minutes from {POLL_MINUTES_MIN} to {POLL_MINUTES_MAX}."
                ]
            }
        )
    return value


def feed_subscribe(*, url, actor, poll_minutes: int | None = None) -> Feed:
    """Follow the feed at `url`; it is due for polling at once. An address already
    followed returns the stored feed (resumed, if it was paused) and changes nothing
    else. Raises ValidationError for an address that cannot be followed and
    PermissionDenied without `articles.add_feed`."""
    _require(actor, "articles.add_feed", "subscribe to feeds")
    url = feed_url_clean(url)
    minutes = _clean_poll_minutes(poll_minutes) if poll_minutes is not None else None
    stored = Feed.objects.filter(url=url).first()
    if stored is None:
        _check_reachable(url)
        defaults = {"created_by": actor, "next_poll_at": timezone.now()}
        if minutes is not None:
            defaults["poll_minutes"] = minutes
        try:
            with transaction.atomic():
                return Feed.objects.create(url=url, **defaults)
        except IntegrityError:  # subscribed by someone else meanwhile
            stored = Feed.objects.get(url=url)
    if not stored.active:
        now = timezone.now()
        Feed.objects.filter(pk=stored.pk).update(active=True, next_poll_at=now, updated_at=now)
        stored.refresh_from_db()
    return stored


def feed_update(*, feed: Feed, actor, active: bool | None = None, poll_minutes=None) -> Feed:
    """Pause or resume a feed, or change how often it is polled. A resumed feed is due at
    once; a new interval counts from the last poll."""
    _require(actor, "articles.change_feed", "change feeds")
    changes = {}
    now = timezone.now()
    if poll_minutes is not None and poll_minutes != feed.poll_minutes:
        changes["poll_minutes"] = _clean_poll_minutes(poll_minutes)
        if not feed.failures:
            changes["next_poll_at"] = (feed.last_polled_at or now) + timedelta(
                minutes=changes["poll_minutes"]
            )
    if active is not None and active != feed.active:
        changes["active"] = active
        if active:
            changes["next_poll_at"] = now
    if changes:
        Feed.objects.filter(pk=feed.pk).update(**changes, updated_at=now)
        feed.refresh_from_db()
    return feed


# --- Polling -------------------------------------------------------------------------------


def backoff(poll_minutes: int, failures: int) -> timedelta:
    """How long a feed that failed `failures` times in a row waits for its next try."""
    minutes = poll_minutes * 2 ** min(max(failures, 0), 16)
    return min(timedelta(minutes=minutes), BACKOFF_MAX)


def feeds_due(now: datetime | None = None, *, limit: int | None = None) -> list[int]:
    """Ids of the active feeds due for a poll at `now` (never polled, or their next poll
    has come), the longest waiting first."""
    now = now or timezone.now()
    due = (
        Feed.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by(F("next_poll_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)
    )
    return list(due[:limit] if limit else due)


def feeds_take_due(now: datetime | None = None, *, limit: int | None = None) -> list[int]:
    """The due feeds (see `feeds_due`), each put off by LEASE as it is taken: a feed is
    taken by one caller only, and its poll sets the real next time."""
    now = now or timezone.now()
    taken = []
    for pk in feeds_due(now, limit=limit):
        claimed = (
            Feed.objects.filter(pk=pk, active=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
            .update(next_poll_at=now + LEASE)
        )
        if claimed:
            taken.append(pk)
    return taken


def feed_poll(feed_id: int) -> PollReport:
    """Poll one feed now (see the module's docstring). Never raises for a problem of the
    feed: a failed poll is recorded on it and reported."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return PollReport(feed_id, PollOutcome.MISSING)
    if not feed.active:
        return PollReport(feed.pk, PollOutcome.PAUSED)
    conditions = {}
    if feed.etag:
        conditions["If-None-Match"] = feed.etag
    if feed.last_modified:
        conditions["If-Modified-Since"] = feed.last_modified
    try:
        fetched = fetch(feed.url, accept=ACCEPT, headers=conditions)
        if fetched.not_modified:
            return _not_modified(feed, etag=fetched.etag, last_modified=fetched.last_modified)
        parsed = _parse(fetched)
    except (FetchError, FeedUnreadable) as failed:
        return _failed(feed, failed.message)
    return _record(feed, fetched, parsed)


def _parse(fetched) -> feedparser.FeedParserDict:
    content_type = fetched.content_type or "application/xml"
    if fetched.charset:
        content_type += f"; charset={fetched.charset}"
    parsed = feedparser.parse(
        io.BytesIO(fetched.body),  # a stream: feedparser opens nothing by itself
        response_headers={"content-type": content_type, "content-location": fetched.final_url},
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = getattr(parsed, "bozo_exception", None)
        detail = f" ({str(problem)[:200]})" if problem and parsed.bozo else ""
        raise FeedUnreadable(
            f"The address answered with something that is not an RSS or Atom feed{detail}."
        )
    return parsed


def _not_modified(feed: Feed, *, etag: str | None, last_modified: str | None) -> PollReport:
    now = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(
        etag=(etag or feed.etag)[:500],
        last_modified=(last_modified or feed.last_modified)[:100],
        last_polled_at=now,
        next_poll_at=now + timedelta(minutes=feed.poll_minutes),
        last_error="",
        failures=0,
        updated_at=now,
    )
    return PollReport(feed.pk, PollOutcome.NOT_MODIFIED)


def _failed(feed: Feed, message: str) -> PollReport:
    now = timezone.now()
    failures = feed.failures + 1
    Feed.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        next_poll_at=now + backoff(feed.poll_minutes, failures),
        last_error=message[:ERROR_MAX],
        failures=F("failures") + 1,
        updated_at=now,
    )
    log.warning("Feed %s (%s) failed %s time(s) in a row: %s", feed.pk, feed.url, failures, message)
    return PollReport(feed.pk, PollOutcome.FAILED, error=message)


@dataclass(frozen=True)
class _Item:
    guid: str
    link: str
    title: str
    published_at: datetime | None
    problem: str


def _web_address(value) -> str:
    value = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.hostname and len(value) <= 2000:
        return value
    return ""


def _when(raw) -> datetime | None:
    parsed = raw.get("published_parsed") or raw.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _item(raw) -> _Item | None:
    """An entry's fields, or None when it has neither an id nor a link to know it by.
    Characters no text column holds are dropped: a feed can carry NUL in a character
    reference (&#0;), which feedparser passes on."""

    def text(name: str) -> str:
        return UNSTORABLE.sub("", str(raw.get(name) or ""))

    raw_link = text("link")
    guid = (text("id") or raw_link).strip()
    if not guid:
        return None
    if len(guid) > GUID_MAX:  # kept whole, it would not fit an index everywhere
        guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    link = _web_address(raw_link)
    if link:
        problem = ""
    elif raw_link.strip():
        problem = "The entry's link is not a web address, so its article cannot be fetched."
    else:
        problem = "The entry has no link to an article."
    return _Item(
        guid=guid,
        link=link,
        title=" ".join(text("title").split())[:TITLE_MAX],
        published_at=_when(raw),
        problem=problem,
    )


def _record(feed: Feed, fetched, parsed) -> PollReport:
    items: dict[str, _Item] = {}
    skipped = 0
    for raw in parsed.entries[:ENTRIES_PER_POLL]:
        item = _item(raw)
        if item is None:
            skipped += 1
        else:
            items.setdefault(item.guid, item)
    now = timezone.now()
    new_ids = []
    created_count = 0
    with transaction.atomic():
        known = set(
            FeedEntry.objects.filter(feed=feed, guid__in=list(items)).values_list("guid", flat=True)
        )
        for guid, item in items.items():
            if guid in known:
                continue
            entry, created = FeedEntry.objects.get_or_create(
                feed=feed,
                guid=guid,
                defaults={
                    "link": item.link,
                    "title": item.title,
                    "published_at": item.published_at,
                    "state": FeedEntryState.FAILED if item.problem else FeedEntryState.PENDING,
                    "error": item.problem,
                },
            )
            if not created:
                known.add(guid)  # recorded by a poll running at the same time
                continue
            created_count += 1
            if entry.state == FeedEntryState.PENDING:
                new_ids.append(entry.pk)
                transaction.on_commit(lambda pk=entry.pk: _send_to_ingest(pk), robust=True)
        details = parsed.get("feed", {})
        updates = {
            "etag": (fetched.etag or "")[:500],
            "last_modified": (fetched.last_modified or "")[:100],
            "last_polled_at": now,
            "next_poll_at": now + timedelta(minutes=feed.poll_minutes),
            "last_error": "",
            "failures": 0,
            "updated_at": now,
        }
        title = " ".join(str(details.get("title") or "").split())[:TITLE_MAX]
        if title:
            updates["title"] = title
        site = _web_address(details.get("link"))
        if site:
            updates["site_url"] = site
        Feed.objects.filter(pk=feed.pk).update(**updates)
    return PollReport(
        feed.pk,
        PollOutcome.POLLED,
        new=created_count,
        seen=len(known),
        skipped=skipped,
        entry_ids=tuple(new_ids),
    )


def _send_to_ingest(entry_id: int) -> None:
    from articles.tasks import ingest_feed_entry  # the tasks module imports this one

    ingest_feed_entry.delay(entry_id)


# --- Entries -------------------------------------------------------------------------------


def feed_entry_ingest(entry_id: int) -> FeedEntry | None:
    """Fetch and store the article of a pending entry, and record how it went. An entry
    already settled (a message delivered twice) is returned as it is, untouched."""
    entry = FeedEntry.objects.filter(pk=entry_id).first()
    if entry is None or entry.state != FeedEntryState.PENDING:
        return entry
    if not entry.link:
        return _settle(entry, FeedEntryState.FAILED, error="The entry has no link to an article.")
    try:
        ingested = url_ingest(entry.link, origin=ArticleOrigin.FEED)
    except IngestError as refused:
        return _settle(entry, FeedEntryState.FAILED, error=refused.message)
    except (OperationalError, InterfaceError):
        raise  # the database is away: the task tries again later
    except Exception:
        # Anything else is a bug; the entry says so rather than wait for ever.
        log.exception("Feed entry %s (%s) could not be taken in", entry.pk, entry.link)
        return _settle(
            entry,
            FeedEntryState.FAILED,
            error="The article could not be taken in because of an unexpected error, "
            "which was logged for the developers.",
        )
    return _settle(entry, FeedEntryState.STORED, article=ingested.article)


def _settle(entry: FeedEntry, state: str, *, error: str = "", article=None) -> FeedEntry:
    # Only a pending entry changes: of two deliveries at once, the first to finish wins.
    FeedEntry.objects.filter(pk=entry.pk, state=FeedEntryState.PENDING).update(
        state=state, error=error[:ERROR_MAX], article=article
    )
    entry.refresh_from_db()
    return entry


def feed_entries_stalled(now: datetime | None = None, *, limit: int | None = None) -> list[int]:
    """Ids of entries still pending well after they were seen: their ingest message was
    lost. Those waiting for more than a day are left alone (shown as pending)."""
    now = now or timezone.now()
    stalled = (
        FeedEntry.objects.filter(
            state=FeedEntryState.PENDING,
            seen_at__lte=now - STALLED_AFTER,
            seen_at__gt=now - STALLED_GIVE_UP,
        )
        .exclude(link="")
        .order_by("seen_at", "id")
        .values_list("pk", flat=True)
    )
    return list(stalled[:limit] if limit else stalled)
