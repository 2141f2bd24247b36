"""Fetching pages safely: redirects hop by hop, refusal of internal addresses at every
hop, the size cap while streaming, timeouts, content types, conditional requests and
decoding, against a local HTTP server."""

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from articles.fetching import FEED_TYPES, Fetched, FetchError, decode_text, fetch

PAGES = Path(__file__).parent / "pages"
HTML = "text/html; charset=utf-8"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up on purpose (the size cap) is not a failure here


class Site:
    """A small web site on 127.0.0.1. Each route is a method of the handler below,
    chosen by the first part of the path; it records every request it receives."""

    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        self.streamed = 0  # bytes the endless route managed to send
        self.stream_ended = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                parts = urlsplit(self.path)
                route, _, rest = parts.path.strip("/").partition("/")
                self.rest = rest
                self.query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                getattr(self, "route_" + route.replace("-", "_"), self.route_missing)()

            # --- helpers
            def answer(self, status, body=b"", content_type=HTML, headers=()):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def redirect(self, location, status=302):
                self.answer(status, b"", content_type=None, headers=[("Location", location)])

            # --- routes
            def route_missing(self):
                self.answer(404, b"<h1>Not here</h1>")

            def route_page(self):
                name = self.rest or "boilerplate.html"
                content_type = self.query.get("type", HTML)
                etag = '"v1"'
                if self.headers.get("If-None-Match") == etag or self.headers.get(
                    "If-Modified-Since"
                ):
                    self.answer(304, b"", content_type=None, headers=[("ETag", etag)])
                    return
                self.answer(
                    200,
                    page(name),
                    content_type=content_type,
                    headers=[("ETag", etag), ("Last-Modified", "Tue, 13 Feb 2024 10:00:00 GMT")],
                )

            def route_bytes(self):
                body = self.query.get("body", "<html><body>x</body></html>").encode()
                self.answer(200, body, content_type=self.query.get("type") or None)

            def route_hop(self):
                left = int(self.rest)
                if left == 0:
                    self.redirect("/page/amp.html", status=308)
                else:
                    statuses = (301, 302, 303, 307, 308)
                    self.redirect(f"/hop/{left - 1}", status=statuses[left % 5])

            def route_loop(self):
                self.redirect("/loop")

            def route_to(self):
                self.redirect(self.query["url"])

            def route_accented(self):
                # A UTF-8 Location, sent as raw bytes (http.server writes Latin-1).
                location = "/page/boilerplate.html?q=café"
                self.redirect(location.encode("utf-8").decode("latin-1"))

            def route_status(self):
                self.answer(int(self.rest), b"<h1>Sorry</h1>")

            def route_gzip(self):
                body = gzip.compress(page("boilerplate.html"))
                self.answer(200, body, headers=[("Content-Encoding", "gzip")])

            def route_bomb(self):
                body = gzip.compress(b"<p>" + b"0" * (20 * 1024 * 1024), compresslevel=9)
                self.answer(200, body, headers=[("Content-Encoding", "gzip")])

            def route_endless(self):
                # Chunked, no Content-Length, and no end: only the client can stop it.
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"news " * 2000 + b"</p>\n"
                try:
                    while site.streamed < 200 * 1024 * 1024:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        site.streamed += len(chunk)
                except OSError:
                    pass
                finally:
                    site.stream_ended.set()

            def route_huge(self):
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", str(10 * 1024**3))
                self.end_headers()
                self.wfile.write(b"<html><body>")

            def route_slow(self):
                time.sleep(1.0)
                self.answer(200, page("boilerplate.html"))

            def route_stall(self):
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b"<html><body><p>The first part arrives")
                self.wfile.flush()
                time.sleep(1.0)

            def route_drip(self):
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                try:
                    for _ in range(40):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def site():
    running = Site()
    yield running
    running.stop()


@pytest.fixture
def local(settings):
    """The tests' site is on 127.0.0.1, which only an allowed host may reach; timeouts
    are short so that a failing test fails fast."""
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CLAIMTRACK_FETCH_CONNECT_TIMEOUT = 2.0
    settings.CLAIMTRACK_FETCH_READ_TIMEOUT = 2.0
    return settings


def refused(url, code, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    assert caught.value.code == code, caught.value
    assert str(caught.value) == caught.value.message
    return caught.value


# --- A page, as bytes with what came with it -------------------------------------------------


def test_a_page_comes_back_as_bytes_with_its_headers(site, local):
    url = site.url("/page/boilerplate.html")
    fetched = fetch(url)

    assert isinstance(fetched, Fetched)
    assert fetched.url == fetched.final_url == url
    assert fetched.redirects == ()
    assert (fetched.status, fetched.content_type, fetched.charset) == (200, "text/html", "utf-8")
    assert fetched.body == page("boilerplate.html")
    assert not fetched.not_modified
    assert fetched.etag == '"v1"'
    assert fetched.last_modified == "Tue, 13 Feb 2024 10:00:00 GMT"
    assert fetched.headers["content-type"] == HTML  # any case
    assert "Ferry fares to rise 12%" in fetched.text()
    sent = site.requests[0][1]
    assert "text/html" in sent["Accept"]
    assert sent["User-Agent"].startswith("ClaimTrack")


def test_a_compressed_page_is_decompressed(site, local):
    assert fetch(site.url("/gzip")).body == page("boilerplate.html")


def test_plain_text_is_accepted(site, local):
    fetched = fetch(site.url("/page/plain.txt?type=text/plain"))
    assert fetched.content_type == "text/plain"
    assert "Library opening hours" in fetched.text()


# --- Redirects ---------------------------------------------------------------------------------


def test_a_redirect_chain_is_followed_hop_by_hop(site, local):
    fetched = fetch(site.url("/hop/4"))

    assert fetched.status == 200
    assert fetched.final_url == site.url("/page/amp.html")
    assert fetched.redirects == tuple(site.url(f"/hop/{n}") for n in (4, 3, 2, 1, 0))
    assert site.paths() == ["/hop/4", "/hop/3", "/hop/2", "/hop/1", "/hop/0", "/page/amp.html"]
    assert fetched.body == page("amp.html")


def test_more_redirects_than_the_limit_are_refused(site, local):
    error = refused(site.url("/hop/6"), FetchError.TOO_MANY_REDIRECTS)
    assert "more than 5 times" in error.message
    assert len(site.requests) == 6  # the first request and five redirects, no more

    refused(site.url("/hop/1"), FetchError.TOO_MANY_REDIRECTS, max_redirects=1)
    assert fetch(site.url("/hop/1"), max_redirects=2).status == 200
    refused(site.url("/loop"), FetchError.TOO_MANY_REDIRECTS)


def test_a_redirect_to_a_non_ascii_address_is_followed(site, local):
    fetched = fetch(site.url("/accented"))
    assert fetched.final_url == site.url("/page/boilerplate.html?q=café")
    assert site.paths()[-1] == "/page/boilerplate.html?q=caf%C3%A9"


def test_the_redirect_limit_comes_from_settings(site, local):
    local.CLAIMTRACK_FETCH_MAX_REDIRECTS = 1
    refused(site.url("/hop/1"), FetchError.TOO_MANY_REDIRECTS)


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/admin",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://localhost:{port}/page/boilerplate.html",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
    ],
)
def test_a_redirect_from_an_allowed_host_to_an_internal_one_is_refused(site, local, target):
    target = target.format(port=site.port)
    error = refused(site.url(f"/to?url={target}"), FetchError.BLOCKED)
    assert error.message.startswith("The address redirects to ")
    assert len(site.requests) == 1  # the redirect was never followed, not even to us


def test_a_redirect_to_a_host_that_resolves_to_a_private_address_is_refused(
    site, local, monkeypatch
):
    fake_dns(monkeypatch, {"wire.example": ["10.9.8.7"]})
    error = refused(site.url("/to?url=http://wire.example/story"), FetchError.BLOCKED)
    assert error.message == (
        "The address redirects to wire.example, which is on a private or internal network, "
        "so ClaimTrack will not fetch it."
    )


# --- Internal addresses ------------------------------------------------------------------------


def fake_dns(monkeypatch, table: dict[str, list[str]]):
    """Answer getaddrinfo from `table`; other names do not resolve. Literal addresses are
    answered as themselves, as the real resolver does."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            answers = table[host]
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port or 80),
                )
                for address in answers
            ]
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in str(host) else socket.AF_INET, host)
        except (OSError, TypeError):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "ftp://ftp.example.org/file.txt",
        "javascript:alert(1)",
        "news.example/article",
        "http://[::1/",
        "http://news.example:99999/",
        "",
    ],
)
def test_internal_addresses_and_other_schemes_are_refused(settings, url):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    settings.CLAIMTRACK_FETCH_CONNECT_TIMEOUT = 0.5
    error = refused(url, FetchError.BLOCKED)
    assert error.message


def test_loopback_is_refused_unless_allowed(site, settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    error = refused(site.url("/page/boilerplate.html"), FetchError.BLOCKED)
    assert "127.0.0.1" in error.message
    assert "private or internal network" in error.message
    refused(f"http://localhost:{site.port}/page/boilerplate.html", FetchError.BLOCKED)
    assert site.requests == []  # no connection was ever made

    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch(site.url("/page/boilerplate.html")).status == 200
    # Allowing an address allows that address only, not a name that resolves to it.
    refused(f"http://localhost:{site.port}/page/boilerplate.html", FetchError.BLOCKED)


def test_a_name_that_resolves_to_a_private_address_is_refused(settings, monkeypatch):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    fake_dns(monkeypatch, {"intranet.news.example": ["93.184.215.14", "10.20.30.40"]})
    error = refused("https://intranet.news.example/wiki", FetchError.BLOCKED)
    assert "intranet.news.example" in error.message


def test_a_second_dns_answer_cannot_swap_in_a_private_address(settings, monkeypatch):
    """DNS rebinding: the check sees a public address, the connection would see a private
    one. The safe client checks the address it connects to, and refuses."""
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    settings.CLAIMTRACK_FETCH_CONNECT_TIMEOUT = 0.5
    answers = iter([["93.184.215.14"]])

    def getaddrinfo(host, port, *args, **kwargs):
        address = next(answers, ["10.0.0.5"])[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    refused("http://rebind.example/", FetchError.BLOCKED)


def test_an_unknown_host_is_unreachable(settings, monkeypatch):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = []
    fake_dns(monkeypatch, {})
    error = refused("https://no-such-paper.example/story", FetchError.UNREACHABLE)
    assert "no-such-paper.example" in error.message


def test_a_refused_connection_is_unreachable(local):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused(f"http://127.0.0.1:{port}/", FetchError.UNREACHABLE)


# --- Size -----------------------------------------------------------------------------------


def test_a_stream_past_the_cap_is_abandoned_as_soon_as_it_passes(site, local):
    started = time.monotonic()
    error = refused(site.url("/endless"), FetchError.TOO_LARGE, max_bytes=256 * 1024)
    assert error.message == "The page is larger than 256 KB."
    assert time.monotonic() - started < 3
    # The server notices the client has gone long before it could send everything.
    assert site.stream_ended.wait(5)
    assert site.streamed < 50 * 1024 * 1024


def test_a_declared_length_above_the_cap_is_refused_before_reading(site, local):
    error = refused(site.url("/huge"), FetchError.TOO_LARGE)
    assert error.message == "The page is larger than 5 MB."


def test_the_cap_comes_from_settings_and_counts_decompressed_bytes(site, local):
    local.CLAIMTRACK_FETCH_MAX_BYTES = 1024 * 1024
    error = refused(site.url("/bomb"), FetchError.TOO_LARGE)
    assert error.message == "The page is larger than 1 MB."
    assert len(fetch(site.url("/page/boilerplate.html")).body) < 1024 * 1024


# --- Time ---------------------------------------------------------------------------------


def test_a_server_that_does_not_answer_in_time_times_out(site, local):
    local.CLAIMTRACK_FETCH_READ_TIMEOUT = 0.2
    started = time.monotonic()
    error = refused(site.url("/slow"), FetchError.TIMEOUT)
    assert error.message == "The site did not answer in time (waited 0.2 seconds)."
    assert time.monotonic() - started < 0.9


def test_a_body_that_stops_arriving_times_out(site, local):
    local.CLAIMTRACK_FETCH_READ_TIMEOUT = 0.2
    refused(site.url("/stall"), FetchError.TIMEOUT)


def test_a_body_dripping_in_is_stopped_by_the_overall_deadline(site, local):
    local.CLAIMTRACK_FETCH_TOTAL_TIMEOUT = 0.3
    started = time.monotonic()
    error = refused(site.url("/drip"), FetchError.TIMEOUT)
    assert "longer than 0.3 seconds" in error.message
    assert time.monotonic() - started < 1.5


# --- Types and statuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "described"),
    [
        ("image/png", "an image"),
        ("application/pdf", "a PDF document"),
        ("application/json", "JSON data"),
        ("application/rss%2Bxml", "a feed"),
    ],
)
def test_other_content_types_are_refused(site, local, content_type, described):
    error = refused(site.url(f"/bytes?type={content_type}"), FetchError.NOT_ALLOWED_TYPE)
    assert described in error.message
    assert error.message.endswith("not a web page.")


def test_feeds_pass_their_own_list_of_types(site, local):
    url = site.url("/bytes?type=application/rss%2Bxml;%20charset=utf-8&body=<rss></rss>")
    fetched = fetch(url, accept=FEED_TYPES)
    assert (fetched.content_type, fetched.charset, fetched.body) == (
        "application/rss+xml",
        "utf-8",
        b"<rss></rss>",
    )
    error = refused(
        site.url("/page/boilerplate.html"), FetchError.NOT_ALLOWED_TYPE, accept=FEED_TYPES
    )
    assert error.message.endswith("not a news feed.")


def test_an_answer_without_a_type_is_read_only_if_it_looks_like_html(site, local):
    fetched = fetch(site.url("/bytes?body=<!DOCTYPE html><html><p>Hello</p></html>"))
    assert fetched.content_type == "text/html"
    refused(site.url("/bytes?body=GIF89a"), FetchError.NOT_ALLOWED_TYPE)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "The page was not found (404 Not Found)."),
        (410, "The page was not found (410 Gone)."),
        (403, "The site refused access to the page (403 Forbidden)."),
        (429, "The site is limiting requests; try again later (429 Too Many Requests)."),
        (500, "The site had an error; try again later (500 Internal Server Error)."),
        (300, "The site answered 300 Multiple Choices instead of the page."),
        (302, "The site answered 302 Found instead of the page."),  # with no Location
    ],
)
def test_error_statuses_are_http_errors(site, local, status, message):
    assert refused(site.url(f"/status/{status}"), FetchError.HTTP_ERROR).message == message


def test_a_conditional_request_reports_not_modified(site, local):
    url = site.url("/page/boilerplate.html")
    first = fetch(url)
    again = fetch(url, headers={"If-None-Match": first.etag})
    assert again.not_modified
    assert (again.status, again.body, again.etag) == (304, b"", '"v1"')
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'

    since = fetch(url, headers={"If-Modified-Since": first.last_modified})
    assert since.not_modified


def test_fetch_errors_carry_a_code_and_refuse_unknown_codes():
    error = FetchError(FetchError.TIMEOUT, "Too slow.")
    assert (error.code, str(error)) == ("timeout", "Too slow.")
    assert repr(error) == "FetchError('timeout', 'Too slow.')"
    with pytest.raises(ValueError):
        FetchError("mystery", "?")


# --- Decoding ---------------------------------------------------------------------------------


def test_a_latin1_page_without_a_declared_charset_decodes(site, local):
    fetched = fetch(site.url("/page/latin1.html?type=text/html"))
    assert fetched.charset is None
    text = fetched.text()
    assert "Almería estrena" in text
    assert "¿Llegará también" in text
    assert "\ufffd" not in text


def test_the_declared_charset_is_used(site, local):
    fetched = fetch(site.url("/page/windows1252.html?type=text/html;%20charset=windows-1252"))
    assert fetched.charset == "windows-1252"
    assert "€0.25 cup levy is “a tax on the morning queue”" in fetched.text()


def test_a_page_declaring_its_charset_in_a_meta_tag_decodes(site, local):
    fetched = fetch(site.url("/page/windows1252.html?type=text/html"))
    assert "government\u2019s plan" in fetched.text()


@pytest.mark.parametrize(
    ("data", "kwargs", "expected"),
    [
        (b"caf\xc3\xa9", {}, "café"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", {"charset": "latin-1"}, "café"),  # the BOM wins
        (b"\xff\xfec\x00a\x00f\x00\xe9\x00", {}, "café"),
        (b"caf\xe9", {"charset": "iso-8859-1"}, "café"),
        (b"\x93quoted\x94", {"charset": "iso-8859-1"}, "“quoted”"),  # read as Windows-1252
        (b"caf\xc3\xa9", {"charset": "no-such-charset"}, "café"),
        (b"caf\xc3\xa9", {"charset": "base64"}, "café"),  # not a text encoding
        (b"<meta charset='utf-16'>caf\xc3\xa9", {}, "<meta charset='utf-16'>café"),
        (b"d\xc3\xa9j\xc3\xa0 vu \xff", {}, "déjà vu \ufffd"),  # UTF-8 with a stray byte
        (b"", {}, ""),
    ],
)
def test_decoding_never_fails(data, kwargs, expected):
    assert decode_text(data, **kwargs) == expected
