"""Webhooks: outside services subscribe to the change feed and are sent each event as it
happens, by Celery, signed, and tried again with exponential backoff until delivered.

How it runs. `event_record` sends `change_recorded` inside the transaction of every
change; the receiver calls `webhook_deliveries_for`, which records one WebhookDelivery per
interested subscription in that same transaction (an outbox: a broker outage loses no
delivery), and enqueues `claims.tasks.deliver_webhook` once it commits. Each run of the
task is one attempt (`webhook_deliver`), logged as a WebhookAttempt; a 2xx answer
delivers, anything else schedules the next attempt after `retry_delay`, until
CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS attempts failed. The beat sweep re-sends deliveries whose
next attempt is overdue (a message lost while the broker was down).

What the receiver gets. A POST of JSON, the event as the change feed shows it (with the
object before and after the change), and the headers

    X-ClaimTrack-Event: status.changed
    X-ClaimTrack-Delivery: 42
    X-ClaimTrack-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the secret>

Delivery is at least once: an attempt whose outcome was lost (a worker killed mid-way) is
made again, so receivers should ignore an event `id` they already handled. Redirects are
never followed (a 3xx is a failed attempt), and targets on internal networks are refused
(see articles.safe_http), when subscribing and again at every attempt.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
import urllib3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.safe_http import UnsafeTarget, check_target, read_limited, safe_request
from claims.models import (
    ChangeEvent,
    DeliveryState,
    EventKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

log = logging.getLogger(__name__)
KEEP = object()  # "leave this field as it is"

SIGNATURE_HEADER = "X-ClaimTrack-Signature"
EVENT_HEADER = "X-ClaimTrack-Event"
DELIVERY_HEADER = "X-ClaimTrack-Delivery"
SECRET_MIN_BYTES = 32
SECRET_MAX_LENGTH = 200
URL_MAX_LENGTH = 2000
TIMEOUT = (3, 10)  # seconds: connect, then each read
# An attempt in progress holds its delivery this long (well past the task's time limit),
# so the sweep leaves it alone; if the worker dies, the sweep takes it up after that.
LEASE = timedelta(minutes=5)
# A retry message may arrive a little before its delivery is due (clocks of two
# machines); an attempt this close to its time goes ahead.
EARLY = timedelta(seconds=2)


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {what}.")


# --- Subscriptions -------------------------------------------------------------------------


def _clean_url(url) -> str:
    url = url.strip() if isinstance(url, str) else ""
    if not url:
        raise ValidationError({"target_url": "Give the URL to send events to."})
    if len(url) > URL_MAX_LENGTH or any(char.isspace() for char in url):
        raise ValidationError({"target_url": "That is not a usable URL."})
    try:
        check_target(url)
    except UnsafeTarget as refusal:
        raise ValidationError({"target_url": str(refusal)}) from None
    return url


def _clean_events(events) -> list[str]:
    if events is None:
        return []
    if not isinstance(events, list | tuple) or not all(isinstance(k, str) for k in events):
        raise ValidationError({"events": "Give a list of event kinds (empty for all)."})
    unknown = sorted(set(events) - set(EventKind.values))
    if unknown:
        raise ValidationError(
            {
                "events": f"Unknown event kind(s): {', '.join(unknown)}. "
                f"Known kinds: {', '.join(EventKind.values)}."
            }
        )
    return [kind for kind in EventKind.values if kind in events]


def _clean_secret(secret) -> str:
    if secret is None or secret == "":
        return secrets.token_urlsafe(SECRET_MIN_BYTES)  # 32 random bytes, 43 characters
    if not isinstance(secret, str) or len(secret.encode()) < SECRET_MIN_BYTES:
        raise ValidationError(
            {
                "secret": f"A secret needs at least {SECRET_MIN_BYTES} bytes; leave it out to "
                "have one generated."
            }
        )
    if len(secret) > SECRET_MAX_LENGTH:
        raise ValidationError({"secret": f"A secret has at most {SECRET_MAX_LENGTH} characters."})
    return secret


def webhook_subscribe(
    *, target_url: str, actor, events=None, secret: str | None = None, active: bool = True
) -> WebhookSubscription:
    """Subscribe `target_url` to the events of the given kinds (all when empty). The URL
    must be http(s) and not on an internal network (unless its host is allowed by
    CLAIMTRACK_FETCH_ALLOWED_HOSTS). Without a secret, a random one is generated; the
    caller shows it to the subscriber once."""
    _require(actor, "claims.add_webhooksubscription", "add webhooks")
    url = _clean_url(target_url)
    kinds = _clean_events(events)
    secret = _clean_secret(secret)
    return WebhookSubscription.objects.create(
        target_url=url, events=kinds, secret=secret, active=bool(active), created_by=actor
    )


def webhook_update(
    *, subscription: WebhookSubscription, actor, target_url=KEEP, events=KEEP, active=KEEP
) -> WebhookSubscription:
    """Change where a subscription sends, which kinds, or pause it (`active=False`: its
    pending deliveries are given up and no new ones are made). The secret never changes;
    to rotate it, subscribe anew and remove the old subscription."""
    _require(actor, "claims.change_webhooksubscription", "change webhooks")
    if target_url is not KEEP:
        subscription.target_url = _clean_url(target_url)
    if events is not KEEP:
        subscription.events = _clean_events(events)
    if active is not KEEP:
        subscription.active = bool(active)
    subscription.save()
    return subscription


def webhook_unsubscribe(*, subscription: WebhookSubscription, actor) -> None:
    """Remove a subscription with its deliveries and their attempt log."""
    _require(actor, "claims.delete_webhooksubscription", "remove webhooks")
    subscription.delete()


# --- Deliveries ----------------------------------------------------------------------------


def webhook_deliveries_for(event: ChangeEvent) -> list[WebhookDelivery]:
    """Record the deliveries an event owes the active subscriptions that want its kind;
    call it in the event's transaction. Returns the new ones (an event is never owed
    twice to one subscription)."""
    now = timezone.now()
    created = []
    for subscription in WebhookSubscription.objects.filter(active=True).only("id", "events"):
        if not subscription.wants(event.kind):
            continue
        delivery, made = WebhookDelivery.objects.get_or_create(
            subscription=subscription, event=event, defaults={"next_attempt_at": now}
        )
        if made:
            created.append(delivery)
    return created


def _time(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def webhook_payload(event: ChangeEvent) -> dict:
    """The event as the change feed shows it."""
    return {
        "id": event.id,
        "kind": event.kind,
        "at": _time(event.at),
        "claim": event.claim_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "actor": event.actor,
        "before": event.before,
        "after": event.after,
        "detail": event.detail,
    }


def webhook_body(event: ChangeEvent) -> bytes:
    """The exact bytes sent (and signed)."""
    text = json.dumps(webhook_payload(event), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def webhook_signature(secret: str, body: bytes) -> str:
    """The X-ClaimTrack-Signature value: `sha256=` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def webhook_signature_valid(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature over the body it got, compare in
    constant time."""
    return hmac.compare_digest(webhook_signature(secret, body), header or "")


def webhook_headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: delivery.event.kind,
        DELIVERY_HEADER: str(delivery.pk),
        SIGNATURE_HEADER: webhook_signature(delivery.subscription.secret, body),
    }


def retry_delay(attempt: int) -> float:
    """Seconds from failed attempt number `attempt` (1, 2, ...) to the next one:
    base x 2^(attempt - 1), at most the cap (10 s, 20 s, 40 s, ... 1 h by default)."""
    base = float(settings.CLAIMTRACK_WEBHOOK_RETRY_BASE)
    cap = float(settings.CLAIMTRACK_WEBHOOK_RETRY_CAP)
    return min(cap, base * 2 ** min(max(attempt - 1, 0), 32))


@dataclass(frozen=True)
class AttemptOutcome:
    number: int  # the attempt's number
    state: str  # the delivery's state after it
    retry_in: float | None  # seconds until the next attempt is due, when one is


def _claim_attempt(delivery: WebhookDelivery, now) -> int | None:
    """Take the delivery for one attempt (compare-and-set on the attempt count, so two
    workers sent the same delivery never both try); returns the attempt's number."""
    number = delivery.attempts + 1
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts
    ).update(attempts=number, next_attempt_at=now + LEASE)
    return number if taken else None


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, str, bool]:
    """Send the delivery once: (status or None, error, start of the answer, refused)."""
    body = webhook_body(delivery.event)
    try:
        response = safe_request(
            "POST",
            delivery.subscription.target_url,
            data=body,
            headers=webhook_headers(delivery, body),
            timeout=TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
        answer = read_limited(response, WebhookAttempt.BODY_LIMIT)
    except UnsafeTarget as refusal:
        return None, f"Refused: {refusal}", "", True
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        return None, f"{type(error).__name__}: {error}"[:2000], "", False
    text = answer.decode("utf-8", errors="replace").replace("\x00", "")
    return response.status_code, "", text, False


def webhook_deliver(delivery_id: int) -> AttemptOutcome | None:
    """Make one attempt at a delivery if one is due, log it, and decide what follows:
    a 2xx answer delivers; a refused (internal) target fails at once; anything else is
    tried again after `retry_delay`, until CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS attempts.

    Returns None when there was nothing to do: the delivery is gone or finished, its
    next attempt is not due yet, or another worker is making it."""
    started = timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("subscription", "event")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return None
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > started + EARLY:
        return None
    if not delivery.subscription.active:
        WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, next_attempt_at=None
        )
        return AttemptOutcome(number=delivery.attempts, state=DeliveryState.FAILED, retry_in=None)
    number = _claim_attempt(delivery, started)
    if number is None:
        return None

    clock = time.monotonic()
    status, error, answer, refused = _post(delivery)
    duration_ms = round((time.monotonic() - clock) * 1000)
    finished = timezone.now()

    retry_in = None
    if status is not None and 200 <= status < 300:
        state, next_at, delivered_at = DeliveryState.DELIVERED, None, finished
    elif refused or number >= settings.CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS:
        state, next_at, delivered_at = DeliveryState.FAILED, None, None
    else:
        retry_in = retry_delay(number)
        state, next_at, delivered_at = (
            DeliveryState.PENDING,
            finished + timedelta(seconds=retry_in),
            None,
        )
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started,
            duration_ms=duration_ms,
            response_status=status,
            error=error,
            response_body=answer,
        )
        # Only if no one took the delivery over meanwhile (an attempt past its lease).
        WebhookDelivery.objects.filter(pk=delivery.pk, attempts=number).update(
            state=state, next_attempt_at=next_at, delivered_at=delivered_at
        )
    log.log(
        logging.INFO if state == DeliveryState.DELIVERED else logging.WARNING,
        "Webhook delivery %s (event %s to subscription %s), attempt %s: %s -> %s",
        delivery.pk,
        delivery.event_id,
        delivery.subscription_id,
        number,
        status if status is not None else error,
        state,
    )
    return AttemptOutcome(number=number, state=state, retry_in=retry_in)


def webhook_deliveries_due(*, limit: int, grace: timedelta = timedelta(minutes=1)) -> list[int]:
    """Pending deliveries whose next attempt is overdue by more than `grace`: their
    message was lost (broker down, worker killed), and they must be sent again."""
    cutoff = timezone.now() - grace
    due = WebhookDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=cutoff
    ).order_by("next_attempt_at", "id")
    return list(due.values_list("pk", flat=True)[:limit])
