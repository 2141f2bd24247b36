"""SSRF: every outbound request (article URLs, feeds, webhooks) goes through the one safe
client, `articles/safe_http.py`, and its wrapper for pages and feeds, `articles/fetching.py`.

The project's source is read with `ast`, and anything else that could open a connection to
an address someone typed is refused: importing a network client (socket, http.client,
urllib.request, httpx, aiohttp, ...), calling anything in `requests` or `urllib3` (naming
their exception classes is fine), trafilatura's downloaders, or feedparser on anything but
bytes (given a URL it would fetch it itself).

That the safe client refuses internal addresses is tested where each way in is:
tests/claims/test_webhooks.py (test_internal_targets_are_refused_when_subscribing,
test_an_internal_target_is_refused_again_at_delivery_time,
test_the_hardened_client_refuses_internal_addresses_before_connecting),
tests/articles/test_fetching.py (test_internal_addresses_and_other_schemes_are_refused,
test_a_second_dns_answer_cannot_swap_in_a_private_address, redirects),
tests/articles/test_feeds.py (test_an_address_that_cannot_be_followed_is_refused,
test_a_link_to_a_private_address_fails_its_entry_and_not_the_poll) and
tests/articles/test_ingest.py (test_a_private_address_is_refused).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["articles", "claims", "claimtrack"]
SAFE_CLIENT = "articles/safe_http.py"
WRAPPER = "articles/fetching.py"

# Modules that open connections: only the safe client may import them.
NETWORK_MODULES = {
    "socket", "ssl", "http.client", "urllib.request", "httpx", "aiohttp", "pycurl",
    "ftplib", "telnetlib", "smtplib", "xmlrpc.client", "requests_hardened",
    "trafilatura.downloads", "trafilatura.spider", "trafilatura.sitemaps", "trafilatura.feeds",
}  # fmt: skip
# Modules whose exception classes may be named anywhere, but nothing called.
CLIENT_LIBRARIES = {"requests", "urllib3"}
TRAFILATURA_FETCHERS = {"fetch_url", "fetch_response", "focused_crawler", "sitemap_search"}


def _module_of(name: str) -> str:
    return name.split(".")[0]


def _is_network_module(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in NETWORK_MODULES)


def violations(source: str, relative: str) -> list[str]:
    """What in `source` (the file at `relative`) could reach the network around the safe
    client; empty when nothing."""
    if relative == SAFE_CLIENT:
        return []
    tree = ast.parse(source)
    found = []
    aliases = {}  # local name -> dotted name it was imported as

    def where(node) -> str:
        return f"{relative}:{node.lineno}"

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
                if _is_network_module(alias.name):
                    found.append(f"{where(node)} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = dotted
                if _is_network_module(node.module) or _is_network_module(dotted):
                    found.append(f"{where(node)} imports {dotted}")
                elif node.module == "trafilatura" and alias.name in TRAFILATURA_FETCHERS:
                    found.append(f"{where(node)} imports trafilatura's {alias.name}")

    def dotted_name(expr) -> str | None:
        parts = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        parts.append(aliases.get(expr.id, expr.id))
        return ".".join(reversed(parts))

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = dotted_name(node.func) or ""
        if _module_of(called) in CLIENT_LIBRARIES and relative != WRAPPER:
            found.append(f"{where(node)} calls {called}")
        if _is_network_module(called):
            found.append(f"{where(node)} calls {called}")
        if called.startswith("trafilatura.") and called.split(".")[-1] in TRAFILATURA_FETCHERS:
            found.append(f"{where(node)} calls {called}")
        if called == "asyncio.open_connection":
            found.append(f"{where(node)} calls {called}")
        if called == "feedparser.parse":
            first = node.args[0] if node.args else None
            given_bytes = (isinstance(first, ast.Constant) and isinstance(first.value, bytes)) or (
                isinstance(first, ast.Call) and (dotted_name(first.func) or "") == "io.BytesIO"
            )
            if not given_bytes:
                found.append(f"{where(node)} calls feedparser.parse on something not bytes")
    return found


def _sources():
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_nothing_reaches_the_network_around_the_safe_client():
    scanned = dict(_sources())
    assert SAFE_CLIENT in scanned and WRAPPER in scanned and len(scanned) > 50
    found = [problem for path, text in scanned.items() for problem in violations(text, path)]
    assert not found, "outbound requests must go through articles/safe_http.py:\n" + "\n".join(
        found
    )


def test_the_fetchers_do_go_through_the_safe_client():
    """The three ways out use it: pages and feeds through fetching.py, webhooks directly."""
    uses = {
        "articles/fetching.py": "articles.safe_http",
        "articles/feeds.py": "articles.fetching",
        "articles/ingest.py": "articles.fetching",
        "claims/webhooks.py": "articles.safe_http",
    }
    for path, module in uses.items():
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}  # fmt: skip
        assert module in imported, f"{path} does not use {module}"


# The scan itself catches what it should (and lets through what it should).
CAUGHT = {
    "import socket\nsocket.create_connection(('10.0.0.1', 80))": 2,
    "from socket import create_connection": 1,
    "import requests\nrequests.get(url)": 1,
    "import requests as r\nr.Session().get(url)": 1,
    "from requests import post\npost(url)": 1,
    "import urllib.request\nurllib.request.urlopen(url)": 2,
    "from urllib.request import urlopen": 1,
    "import http.client": 1,
    "import httpx": 1,
    "import urllib3\nurllib3.PoolManager().request('GET', url)": 1,
    "import trafilatura\ntrafilatura.fetch_url(url)": 1,
    "from trafilatura import fetch_url": 1,
    "from trafilatura.downloads import fetch_response": 1,
    "import feedparser\nfeedparser.parse(url)": 1,
    "import feedparser\nfeedparser.parse('https://example.org/rss')": 1,
}
LET_THROUGH = [
    "import requests\ntry:\n    pass\nexcept requests.RequestException:\n    pass",
    "import urllib3\nerror = urllib3.exceptions.HTTPError",
    "import io, feedparser\nfeedparser.parse(io.BytesIO(body))",
    "import trafilatura\ntrafilatura.bare_extraction(html)",
    "from urllib.parse import urlsplit\nurlsplit(url)",
]


def test_the_scan_catches_each_way_around_the_safe_client():
    for source, count in CAUGHT.items():
        assert len(violations(source, "claims/new.py")) == count, source
    for source in LET_THROUGH:
        assert violations(source, "claims/new.py") == [], source
    assert violations("import socket", SAFE_CLIENT) == []
