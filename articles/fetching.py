"""Fetching a page or a feed from an address someone gave us.

`fetch` is the only way ClaimTrack downloads an article or a feed. Every hop goes through
the safe client in `articles.safe_http`: only http(s), the host's addresses checked
(none may be private, loopback, link-local, multicast or reserved, unless the host is in
CLAIMTRACK_FETCH_ALLOWED_HOSTS) and the connection pinned to the address that was checked.
Redirects are followed here, one hop at a time, each hop judged like a new request, up to
a limit. The body is streamed and abandoned as soon as it passes the size cap; only the
content types the caller accepts are read at all.

What comes back is bytes (`Fetched.body`), ready for trafilatura or feedparser, which
never get a URL to fetch by themselves. Anything that goes wrong raises `FetchError`, whose
`code` says what kind of failure it was and whose message can be shown to a journalist.
"""

from __future__ import annotations

import codecs
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from charset_normalizer import from_bytes
from django.conf import settings
from requests.structures import CaseInsensitiveDict

from articles.safe_http import (
    BlockedAddress,
    UnresolvableHost,
    UnsafeTarget,
    check_target,
    safe_request,
)

# What a page may be, and what a feed may be (feeds pass their own list).
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")

_CHUNK = 64 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """Why an address could not be fetched. `code` is one of the constants below, for
    code to act on; `message` (also `str(error)`) is for the person who gave the URL."""

    BLOCKED = "blocked"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    NOT_ALLOWED_TYPE = "not_allowed_type"
    HTTP_ERROR = "http_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    UNREACHABLE = "unreachable"
    CODES = (
        BLOCKED,
        TIMEOUT,
        TOO_LARGE,
        NOT_ALLOWED_TYPE,
        HTTP_ERROR,
        TOO_MANY_REDIRECTS,
        UNREACHABLE,
    )

    def __init__(self, code: str, message: str):
        if code not in self.CODES:
            raise ValueError(f"Unknown fetch error code {code!r}.")
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class Fetched:
    """One fetched address.

    `url` is the address asked for, `final_url` the one that answered after redirects
    (`redirects` lists the addresses that redirected, in order). `content_type` is the
    media type in lower case without parameters and `charset` the declared one, if any.
    With conditional headers, a 304 answer gives `not_modified=True` and an empty body.
    `headers` keeps the answer's headers (case-insensitive), for ETag and Last-Modified.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict, repr=False)
    redirects: tuple[str, ...] = ()
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")

    def text(self) -> str:
        """The body as text: the declared charset, else a byte-order mark or the page's
        own declaration, else a guess; bytes that do not decode become U+FFFD."""
        return decode_text(self.body, charset=self.charset, content_type=self.content_type)


def fetch(
    url: str,
    *,
    accept: Iterable[str] = PAGE_TYPES,
    max_bytes: int | None = None,
    max_redirects: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url` safely and return its body, or raise FetchError.

    `accept` lists the media types that may be read (anything else is refused before
    the body is downloaded); `max_bytes` defaults to CLAIMTRACK_FETCH_MAX_BYTES and
    `max_redirects` to CLAIMTRACK_FETCH_MAX_REDIRECTS. Extra `headers` are sent with
    every hop: pass If-None-Match / If-Modified-Since for a conditional request, whose
    304 answer comes back as `not_modified` rather than an error.
    """
    url = url.strip()
    accept = tuple(kind.lower() for kind in accept)
    if max_bytes is None:
        max_bytes = settings.CLAIMTRACK_FETCH_MAX_BYTES
    if max_redirects is None:
        max_redirects = settings.CLAIMTRACK_FETCH_MAX_REDIRECTS
    read_timeout = settings.CLAIMTRACK_FETCH_READ_TIMEOUT
    timeout = (settings.CLAIMTRACK_FETCH_CONNECT_TIMEOUT, read_timeout)
    deadline = time.monotonic() + settings.CLAIMTRACK_FETCH_TOTAL_TIMEOUT
    request_headers = {
        "Accept": ", ".join([*accept, "*/*;q=0.1"]),
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }

    current = url
    visited: list[str] = []
    while True:
        if time.monotonic() > deadline:
            raise FetchError(FetchError.TIMEOUT, _total_timeout_message())
        response = _get(current, request_headers, timeout, read_timeout, redirected=bool(visited))
        if response.status_code in _REDIRECT_STATUSES and response.headers.get("Location"):
            location = _header_text(response.headers["Location"])
            response.close()
            if len(visited) >= max_redirects:
                raise FetchError(
                    FetchError.TOO_MANY_REDIRECTS,
                    f"The address redirects more than {max_redirects} times; "
                    "it may be a redirect loop.",
                )
            visited.append(current)
            current = urljoin(current, location.strip())
            continue
        return _finish(
            response,
            url=url,
            final_url=current,
            redirects=tuple(visited),
            accept=accept,
            max_bytes=max_bytes,
            deadline=deadline,
            read_timeout=read_timeout,
        )


def _header_text(value: str) -> str:
    """A header as sent: http.client reads headers as Latin-1, servers send UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _get(
    url: str, headers: dict, timeout: tuple, read_timeout: float, *, redirected: bool
) -> requests.Response:
    """One hop: check the target, then send the request through the safe client."""
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        host = url
    where = f"The address redirects to {host}, which" if redirected else host
    try:
        # Every address the host resolves to must be public (the safe client then checks
        # the one it connects to again, and pins the connection to it).
        check_target(url)
        return safe_request("GET", url, headers=headers, timeout=timeout, stream=True)
    except BlockedAddress:
        raise FetchError(
            FetchError.BLOCKED,
            f"{where} is on a private or internal network, so ClaimTrack will not fetch it.",
        ) from None
    except UnresolvableHost:
        raise FetchError(
            FetchError.UNREACHABLE,
            f"The site {host} could not be found: check the address for typos.",
        ) from None
    except UnsafeTarget as refusal:
        prefix = "The address redirects to a URL ClaimTrack will not fetch. " if redirected else ""
        raise FetchError(FetchError.BLOCKED, prefix + str(refusal)) from None
    except requests.Timeout:
        raise FetchError(FetchError.TIMEOUT, _timeout_message(read_timeout)) from None
    except requests.exceptions.SSLError:
        raise FetchError(
            FetchError.UNREACHABLE,
            f"A secure connection to {host} could not be made (its certificate was refused).",
        ) from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema):
        raise FetchError(FetchError.BLOCKED, f"{url!r} is not a valid web address.") from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
        raise FetchError(
            FetchError.UNREACHABLE,
            f"The site {host} could not be reached (the connection failed).",
        ) from None


def _finish(
    response: requests.Response,
    *,
    url: str,
    final_url: str,
    redirects: tuple[str, ...],
    accept: tuple[str, ...],
    max_bytes: int,
    deadline: float,
    read_timeout: float,
) -> Fetched:
    """Judge the final answer (status, type, size) and read its body."""
    status = response.status_code
    answer_headers = CaseInsensitiveDict(response.headers)
    if status == 304:
        response.close()
        return Fetched(
            url=url,
            final_url=final_url,
            status=status,
            content_type="",
            charset=None,
            body=b"",
            headers=answer_headers,
            redirects=redirects,
            not_modified=True,
        )
    if not 200 <= status < 300:
        response.close()
        raise FetchError(FetchError.HTTP_ERROR, _status_message(status, response.reason))

    content_type, charset = parse_content_type(response.headers.get("Content-Type", ""))
    if content_type and content_type not in accept:
        response.close()
        raise FetchError(FetchError.NOT_ALLOWED_TYPE, _type_message(content_type, accept))
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise FetchError(FetchError.TOO_LARGE, _size_message(max_bytes))

    body = _read_capped(response, max_bytes, deadline, read_timeout)
    if not content_type:
        content_type = _sniff(body)
        if content_type not in accept:
            raise FetchError(
                FetchError.NOT_ALLOWED_TYPE,
                "The site did not say what kind of content this is, and it does not look "
                f"like {_expected(accept)}.",
            )
    return Fetched(
        url=url,
        final_url=final_url,
        status=status,
        content_type=content_type,
        charset=charset,
        body=body,
        headers=answer_headers,
        redirects=redirects,
    )


def _read_capped(
    response: requests.Response, max_bytes: int, deadline: float, read_timeout: float
) -> bytes:
    """The body, decompressed, read as it arrives; abandoned as soon as it passes
    `max_bytes` or the overall deadline."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            # read1 returns whatever has arrived, so a server dripping bytes slowly is
            # caught by the deadline instead of holding one read open for long.
            chunk = response.raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(FetchError.TOO_LARGE, _size_message(max_bytes))
            if time.monotonic() > deadline:
                raise FetchError(FetchError.TIMEOUT, _total_timeout_message())
            chunks.append(chunk)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError, requests.Timeout):
        raise FetchError(FetchError.TIMEOUT, _timeout_message(read_timeout)) from None
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError):
        raise FetchError(
            FetchError.UNREACHABLE,
            "The connection broke off before the whole page was downloaded.",
        ) from None
    finally:
        response.close()
    return b"".join(chunks)


def parse_content_type(header: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from 'text/html; charset="UTF-8"'; ("", None) if absent."""
    media, _, rest = header.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _sniff(body: bytes) -> str:
    """A media type for an answer that declared none: HTML or XML when it plainly starts
    like them, else application/octet-stream."""
    start = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if start.startswith((b"<?xml", b"<rss", b"<feed")):
        return "application/xml"
    return "application/octet-stream"


# --- Messages for people ------------------------------------------------------------------

_KINDS = {
    "application/pdf": "a PDF document",
    "application/json": "JSON data",
    "application/zip": "a ZIP archive",
    "application/octet-stream": "a file download",
    "text/html": "a web page",
    "application/xhtml+xml": "a web page",
    "text/plain": "plain text",
    "text/csv": "a spreadsheet (CSV)",
}


def _describe(content_type: str) -> str:
    if content_type in _KINDS:
        return _KINDS[content_type]
    major = content_type.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return {"image": "an image", "video": "a video", "audio": "audio"}[major]
    if content_type.endswith(("rss+xml", "atom+xml")) or content_type.endswith("/xml"):
        return "a feed or XML document"
    return "a file"


def _expected(accept: tuple[str, ...]) -> str:
    if "text/html" in accept:
        return "a web page"
    if set(accept) & set(FEED_TYPES):
        return "a news feed"
    return " or ".join(accept)


def _type_message(content_type: str, accept: tuple[str, ...]) -> str:
    return (
        f"The address leads to {_describe(content_type)} ({content_type}), not {_expected(accept)}."
    )


def _size_message(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / (1024 * 1024):.3g} MB"
    elif max_bytes >= 1024:
        size = f"{max_bytes / 1024:.3g} KB"
    else:
        size = f"{max_bytes} bytes"
    return f"The page is larger than {size}."


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _timeout_message(read_timeout: float) -> str:
    return f"The site did not answer in time (waited {_seconds(read_timeout)})."


def _total_timeout_message() -> str:
    total = settings.CLAIMTRACK_FETCH_TOTAL_TIMEOUT
    return f"The download took longer than {_seconds(total)}."


def _status_message(status: int, reason: str | None) -> str:
    label = f"{status} {reason}".strip() if reason else str(status)
    if status in (404, 410):
        return f"The page was not found ({label})."
    if status in (401, 403):
        return f"The site refused access to the page ({label})."
    if status == 429:
        return f"The site is limiting requests; try again later ({label})."
    if status >= 500:
        return f"The site had an error; try again later ({label})."
    if status >= 400:
        return f"The site refused the request ({label})."
    return f"The site answered {label} instead of the page."


# --- Decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers read these labels as the Windows code pages that extend them, and so do we:
# pages labelled Latin-1 routinely contain curly quotes from Windows-1252.
_SUPERSETS = {"ascii": "cp1252", "latin_1": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254"}


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when it names no text encoding."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib...
        return None
    return _SUPERSETS.get(info.name, info.name)


def _declared_in_markup(data: bytes) -> str | None:
    """The charset a page or feed declares about itself near its start."""
    head = data[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not found:
        return None
    codec = _codec(found.group(1).decode("ascii", "replace"))
    # A document read as bytes cannot really be UTF-16 when its declaration is ASCII.
    if codec and codec.startswith(("utf-16", "utf_16", "utf-32", "utf_32")):
        return "utf-8"
    return codec


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec, errors="replace")
    except (LookupError, TypeError):
        return None


def decode_text(data: bytes, *, charset: str | None = None, content_type: str = "text/html") -> str:
    """Bytes to text, never failing: a byte-order mark wins, then the declared `charset`,
    then (for HTML and XML) the document's own <meta charset> or XML declaration, then
    UTF-8 if the bytes are valid UTF-8, then a detected encoding, then Windows-1252.
    Bytes that do not fit the chosen encoding become U+FFFD."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    candidates = [_codec(charset)]
    if "html" in content_type or "xml" in content_type:
        candidates.append(_declared_in_markup(data))
    for codec in candidates:
        if codec and (text := _decode(data, codec)) is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    guess = _detect(data)
    if guess and (text := _decode(data, guess)) is not None:
        return text
    return data.decode("cp1252", errors="replace")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray bytes (a damaged page), rather than another encoding: more
    well-formed multi-byte characters than broken ones."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    wellformed = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return wellformed > broken


def _detect(data: bytes) -> str | None:
    best = from_bytes(data[:200_000]).best()
    return _codec(best.encoding) if best is not None else None
