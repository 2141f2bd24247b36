"""Webhooks: subscriptions through the API, signed deliveries made by the task, retries
with backoff, the attempt log, and the refusal of targets on internal networks."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles.safe_http import BlockedAddress, UnsafeTarget, check_target, safe_request
from claims.models import (
    DeliveryState,
    EventKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from claims.services import claim_set_status
from claims.tasks import deliver_webhook, sweep_webhook_deliveries
from claims.webhooks import (
    retry_delay,
    webhook_deliver,
    webhook_deliveries_due,
    webhook_deliveries_for,
    webhook_signature,
    webhook_signature_valid,
)
from tests.conftest import api_client
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"
LOCAL = ["127.0.0.1"]


class Receiver:
    """A webhook receiver on 127.0.0.1: answers POSTs with the scripted statuses (then
    `default`), and remembers the headers and exact body of each request."""

    def __init__(self, statuses, default):
        self.statuses = list(statuses)
        self.default = default
        self.requests: list[tuple[dict, bytes]] = []
        self.redirect_to = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests.append((dict(self.headers), body))
                status = owner.statuses.pop(0) if owner.statuses else owner.default
                self._answer(status, b"ok" if status < 300 else b"try again later")

            def do_GET(self):
                owner.requests.append((dict(self.headers), b""))
                if owner.redirect_to and self.path == "/hook":
                    self.send_response(302)
                    self.send_header("Location", owner.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._answer(200, b"fetched")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    started = []

    def start(*statuses, default=200):
        hook = Receiver(statuses, default)
        started.append(hook)
        return hook

    yield start
    for hook in started:
        hook.stop()


@pytest.fixture
def local_targets(settings):
    """The tests' receiver listens on 127.0.0.1, which only an allowed host may reach."""
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = LOCAL
    return settings


def _api(user=None):
    """`api_client(user)` speaking HTTPS, as production requires (no redirect to it)."""
    client = api_client(user)
    for verb in ("get", "post", "put", "patch", "delete"):
        setattr(client, verb, partial(getattr(client, verb), secure=True))
    return client


def _subscribe(url, events=(), actor=None, active=True):
    """A subscription stored directly, bypassing the URL check (as if the rules changed)."""
    return WebhookSubscription.objects.create(
        target_url=url, events=list(events), secret="s" * 40, active=active, created_by=actor
    )


def _rule(claim, editor, to="supported", expected="unverified"):
    return claim_set_status(
        claim=claim, to=to, expected=expected, note="Confirmed by two outlets.", actor=editor
    )


def _expected_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- Delivery, signature, retries ------------------------------------------------------------


def test_a_status_change_is_delivered_signed_retried_after_a_500_and_logged(
    local_targets, receiver, editor, journalist, django_capture_on_commit_callbacks
):
    local_targets.CLAIMTRACK_WEBHOOK_RETRY_BASE = 0  # the retry is due at once
    hook = receiver(500, 200)
    editor_api = _api(editor)
    created = editor_api.post(
        HOOKS, {"target_url": hook.url, "events": ["status.changed"]}, format="json"
    )
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    assert len(secret.encode()) >= 32
    claim = make_claim(journalist)

    with django_capture_on_commit_callbacks(execute=True):
        _rule(claim, editor)

    assert len(hook.requests) == 2  # a 500, then the retry answered 200
    delivery = WebhookDelivery.objects.get()
    for headers, body in hook.requests:
        assert headers["X-ClaimTrack-Signature"] == _expected_signature(secret, body)
        assert headers["X-ClaimTrack-Event"] == "status.changed"
        assert headers["X-ClaimTrack-Delivery"] == str(delivery.pk)
        assert headers["Content-Type"].startswith("application/json")
    assert hook.requests[0][1] == hook.requests[1][1]  # the same bytes each time

    payload = json.loads(hook.requests[0][1])
    assert payload["id"] == delivery.event_id
    assert payload["kind"] == "status.changed"
    assert payload["claim"] == claim.pk
    assert (payload["object_type"], payload["object_id"]) == ("claim", claim.pk)
    assert payload["actor"] == editor.username
    assert payload["before"]["status"] == "unverified"
    assert payload["after"]["status"] == "supported"
    assert payload["detail"]["note"] == "Confirmed by two outlets."
    assert set(payload) == {
        "id", "kind", "at", "claim", "object_type", "object_id", "actor", "before", "after",
        "detail",
    }  # fmt: skip

    listed = editor_api.get(f"{HOOKS}{created.json()['id']}/deliveries/")
    assert listed.status_code == 200
    [shown] = listed.json()["results"]
    assert shown["state"] == "delivered"
    assert shown["kind"] == "status.changed"
    assert shown["event"] == delivery.event_id
    assert shown["attempts"] == 2
    assert shown["delivered_at"] is not None
    assert shown["next_attempt_at"] is None
    log = shown["attempt_log"]
    assert [a["number"] for a in log] == [1, 2]
    assert [a["response_status"] for a in log] == [500, 200]
    assert [a["response_body"] for a in log] == ["try again later", "ok"]
    assert all(a["error"] == "" and a["duration_ms"] >= 0 for a in log)


def test_the_signature_is_the_hmac_of_the_exact_body():
    secret, body = "k" * 32, b'{"id":1,"kind":"claim.created"}'
    signature = webhook_signature(secret, body)
    assert signature == _expected_signature(secret, body)
    assert webhook_signature_valid(secret, body, signature)
    assert not webhook_signature_valid(secret, body + b" ", signature)
    assert not webhook_signature_valid("x" * 32, body, signature)


def test_attempts_back_off_exponentially_then_the_delivery_fails(
    local_targets, receiver, editor, journalist
):
    local_targets.CLAIMTRACK_WEBHOOK_RETRY_BASE = 10
    local_targets.CLAIMTRACK_WEBHOOK_RETRY_CAP = 30
    local_targets.CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS = 4
    hook = receiver(default=503)
    _subscribe(hook.url, events=["status.changed"])
    _rule(make_claim(journalist), editor)  # on-commit work does not run: we drive it
    delivery = WebhookDelivery.objects.get()

    waits = []
    for number in range(1, 5):
        before = timezone.now()
        outcome = webhook_deliver(delivery.pk)
        assert outcome.number == number
        assert webhook_deliver(delivery.pk) is None  # not due again yet: no extra attempt
        delivery.refresh_from_db()
        assert delivery.attempts == number
        if outcome.retry_in is None:
            break
        waits.append(outcome.retry_in)
        assert delivery.state == DeliveryState.PENDING
        assert delivery.next_attempt_at >= before + timedelta(seconds=outcome.retry_in)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert waits == [10, 20, 30]  # 10 s x 2^(n-1), capped at 30 s
    assert outcome.state == DeliveryState.FAILED
    assert delivery.state == DeliveryState.FAILED
    assert delivery.next_attempt_at is None
    assert len(hook.requests) == 4
    assert list(WebhookAttempt.objects.values_list("number", "response_status")) == [
        (1, 503),
        (2, 503),
        (3, 503),
        (4, 503),
    ]
    assert webhook_deliver(delivery.pk) is None  # finished for good


def test_the_default_schedule_doubles_from_10_seconds_up_to_an_hour(settings):
    settings.CLAIMTRACK_WEBHOOK_RETRY_BASE = 10
    settings.CLAIMTRACK_WEBHOOK_RETRY_CAP = 3600
    assert [retry_delay(n) for n in range(1, 11)] == [
        10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600,
    ]  # fmt: skip


def test_the_task_schedules_the_retry_for_later_instead_of_retrying_at_once(
    local_targets, receiver, editor, journalist, django_capture_on_commit_callbacks
):
    # Tasks run in-process in tests, so the re-sent task runs at once: it must see that
    # the next attempt is not due and leave it to its time.
    hook = receiver(default=500)
    _subscribe(hook.url)
    claim = make_claim(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        _rule(claim, editor)
    delivery = WebhookDelivery.objects.get(event__kind=EventKind.STATUS_CHANGED)
    assert len(hook.requests) == 1
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=5)


def test_the_sweep_sends_again_deliveries_whose_message_was_lost(
    local_targets, receiver, editor, journalist
):
    hook = receiver()
    _subscribe(hook.url, events=["status.changed"])
    _rule(make_claim(journalist), editor)  # the on-commit message is "lost"
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliveries_due(limit=10) == []  # not overdue yet
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    assert webhook_deliveries_due(limit=10) == [delivery.pk]

    assert sweep_webhook_deliveries.delay().get() == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(hook.requests) == 1
    assert deliver_webhook.delay(delivery.pk).get() is None  # delivered: nothing more


def test_a_paused_subscription_gives_up_its_pending_deliveries(
    local_targets, receiver, editor, journalist
):
    hook = receiver()
    subscription = _subscribe(hook.url)
    _rule(make_claim(journalist), editor)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
    for delivery in WebhookDelivery.objects.all():
        webhook_deliver(delivery.pk)
    assert hook.requests == []
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}


# --- Which events go where ---------------------------------------------------------------------


def test_deliveries_follow_each_subscriptions_kinds_and_are_never_owed_twice(editor, journalist):
    created_only = _subscribe("https://a.example.org/", events=["claim.created"])
    status_only = _subscribe("https://b.example.org/", events=["status.changed"])
    everything = _subscribe("https://c.example.org/")
    paused = _subscribe("https://d.example.org/", active=False)

    claim = make_claim(journalist)
    _rule(claim, editor)

    def kinds(subscription):
        return sorted(
            WebhookDelivery.objects.filter(subscription=subscription).values_list(
                "event__kind", flat=True
            )
        )

    assert kinds(created_only) == ["claim.created"]
    assert kinds(status_only) == ["status.changed"]
    assert kinds(everything) == ["claim.created", "status.changed"]
    assert kinds(paused) == []
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"pending"}

    event = WebhookDelivery.objects.filter(subscription=status_only).get().event
    assert webhook_deliveries_for(event) == []  # already owed: nothing new
    assert WebhookDelivery.objects.count() == 4


def test_a_new_claim_is_sent_with_no_before_and_its_state_after(
    local_targets, receiver, journalist, django_capture_on_commit_callbacks
):
    hook = receiver()
    _subscribe(hook.url, events=["claim.created"])
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(journalist, text="Meta will open-source its next model.")
    [(headers, body)] = hook.requests
    payload = json.loads(body)
    assert headers["X-ClaimTrack-Event"] == "claim.created"
    assert payload["before"] is None
    assert payload["after"]["id"] == claim.pk
    assert payload["after"]["text"] == "Meta will open-source its next model."
    assert payload["after"]["status"] == "unverified"


# --- Refused targets ---------------------------------------------------------------------------

INTERNAL = [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "http://192.168.1.20:8080/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
    "http://localhost:8000/hook",
]
NOT_HTTP = [
    "ftp://example.org/hook",
    "file:///etc/passwd",
    "gopher://example.org:70/",
    "javascript:alert(1)",
    "example.org/hook",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_targets_are_refused_when_subscribing(settings, editor, url):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    answer = _api(editor).post(HOOKS, {"target_url": url}, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert "private, loopback or reserved network" in error["details"]["target_url"][0]
    assert not WebhookSubscription.objects.exists()
    with pytest.raises(BlockedAddress):
        check_target(url)


@pytest.mark.parametrize("url", NOT_HTTP)
def test_other_schemes_are_refused(editor, url):
    answer = _api(editor).post(HOOKS, {"target_url": url}, format="json")
    assert answer.status_code == 400
    assert "Only http:// and https://" in answer.json()["error"]["details"]["target_url"][0]
    assert not WebhookSubscription.objects.exists()
    with pytest.raises(UnsafeTarget):
        safe_request("GET", url)


def test_a_public_address_and_an_allowed_host_pass_the_check(settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1", "[::1]"]
    assert check_target("https://93.184.215.14/hook") == ["93.184.215.14"]
    assert check_target("http://127.0.0.1:9000/hook") == []
    assert check_target("http://[::1]:9000/hook") == []
    with pytest.raises(BlockedAddress):
        check_target("http://localhost:9000/hook")  # allowing an address allows no name


def test_an_internal_target_is_refused_again_at_delivery_time(
    settings, receiver, editor, journalist, django_capture_on_commit_callbacks
):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = LOCAL
    hook = receiver()
    created = _api(editor).post(HOOKS, {"target_url": hook.url}, format="json")
    assert created.status_code == 201
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []  # allowed no longer
    claim = make_claim(journalist)

    with django_capture_on_commit_callbacks(execute=True):
        _rule(claim, editor)

    assert hook.requests == []  # nothing ever reached it
    delivery = WebhookDelivery.objects.get(event__kind="status.changed")
    assert delivery.state == DeliveryState.FAILED  # no point trying again
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_status is None
    assert attempt.error.startswith("Refused:")
    assert "127.0.0.1" in attempt.error


def test_redirects_are_checked_at_every_hop(settings, receiver):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = LOCAL
    hook = receiver()
    hook.redirect_to = "http://localhost:9/internal"
    answer = safe_request("GET", hook.url)  # redirects off: the 302 itself comes back
    assert answer.status_code == 302
    with pytest.raises(BlockedAddress):
        safe_request("GET", hook.url, allow_redirects=True)
    hook.redirect_to = "/elsewhere"  # same host, allowed
    assert safe_request("GET", hook.url, allow_redirects=True).status_code == 200


def test_the_hardened_client_refuses_internal_addresses_before_connecting(settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    for url in ("http://169.254.169.254/", "http://10.0.0.1/", "http://localhost:1/"):
        with pytest.raises(BlockedAddress):
            safe_request("POST", url, data=b"{}", timeout=(0.5, 0.5))


# --- The API: permissions, the secret, validation -----------------------------------------------


@pytest.fixture
def hook_url(local_targets):
    return "http://127.0.0.1:9/hook"  # never contacted: nothing changes in these tests


def test_anonymous_clients_are_refused_even_when_the_api_is_public(settings, hook_url):
    subscription = _subscribe(hook_url)
    settings.CLAIMTRACK_API_PUBLIC_READ = True
    anonymous = _api()
    assert anonymous.get(HOOKS).status_code == 401
    assert anonymous.get(f"{HOOKS}{subscription.pk}/").status_code == 401
    assert anonymous.get(f"{HOOKS}{subscription.pk}/deliveries/").status_code == 401
    answer = anonymous.post(HOOKS, {"target_url": hook_url}, format="json")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("role", ["reader", "journalist", "outsider"])
def test_only_editors_see_or_touch_webhooks(request, role, hook_url):
    subscription = _subscribe(hook_url)
    client = _api(request.getfixturevalue(role))
    one = f"{HOOKS}{subscription.pk}/"
    answers = [
        client.get(HOOKS),
        client.get(one),
        client.get(f"{one}deliveries/"),
        client.post(HOOKS, {"target_url": hook_url}, format="json"),
        client.patch(one, {"active": False}, format="json"),
        client.put(one, {"target_url": hook_url}, format="json"),
        client.delete(one),
    ]
    assert [answer.status_code for answer in answers] == [403] * 7
    assert answers[3].json()["error"]["code"] == "permission_denied"
    assert WebhookSubscription.objects.get().active


def test_an_editor_manages_a_subscription_and_sees_the_secret_only_once(editor, hook_url):
    client = _api(editor)
    given = "my-own-signing-secret-of-enough-length-1234"
    created = client.post(
        HOOKS,
        {"target_url": hook_url, "events": ["claims.merged", "status.changed"], "secret": given},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"] == given
    assert body["events"] == ["status.changed", "claims.merged"]  # in the feed's order
    assert body["active"] is True
    assert body["created_by"] == editor.username
    one = f"{HOOKS}{body['id']}/"

    listed = client.get(HOOKS)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["results"]] == [body["id"]]
    shown = client.get(one)
    assert shown.status_code == 200
    paused = client.patch(one, {"active": False}, format="json")
    assert paused.status_code == 200
    assert paused.json()["active"] is False
    replaced = client.put(one, {"target_url": hook_url + "/v2"}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["events"] == []  # a full replacement: every kind
    for answer in (listed.json()["results"][0], shown.json(), paused.json(), replaced.json()):
        assert "secret" not in answer
    assert given not in json.dumps(client.get(f"{one}deliveries/").json())

    refused = client.patch(one, {"secret": "another-secret-" + "x" * 32}, format="json")
    assert refused.status_code == 400
    assert "secret" in refused.json()["error"]["details"]
    assert WebhookSubscription.objects.get().secret == given

    assert client.delete(one).status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert client.get(one).status_code == 404


def test_a_generated_secret_is_random_and_long_enough(editor, hook_url):
    client = _api(editor)
    first = client.post(HOOKS, {"target_url": hook_url}, format="json").json()["secret"]
    second = client.post(HOOKS, {"target_url": hook_url}, format="json").json()["secret"]
    assert first != second
    assert len(first.encode()) >= 32
    assert WebhookSubscription.objects.filter(secret=first).exists()  # stored for signing


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"events": ["claim.deleted"]}, "events"),
        ({"events": "status.changed"}, "events"),
        ({"secret": "too-short"}, "secret"),
        ({"target_url": ""}, "target_url"),
    ],
)
def test_bad_subscriptions_are_400_with_the_field(editor, hook_url, fields, field):
    answer = _api(editor).post(HOOKS, {"target_url": hook_url, **fields}, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["details"]


def test_moving_a_subscription_to_an_internal_target_is_refused(editor, hook_url, settings):
    client = _api(editor)
    created = client.post(HOOKS, {"target_url": hook_url}, format="json").json()
    answer = client.patch(
        f"{HOOKS}{created['id']}/", {"target_url": "http://10.1.2.3/"}, format="json"
    )
    assert answer.status_code == 400
    assert "target_url" in answer.json()["error"]["details"]
    assert WebhookSubscription.objects.get().target_url == hook_url


def test_deliveries_can_be_listed_by_state(editor, journalist, hook_url):
    subscription = _subscribe(hook_url)
    _rule(make_claim(journalist), editor)
    client = _api(editor)
    url = f"{HOOKS}{subscription.pk}/deliveries/"
    pending = client.get(url, {"state": "pending"}).json()["results"]
    assert sorted(item["kind"] for item in pending) == ["claim.created", "status.changed"]
    assert all(item["attempts"] == 0 and item["attempt_log"] == [] for item in pending)
    assert client.get(url, {"state": "delivered"}).json()["results"] == []
    assert client.get(url, {"state": "lost"}).status_code == 400


def test_the_schema_documents_the_webhook_endpoints(editor):
    schema = _api(editor).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/webhooks/" in paths
    assert "/api/v1/webhooks/{id}/deliveries/" in paths
    create = paths["/api/v1/webhooks/"]["post"]
    assert {"201", "400", "401", "403"} <= set(create["responses"])
