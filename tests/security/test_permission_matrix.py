"""Who may do what, generated from the URL configuration: every URL pattern of the site
(pages, accounts, admin, API, feeds, schema and docs) x every method its view offers x
every role answers as RULES says. A pattern without a rule, or a method without one, fails
`test_every_url_and_method_has_a_rule`: a new endpoint must say who may use it.

Outcomes are classes of answers, not exact codes: SIGN_IN is a 401 in the API (and the
Atom feed) and a redirect to a sign-in page in the pages; DENIED a 403; HIDDEN a 404; OK
anything the view itself answers (the bodies sent are empty, so a write that is allowed
usually answers 400: what matters here is that it got past the permission checks).
Each request runs in a savepoint that is rolled back, so one role's world serves every
request. The hand-written API cases with real bodies are in tests/api/test_permissions.py.
"""

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize
from rest_framework.test import APIClient

from articles.jobs import job_create
from articles.models import Feed, SourceKind
from articles.services import source_get_or_create
from claims.models import Suggestion, WebhookSubscription
from claims.services import appearance_create, evidence_propose
from claimtrack.rest import AnonThrottle, UserThrottle
from tests.conftest import token_key
from tests.factories import make_article, make_claim

ROLES = ["anonymous", "outsider", "reader", "journalist", "editor", "admin"]
METHODS = ["get", "post", "put", "patch", "delete"]

OK, SIGN_IN, DENIED, HIDDEN = "ok", "sign-in", "denied", "hidden"
# Let in, whatever the page then says (the admin's own choices: a read-only model's "add"
# page is a 403 even for a superuser, a model without a public page has no "view on site").
ADMITTED = "admitted"


def who(anonymous, outsider, reader, journalist, editor, admin) -> dict:
    return dict(zip(ROLES, [anonymous, outsider, reader, journalist, editor, admin], strict=True))


PUBLIC = who(OK, OK, OK, OK, OK, OK)
SIGNED_IN = who(SIGN_IN, OK, OK, OK, OK, OK)
READ = who(SIGN_IN, DENIED, OK, OK, OK, OK)  # readers, journalists, editors
WRITE = who(SIGN_IN, DENIED, DENIED, OK, OK, OK)  # journalists and editors
EDITORS = who(SIGN_IN, DENIED, DENIED, DENIED, OK, OK)
SUPERUSER = who(SIGN_IN, DENIED, DENIED, DENIED, DENIED, OK)
STAFF = who(SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, ADMITTED)  # others are sent to sign in
OWN_JOB = who(SIGN_IN, HIDDEN, HIDDEN, OK, HIDDEN, OK)  # the journalist started the job
NOWHERE = who(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
SIGNS_OUT = who(SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN)  # lands on sign-in


@dataclass
class Rule:
    methods: dict  # method -> {role: outcome}
    values: dict = field(default_factory=dict)  # URL parameter -> key of the world, or text


def rule(values=None, **methods) -> Rule:
    return Rule(methods=methods, values=values or {})


# Keyed by the pattern's name ("namespace:name"; "api:name" for the API's, whose names
# would clash with the pages'), or by its route when it has no name.
RULES = {
    # --- Accounts (django.contrib.auth.urls) ---
    "login": rule(get=PUBLIC, post=PUBLIC, put=PUBLIC),
    "logout": rule(post=SIGNS_OUT),
    "password_change": rule(get=SIGNED_IN, post=SIGNED_IN, put=SIGNED_IN),
    "password_change_done": rule(get=SIGNED_IN),
    "password_reset": rule(get=PUBLIC, post=PUBLIC, put=PUBLIC),
    "password_reset_done": rule(get=PUBLIC),
    "password_reset_confirm": rule(
        {"uidb64": "MQ", "token": "set-password"}, get=PUBLIC, post=PUBLIC, put=PUBLIC
    ),
    "password_reset_complete": rule(get=PUBLIC),
    "healthz": rule(get=PUBLIC),
    # --- Pages ---
    "dashboard": rule(get=READ),
    "claims:list": rule(get=READ),
    "claims:detail": rule({"pk": "claim"}, get=READ),
    "claims:set-status": rule({"pk": "claim"}, post=EDITORS),
    "claims:merge": rule({"pk": "claim"}, post=EDITORS),
    "claims:similar": rule(get=READ),
    "claims:log": rule({"pk": "article"}, get=WRITE, post=WRITE),
    "claims:suggestion-decision": rule({"pk": "suggestion", "decision": "dismiss"}, post=WRITE),
    "claims:review": rule(get=READ),
    "claims:review-bulk": rule(post=EDITORS),
    "claims:review-decision": rule({"pk": "evidence"}, post=EDITORS),
    "articles:list": rule(get=READ),
    "articles:add": rule(get=WRITE, post=WRITE, put=WRITE),
    "articles:add-url": rule(post=WRITE),
    "articles:upload": rule(post=WRITE),
    "articles:sources": rule(get=READ),
    "articles:job": rule({"pk": "job"}, get=OWN_JOB),
    "articles:source-options": rule(get=READ),
    "articles:feeds": rule(get=READ, post=WRITE),
    "articles:feed": rule({"pk": "feed"}, get=READ),
    "articles:feed-poll": rule({"pk": "feed"}, post=WRITE),
    "article-detail": rule({"pk": "article"}, get=READ),
    "source-detail": rule({"pk": "source"}, get=READ),
    "status-changes-feed": rule(get=READ),
    # --- API ---
    "api:api-root": rule(get=SIGNED_IN),  # the list of endpoints, no data
    "api:api-schema": rule(get=PUBLIC),
    "api:api-docs": rule(get=PUBLIC),
    "api:api-token": rule(post=PUBLIC),
    r"^api/v1/[\s\S]+/$": rule(get=NOWHERE, post=NOWHERE),
    "api:articles-ingest": rule(post=WRITE),
    "api:changes": rule(get=READ),
    "api:article-suggestions": rule({"pk": "article"}, get=READ),
    "api:suggestion-accept": rule({"pk": "suggestion"}, post=WRITE),
    "api:suggestion-dismiss": rule({"pk": "suggestion"}, post=WRITE),
    "api:article-list": rule(get=READ, post=WRITE),
    "api:article-detail": rule({"pk": "article"}, get=READ, put=WRITE, patch=WRITE),
    "api:source-list": rule(get=READ, post=WRITE),
    "api:source-detail": rule({"pk": "source"}, get=READ, put=WRITE, patch=WRITE),
    "api:feed-list": rule(get=READ, post=WRITE),
    "api:feed-detail": rule({"pk": "feed"}, get=READ, patch=WRITE, delete=SUPERUSER),
    "api:feed-entries": rule({"pk": "feed"}, get=READ),
    "api:feed-poll": rule({"pk": "feed"}, post=WRITE),
    "api:claim-list": rule(get=READ, post=WRITE),
    "api:claim-export": rule(get=READ),
    "api:claim-import-csv": rule(post=WRITE),
    "api:claim-detail": rule({"pk": "claim"}, get=READ, put=WRITE, patch=WRITE),
    "api:claim-history": rule({"pk": "claim"}, get=READ),
    "api:claim-set-status": rule({"pk": "claim"}, post=EDITORS),
    "api:appearance-list": rule(get=READ, post=WRITE),
    "api:appearance-detail": rule({"pk": "appearance"}, get=READ, put=WRITE, patch=WRITE),
    "api:evidence-list": rule(get=READ, post=WRITE),
    "api:evidence-detail": rule({"pk": "evidence"}, get=READ),
    "api:evidence-review": rule({"pk": "evidence"}, post=EDITORS),
    "api:webhook-list": rule(get=EDITORS, post=EDITORS),
    "api:webhook-detail": rule(
        {"pk": "webhook"}, get=EDITORS, put=EDITORS, patch=EDITORS, delete=EDITORS
    ),
    "api:webhook-deliveries": rule({"pk": "webhook"}, get=EDITORS),
    "api:job-list": rule(get=SIGNED_IN),
    "api:job-detail": rule({"pk": "job"}, get=OWN_JOB),
}

# The admin checks staff once for all its views (AdminSite.admin_view), so a model newly
# registered is covered by this rule: staff only, everyone else is sent to sign in.
ADMIN_RULE = rule(get=STAFF)
ADMIN_EXCEPTIONS = {
    "admin:login": rule(get=PUBLIC),  # the admin's sign-in page
    # Staff are signed out (and land on the sign-in page); others are sent to the index.
    "admin:logout": rule(post=who(OK, OK, OK, OK, OK, SIGN_IN)),
    "(?P<url>.*)$": rule({"url": "no-such-page/"}, get=STAFF),
}


# --- Walking the URL configuration ------------------------------------------------------


@dataclass
class Endpoint:
    key: str  # the name with its namespace, or the route when unnamed
    pieces: list  # the patterns from the root to it
    callback: object
    namespace: str

    @property
    def route(self) -> str:
        return "".join(str(piece) for piece in self.pieces)

    @property
    def api(self) -> bool:
        """Answers like the API (401 for no credentials), not like the pages."""
        return self.route.startswith(("api/v1", "^api/v1", "feeds/"))

    def methods(self) -> set[str] | None:
        """The methods the view offers, or None when a plain function does not say."""
        callback = self.callback
        actions = getattr(callback, "actions", None)  # a DRF viewset's routes
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if view is None:
            return None
        allowed = set(view.http_method_names) & set(METHODS)
        if actions is not None:
            return set(actions) & allowed
        return {method for method in allowed if hasattr(view, method)}


def _walk(patterns, pieces=(), namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _walk(pattern.url_patterns, (*pieces, pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            every = (*pieces, pattern.pattern)
            route = "".join(str(piece) for piece in every)
            if route.startswith(("api/", "^api/")) and pattern.name:
                key = f"api:{pattern.name}"
            elif pattern.name:
                key = ":".join(filter(None, [namespace, pattern.name]))
            else:  # the admin's unnamed patterns by their own piece; others by route
                key = str(pattern.pattern) if namespace == "admin" else route
            yield Endpoint(key, list(every), pattern.callback, namespace)


def endpoints() -> list[Endpoint]:
    return list(_walk(get_resolver().url_patterns))


def rule_for(endpoint: Endpoint) -> Rule | None:
    if endpoint.namespace == "admin":
        return ADMIN_EXCEPTIONS.get(endpoint.key, ADMIN_RULE)
    return RULES.get(endpoint.key)


def _url(endpoint: Endpoint, values: dict) -> str:
    """A concrete URL of the endpoint: each pattern piece filled in with `values`."""
    path = ""
    for piece in endpoint.pieces:
        if isinstance(piece, RoutePattern):
            converters = piece.converters

            def fill(match, converters=converters):
                name = match.group(1)
                value = values[name]
                return str(converters[name].to_url(value) if name in converters else value)

            path += re.sub(r"<(?:\w+:)?(\w+)>", fill, str(piece))
        else:
            template, names = normalize(piece.regex.pattern)[0]
            path += template % {name: values[name] for name in names}
    return "/" + path


# --- The world, and the roles ---------------------------------------------------------------


def _world(users) -> dict:
    journalist, editor = users["journalist"], users["editor"]
    text = "Meta released LLaMA 2 on Tuesday. The model is free for research, it said."
    article = make_article(title="LLaMA 2 is out", text=text)
    later = make_article(title="Licence row", text="Critics say the licence is not open.")
    claim = make_claim(journalist, text="LLaMA 2 is free for research.", kind="fact")
    source = source_get_or_create(name="Meta", kind=SourceKind.ORGANISATION)
    start = text.index("The model")
    appearance = appearance_create(
        claim=claim, article=article, start=start, end=start + 30, speaker=source, actor=journalist
    )
    evidence, _ = evidence_propose(
        claim=claim, article=later, stance="refutes", score=0.7, actor=journalist
    )
    suggestion = Suggestion.objects.create(
        article=article, start=0, end=33, quote=text[:33], score=0.8, kind="fact",
        wording="Meta released LLaMA 2.", engine_version="test",
    )  # fmt: skip
    feed = Feed.objects.create(url="https://feeds.example.org/rss.xml", created_by=journalist)
    webhook = WebhookSubscription.objects.create(
        target_url="https://hooks.example.org/claims", events=[], secret="s" * 40, created_by=editor
    )
    job = job_create(kind="ingest-url", actor=journalist, source="https://example.org/a")
    return {
        "claim": claim.pk, "article": article.pk, "source": source.pk,
        "appearance": appearance.pk, "evidence": evidence.pk, "suggestion": suggestion.pk,
        "feed": feed.pk, "webhook": webhook.pk, "job": job.pk,
    }  # fmt: skip


def _admin_values(endpoint: Endpoint, users) -> dict:
    """Parameters of an admin URL: the first object of the model it is about (its piece
    is "app_label/model_name/"), else the admin user; a claim for "view on site"."""
    claim_model = apps.get_model("claims", "claim")
    model = None
    for piece in map(str, endpoint.pieces):
        if match := re.fullmatch(r"(\w+)/(\w+)/", piece):
            with contextlib.suppress(LookupError):  # password_change/done/ is no model
                model = apps.get_model(*match.groups())
    first = model.objects.order_by("pk").first() if model is not None else None
    return {
        "app_label": "claims",
        "object_id": first.pk if first is not None else claim_model.objects.first().pk,
        "content_type_id": ContentType.objects.get_for_model(claim_model).pk,
        "id": users["admin"].pk,
    }


def _one_object_admin_page(endpoint: Endpoint) -> bool:
    """An admin page of one object, or the add form. The same check (admin_view) lets the
    superuser into them as into the model's list, so for the superuser, whom they admit
    anyway, the lists stand for them: rendering them all would only slow this down. The
    other roles are still checked on every one."""
    if endpoint.namespace != "admin":
        return False
    return not endpoint.key.startswith("admin:") or bool(
        re.fullmatch(r"admin:\w+_(add|change|history|delete)", endpoint.key)
    )


class _Client:
    """A role's client: a session for the pages, a token for the API (the read-only
    reader's token in particular), nothing for anonymous."""

    def __init__(self, role, user):
        self.role, self.user = role, user
        # A server error is an answer to report with the others, not an exception.
        self.pages = APIClient(raise_request_exception=False)
        self.api = APIClient(raise_request_exception=False)
        if user is not None:
            self.pages.force_login(user)
            self.api.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}")

    def send(self, endpoint: Endpoint, method: str, url: str):
        client = self.api if endpoint.api else self.pages
        kwargs = {"secure": True}
        if endpoint.api and method != "get":
            kwargs["format"] = "json"
        with transaction.atomic():
            response = getattr(client, method)(url, {}, **kwargs)
            transaction.set_rollback(True)
        if self.user is not None and endpoint.key in {"logout", "admin:logout"}:
            self.pages.force_login(self.user)
        return response


SIGN_IN_PAGES = {"/accounts/login/", "/admin/login/"}


def outcome(response, api: bool) -> str:
    code = response.status_code
    if code == 401 and api:
        return SIGN_IN
    if code in {301, 302} and urlsplit(response["Location"]).path in SIGN_IN_PAGES:
        return SIGN_IN
    if code == 403:
        return DENIED
    if code == 404:
        return HIDDEN
    if code < 500 and code not in {401, 405}:
        return OK
    return f"status {code}"


# --- The tests ------------------------------------------------------------------------------


def test_every_url_and_method_has_a_rule():
    problems, unused = [], set(RULES)
    for endpoint in endpoints():
        found = rule_for(endpoint)
        unused.discard(endpoint.key)
        if found is None:
            problems.append(f"new endpoint without a rule: {endpoint.key} ({endpoint.route})")
            continue
        offered = endpoint.methods()
        if endpoint.namespace != "admin" and offered not in (None, set(found.methods)):
            problems.append(
                f"{endpoint.key}: the view offers {sorted(offered)}, "
                f"the rule covers {sorted(found.methods)}"
            )
    assert not problems, "\n".join(problems)
    assert not unused, f"rules for endpoints that no longer exist: {sorted(unused)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_its_rule_says(
    role, outsider, reader, journalist, editor, django_user_model, monkeypatch
):
    # The throttles are not what this checks (a role sends hundreds of requests here).
    monkeypatch.setattr(UserThrottle, "allow_request", lambda *args: True)
    monkeypatch.setattr(AnonThrottle, "allow_request", lambda *args: True)
    boss = django_user_model.objects.create_superuser("boss", password="pw")
    users = {
        "outsider": outsider,
        "reader": reader,
        "journalist": journalist,
        "editor": editor,
        "admin": boss,
    }
    world = _world(users)
    client = _Client(role, users.get(role))
    wrong, checked = [], 0
    for endpoint in endpoints():
        found = rule_for(endpoint)
        assert found is not None, endpoint.key  # test_every_url_and_method_has_a_rule
        if role == "admin" and _one_object_admin_page(endpoint):
            continue
        values = {"format": "json"}
        if endpoint.namespace == "admin":
            values.update(_admin_values(endpoint, users))
        values.update({k: world.get(v, v) for k, v in found.values.items()})
        url = _url(endpoint, values)
        for method, expected in found.methods.items():
            response = client.send(endpoint, method, url)
            got = outcome(response, endpoint.api)
            checked += 1
            if got != expected[role] and not (
                expected[role] == ADMITTED and got in {OK, DENIED, HIDDEN}
            ):
                wrong.append(
                    f"{method.upper()} {url} ({endpoint.key}): {got}, not {expected[role]}"
                )
    assert not wrong, f"{len(wrong)} of {checked} answers for {role}:\n" + "\n".join(wrong)
    assert checked > 150
