"""The OpenAPI schema and its docs: the schema generates cleanly and is valid OpenAPI 3,
/api/schema/ and /api/docs/ are served (publicly: they describe the API, not its data),
the docs use only local static files, and every operation documents its errors, its
filters and, for the main ones, an example. The checks walk the schema and the URLconf,
so a new endpoint without these docs fails them."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.filters import OrderingFilter

from tests.conftest import api_client

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_REF = "#/components/schemas/Error"
# Answers any endpoint can give, documented for all of them at once (rest_errors): they
# say nothing about a given endpoint.
GENERIC = {"406", "413", "415"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


def _query_parameters(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


# --- Generated, valid, served --------------------------------------------------------------


def test_the_schema_generates_without_warnings_and_is_valid_openapi(tmp_path):
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.")


def test_the_schema_is_served_to_signed_in_and_anonymous_clients(editor, schema):
    for client in (api_client(editor), api_client()):
        response = client.get("/api/schema/", {"format": "json"}, secure=True)
        assert response.status_code == 200, response.content
        served = response.json()
        validate_schema(served)
        # The same schema the schemathesis run tests.
        assert {(p, m, o["operationId"]) for p, m, o in _operations(served)} == {
            (p, m, o["operationId"]) for p, m, o in _operations(schema)
        }
        assert served["components"]["schemas"].keys() == schema["components"]["schemas"].keys()
    yaml = api_client(editor).get("/api/schema/", secure=True)
    assert yaml.status_code == 200 and yaml.content.startswith(b"openapi: 3.")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def test_the_docs_load_only_local_static_files(editor):
    for client in (api_client(editor), api_client()):
        response = client.get("/api/docs/", secure=True)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = _Assets()
    assets.feed(html)
    prefix = static("")
    # The init script is the docs' own (a file, not inline, for the Content Security Policy).
    init_script = "/api/docs/?script="
    assert init_script in assets.urls
    assert "<script>" not in html and "<style>" not in html
    scripts = [url for url in assets.urls if url.endswith(".js")]
    assert any("swagger-ui-bundle" in url for url in scripts), assets.urls
    for url in assets.urls:
        if url == init_script:
            continue
        assert url.startswith(prefix), f"{url} is not one of the site's static files"
        assert finders.find(url.removeprefix(prefix)), f"{url} is missing from the static files"
    script = client.get(init_script, secure=True)
    assert script["Content-Type"].startswith("application/javascript")
    # Nor any address elsewhere in the page (a CDN, Swagger's online validator).
    for text in (html, script.content.decode()):
        assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", text), "docs load from elsewhere"
    assert '"validatorUrl": null' in script.content.decode()


# --- Every operation documented --------------------------------------------------------------


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    problems = []
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        for code, response in responses.items():
            if not code.startswith("4"):
                continue
            content = response.get("content", {})
            refs = {media["schema"].get("$ref") for media in content.values()}
            if not content or refs != {ERROR_REF}:
                problems.append(f"{where}: {code} is not documented as an Error")
        own = {code for code in responses if code.startswith("4")} - GENERIC
        if not own:
            problems.append(f"{where}: documents no 4xx answer of its own")
        if operation.get("security") and {"401", "403"} - own:
            problems.append(f"{where}: needs credentials but does not document 401 and 403")
        if "{" in path and "404" not in own:
            problems.append(f"{where}: names an object but does not document 404")
        if "requestBody" in operation and "400" not in own:
            problems.append(f"{where}: takes a body but does not document 400")
        if "requestBody" in operation and "415" not in responses:
            problems.append(f"{where}: takes a body but does not document 415")
    assert not problems, "\n".join(problems)


def _api_endpoints():
    """(path, method, view) of every DRF endpoint under /api/v1/ in the URLconf, with the
    path as the schema names it."""
    generator = SchemaGenerator()
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        if path.startswith("/api/v1/") and path != "/api/v1/":  # not the router's index
            yield path, method.lower(), view


def test_every_endpoint_of_the_api_is_in_the_schema(schema):
    endpoints = {(path, method) for path, method, _view in _api_endpoints()}
    assert len(endpoints) >= 30
    assert endpoints == {(path, method) for path, method, _op in _operations(schema)}


def test_every_list_documents_its_filters_ordering_and_paging(schema):
    problems = []
    reads = [(p, view) for p, method, view in _api_endpoints() if method == "get" and "{" not in p]
    assert len(reads) >= 8  # the walk found the lists
    for path, view in reads:
        documented = _query_parameters(schema["paths"][path]["get"])
        expected = set()
        filterset = getattr(view, "filterset_class", None)
        if filterset is not None:
            expected |= set(filterset.base_filters)
        backends = getattr(view, "filter_backends", ())
        if any(issubclass(backend, OrderingFilter) for backend in backends):
            expected.add("ordering")
        if getattr(view, "paginator", None) is not None:
            expected |= {"cursor", "page_size"}
        if expected - documented:
            problems.append(f"GET {path}: {sorted(expected - documented)} undocumented")
    assert not problems, "\n".join(problems)


def _has_example(content: dict, media_type: str = "application/json") -> bool:
    media = content.get(media_type, {})
    return bool(media.get("examples") or "example" in media)


def test_the_main_operations_have_examples(schema):
    """Every JSON read shows an example answer; every JSON write an example request."""
    problems = []
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        answer = operation["responses"].get("200", {}).get("content", {})
        if method == "get" and "application/json" in answer and not _has_example(answer):
            problems.append(f"{where}: no example answer")
        body = operation.get("requestBody", {}).get("content", {})
        if method == "post" and "application/json" in body and not _has_example(body):
            problems.append(f"{where}: no example request")
    assert not problems, "\n".join(problems)


def test_a_method_the_schema_does_not_list_answers_405_in_the_error_shape(schema, world, editor):
    client = api_client(editor)
    for path, operations in schema["paths"].items():
        url = path.replace("{id}", "1")
        documented = {method for method in operations if method in METHODS}
        for method in sorted(set(METHODS) - documented):
            response = getattr(client, method)(url, secure=True)
            where = f"{method.upper()} {path}"
            assert response.status_code == 405, f"{where}: {response.status_code}"
            assert response.json()["error"]["code"] == "method_not_allowed", where
            allowed = {name.strip().lower() for name in response["Allow"].split(",")}
            assert allowed - {"head", "options"} == documented, where
