"""Outbound HTTP to addresses that people type in (webhook targets; article pages and feeds
through `articles.fetching`), without letting them reach the machines behind the firewall.

Every request goes through `requests-hardened`: the host is resolved once, the address is
refused when it is private, loopback, link-local, multicast or otherwise not public, and
the connection is pinned to the address that was checked, so a second DNS answer cannot
swap in an internal one (DNS rebinding). Only http and https are spoken. Redirects are off
by default; when a caller allows them, each hop is checked again like a new request.

Host names listed in the `CLAIMTRACK_FETCH_ALLOWED_HOSTS` setting skip the address check:
an intranet service the newsroom trusts, or the tests' server on 127.0.0.1. The list
names hosts exactly as they appear in URLs (no wildcards); IPv6 addresses without
brackets or with them.
"""

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests_hardened import Config, Manager
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress

SCHEMES = frozenset({"http", "https"})
DEFAULT_TIMEOUT = (3, 10)  # seconds: connect, then each read
MAX_REDIRECTS = 5
USER_AGENT = "ClaimTrack/1"


class UnsafeTarget(ValueError):
    """The URL may not be requested: not http(s), no host, or a host that cannot be
    resolved. `str()` is a message for the person who gave the URL."""


class BlockedAddress(UnsafeTarget):
    """The host resolves to an address on a private, loopback or otherwise internal
    network, and is not in CLAIMTRACK_FETCH_ALLOWED_HOSTS."""


class UnresolvableHost(UnsafeTarget):
    """The host name has no address (a typo, or a site that is gone): not a refusal on
    safety grounds, but the URL cannot be requested either."""


def _manager(*, filtered: bool) -> Manager:
    # Redirects are never followed by the library: `safe_request` follows them itself,
    # so that each hop is judged by the same rules as the first request.
    return Manager(
        Config(
            ip_filter_enable=filtered,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=DEFAULT_TIMEOUT,
            user_agent_override=USER_AGENT,
        )
    )


_FILTERED = _manager(filtered=True)
_TRUSTED = _manager(filtered=False)


def _host_of(url: str) -> str:
    """The URL's host, lower case and without IPv6 brackets; refuses what is not
    http(s) with a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a port out of range)
    except ValueError:
        raise UnsafeTarget(f"{url!r} is not a valid URL.") from None
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeTarget("Only http:// and https:// URLs are allowed.")
    if not host:
        raise UnsafeTarget("The URL has no host name.")
    return host.lower()


def host_allowed(host: str) -> bool:
    """Whether `host` is listed in CLAIMTRACK_FETCH_ALLOWED_HOSTS (skips the check)."""
    allowed = {
        name.strip().strip("[]").lower()
        for name in getattr(settings, "CLAIMTRACK_FETCH_ALLOWED_HOSTS", ())
    }
    return host.strip("[]").lower() in allowed


def address_is_public(address: str) -> bool:
    """True for an address on the public internet; False for private, loopback,
    link-local, multicast, reserved, shared (CG-NAT), documentation and translation
    ranges. An IPv4 address mapped into IPv6 is judged as the IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("%eth0")
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or not ip.is_global:
        return False
    return not any(ip in network for network in EXTRA_BLOCKED_NET_RANGES)


def check_target(url: str) -> list[str]:
    """Refuse a URL that may not be requested, before it is stored: raises UnsafeTarget
    (not http(s), no host, unresolvable) or BlockedAddress (any address the host
    resolves to is internal). Returns the addresses found (empty for an allowed host).

    Every address is checked, not only the first, since the one a later connection
    uses may differ; `safe_request` checks again at request time in any case."""
    host = _host_of(url)
    if host_allowed(host):
        return []
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnresolvableHost(f"The host {host!r} could not be resolved.") from None
    addresses = sorted({info[4][0] for info in infos})
    blocked = [address for address in addresses if not address_is_public(address)]
    if blocked:
        raise BlockedAddress(
            f"The host {host!r} is on a private, loopback or reserved network "
            f"({', '.join(blocked)}); such targets are refused."
        )
    return addresses


def _send(method: str, url: str, **kwargs) -> requests.Response:
    host = _host_of(url)
    if host_allowed(host):
        return _TRUSTED.send_request(method, url, **kwargs)
    try:
        return _FILTERED.send_request(method, url, **kwargs)
    except InvalidIPAddress as error:
        raise BlockedAddress(
            f"The host {host!r} resolves to {error}, on a private, loopback or reserved "
            "network; the request was refused."
        ) from None


def safe_request(
    method: str,
    url: str,
    *,
    timeout=DEFAULT_TIMEOUT,
    allow_redirects: bool = False,
    max_redirects: int = MAX_REDIRECTS,
    **kwargs,
) -> requests.Response:
    """Make one HTTP request like `requests.request`, refusing internal targets.

    Raises UnsafeTarget / BlockedAddress for a refused URL (at any redirect hop), and the
    usual `requests` exceptions for network trouble. With `allow_redirects`, at most
    `max_redirects` hops are followed; 303 (and 301/302 after a POST) turn into a GET
    without a body, as browsers do. Credentials in headers are not carried to another
    host."""
    method = method.upper()
    response = _send(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    hops = 0
    while allow_redirects and response.is_redirect:
        if hops >= max_redirects:
            response.close()
            raise requests.TooManyRedirects(f"More than {max_redirects} redirects.")
        hops += 1
        target = urljoin(response.url, response.headers["location"])
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method = "GET"
            for body in ("data", "json", "files"):
                kwargs.pop(body, None)
        if urlsplit(target).hostname != urlsplit(response.url).hostname:
            headers = dict(kwargs.get("headers") or {})
            for name in list(headers):
                if name.lower() in ("authorization", "cookie", "proxy-authorization"):
                    del headers[name]
            kwargs["headers"] = headers
        response.close()
        response = _send(method, target, timeout=timeout, allow_redirects=False, **kwargs)
    return response


def read_limited(response: requests.Response, limit: int) -> bytes:
    """At most `limit` bytes of the body (decoded from gzip etc.), then the connection is
    released: a huge or endless answer costs no more than that. Use with `stream=True`."""
    try:
        return response.raw.read(limit, decode_content=True) or b""
    finally:
        response.close()
