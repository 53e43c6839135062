"""Requests to URLs that users give (media from a URL, webhook deliveries) that cannot be turned
against the server's own networks (SSRF; docs/decisions/0102-ssrf-guard.md).

* Only `http` and `https`, no user name or password in the URL, at most 2048 characters.
* Every address the host name resolves to is checked; loopback, private (RFC 1918, RFC 4193),
  link-local, shared (CGNAT), multicast, unspecified and other non-public addresses are refused
  unless the admin allows them, and the cloud metadata addresses unless listed by name.
* The connection goes to the very address that was checked (the URL is rewritten to it, with
  the original `Host` header and TLS server name), so DNS cannot answer differently a moment
  later (rebinding).
* Redirects are followed by hand, at most N, each hop checked like the first.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from typing import Any, Protocol

import httpx

from transcriber import __version__
from transcriber.kit.errors import Unprocessable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]

MAX_URL_LENGTH = 2048
USER_AGENT = f"WhisperTranscriber/{__version__}"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_HOSTNAME = re.compile(r"^[A-Za-z0-9._-]+$")

# Instance metadata services (AWS, Azure and GCP share the first; ECS tasks; Alibaba; AWS IPv6).
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_KINDS: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = tuple(
    (kind, tuple(ipaddress.ip_network(n) for n in networks))
    for kind, networks in (
        ("loopback", ("127.0.0.0/8", "::1/128")),
        ("private", ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")),
        ("link-local", ("169.254.0.0/16", "fe80::/10")),
        ("shared (CGNAT)", ("100.64.0.0/10",)),
        ("multicast", ("224.0.0.0/4", "ff00::/8")),
        ("unspecified", ("0.0.0.0/8", "::/128")),
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# RFC 8215's local-use NAT64 prefix: the IPv4 address is in the last 32 bits as well (with the
# /96 form; other prefix lengths put it elsewhere, so any address here is refused outright).
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# Deprecated IPv4-compatible addresses (::a.b.c.d), which some stacks still route as IPv4.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class UrlRefused(Unprocessable):
    """The URL is malformed, not http(s), or leads to an address this server does not reach."""


class FetchFailed(Unprocessable):
    """The origin could not be reached or did not give what was asked (status, size, time)."""


class _FetchSettings(Protocol):
    allow_private_networks: bool
    allowed_networks: list[str]
    connect_timeout_s: float


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()
    connect_timeout_s: float = 10.0

    @classmethod
    def from_settings(cls, fetch: _FetchSettings) -> NetworkPolicy:
        return cls(
            allow_private=fetch.allow_private_networks,
            allowed=tuple(ipaddress.ip_network(n, strict=False) for n in fetch.allowed_networks),
            connect_timeout_s=fetch.connect_timeout_s,
        )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress, policy: NetworkPolicy) -> str | None:
    """Why `address` may not be reached ("a loopback address"), or None when it may."""
    if any(address.version == n.version and address in n for n in policy.allowed):
        return None
    inner = _embedded_ipv4(address)
    if inner is not None:
        if any(n.version == 4 and inner in n for n in policy.allowed):
            return None
        checked: IPAddress = inner
    else:
        checked = address
    if checked in METADATA_ADDRESSES or address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if policy.allow_private:
        return None
    if address in _NAT64_LOCAL:
        return "a local NAT64 address"
    for kind, networks in _KINDS:
        if any(checked.version == n.version and checked in n for n in networks):
            return f"a {kind} address"
    if not checked.is_global:
        return "a reserved, non-public address"
    return None


def parse_url(url: str) -> httpx.URL:
    """The URL if it is one this server may fetch (syntax only; addresses are checked later)."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.", field="url")
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        raise UrlRefused(f"{url[:100]!r} is not a valid URL.", field="url") from None
    if parsed.scheme not in ("http", "https"):
        raise UrlRefused(
            "Only http:// and https:// URLs are accepted"
            + (f", not {parsed.scheme}://." if parsed.scheme else f"; {url[:100]!r} has none."),
            field="url",
        )
    host = parsed.raw_host.decode("ascii", "replace")
    if not host or not (_HOSTNAME.match(host) or ":" in host):
        raise UrlRefused(f"{url[:100]!r} has no valid host name.", field="url")
    if parsed.userinfo:
        raise UrlRefused(
            "URLs with a user name or password are not accepted; use a link with a token "
            "in the query instead.",
            field="url",
        )
    return parsed


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (a literal address is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UrlRefused(f"The host name {host!r} could not be resolved.", field="url") from None
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def checked_addresses(
    url: httpx.URL, policy: NetworkPolicy, resolver: Resolver = resolve_host
) -> list[IPAddress]:
    """The addresses of the URL's host, all of them allowed, or `UrlRefused` saying why."""
    host = url.raw_host.decode("ascii")
    addresses = resolver(host, url.port or (443 if url.scheme == "https" else 80))
    if not addresses:
        raise UrlRefused(f"The host name {host!r} has no address.", field="url")
    for address in addresses:
        reason = refusal(address, policy)
        if reason is not None:
            shown = host if str(address) == host else f"{host} resolves to {address}, which"
            raise UrlRefused(
                f"{shown} is {reason}; this server does not fetch from its own networks "
                "(an administrator can allow it with the `fetch` settings).",
                field="url",
            )
    return addresses


def check_url(url: str, policy: NetworkPolicy, resolver: Resolver = resolve_host) -> str:
    """Refuse at once (4xx) what will be refused at fetch time; returns the URL, normalised."""
    parsed = parse_url(url)
    checked_addresses(parsed, policy, resolver)
    return str(parsed)


# httpx's timeouts hold per read: a server that trickles a byte at a time never trips them.
# The watchdog ends the whole exchange at its deadline (or when asked to stop); a single read
# waits at most this long.
READ_TIMEOUT_CAP_S = 30.0
# A host may resolve to many addresses; trying every one would multiply the connect time.
MAX_ADDRESSES_TRIED = 3


class Watchdog:
    """Closes `client` once `deadline` passes or `should_stop()` says so, from a thread of its
    own, which breaks any read in progress; `fired` says why (None: it did not fire)."""

    def __init__(
        self,
        client: httpx.Client,
        deadline: float,
        should_stop: Callable[[], bool] | None = None,
        poll_s: float = 0.2,
    ) -> None:
        self.client = client
        self.deadline = deadline
        self.should_stop = should_stop
        self.poll_s = poll_s
        self.fired: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)

    def _run(self) -> None:
        while not self._done.wait(self.poll_s):
            if time.monotonic() > self.deadline:
                self.fired = "deadline"
            elif self.should_stop is not None and self.should_stop():
                self.fired = "stopped"
            if self.fired is not None:
                with contextlib.suppress(Exception):
                    self.client.close()
                return

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _client(policy: NetworkPolicy, timeout_s: float) -> httpx.Client:
    timeout = httpx.Timeout(
        min(timeout_s, READ_TIMEOUT_CAP_S), connect=min(policy.connect_timeout_s, timeout_s)
    )
    return httpx.Client(trust_env=False, follow_redirects=False, timeout=timeout)


def send_pinned(
    client: httpx.Client,
    method: str,
    url: httpx.URL,
    policy: NetworkPolicy,
    resolver: Resolver = resolve_host,
    **kwargs: Any,
) -> httpx.Response:
    """Send a streamed request to one of the checked addresses of `url`'s host, never to an
    address looked up again by the HTTP library."""
    host = url.raw_host.decode("ascii")
    default_port = 443 if url.scheme == "https" else 80
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if url.port in (None, default_port) else f"{shown_host}:{url.port}"
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {}), "Host": host_header}
    extensions: dict[str, Any] = {}
    is_literal = ":" in host or host.replace(".", "").isdigit()
    if url.scheme == "https" and not is_literal:
        extensions["sni_hostname"] = host  # and the certificate is checked against it
    last_error: httpx.HTTPError | None = None
    for address in checked_addresses(url, policy, resolver)[:MAX_ADDRESSES_TRIED]:
        request = client.build_request(
            method,
            url.copy_with(host=str(address)),
            headers=headers,
            extensions=extensions,
            **kwargs,
        )
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as exc:
            last_error = exc  # try the host's next address
    raise FetchFailed(f"Could not connect to {shown_host}: {last_error}.")


class Download:
    """A successful response being read, as a file-like source for `Storage.save`."""

    def __init__(
        self,
        response: httpx.Response,
        url: httpx.URL,
        deadline: float,
        timeout_s: float,
        should_stop: Callable[[], bool] | None,
        watchdog: Watchdog | None = None,
    ) -> None:
        self.watchdog = watchdog
        self.response = response
        self.url = url
        self._chunks = response.iter_bytes()
        self._deadline = deadline
        self._timeout_s = timeout_s
        self._should_stop = should_stop

    @property
    def content_length(self) -> int | None:
        value = self.response.headers.get("content-length", "")
        return int(value) if value.isdigit() else None

    @property
    def filename(self) -> str:
        """The name the origin gives (Content-Disposition), else the last part of the path."""
        disposition = self.response.headers.get("content-disposition")
        if disposition:
            message = Message()
            message["content-disposition"] = disposition
            name = message.get_filename()
            if name:
                return name
        return self.url.path.rstrip("/").rsplit("/", 1)[-1]

    def read(self, size: int = -1) -> bytes:
        if time.monotonic() > self._deadline:
            raise FetchFailed(f"The download did not finish within {self._timeout_s:g} s.")
        if self._should_stop is not None and self._should_stop():
            raise FetchFailed("The download was stopped.")
        try:
            return next(self._chunks, b"")
        except (httpx.HTTPError, OSError, RuntimeError) as exc:
            fired = self.watchdog.fired if self.watchdog is not None else None
            if fired == "stopped":
                raise FetchFailed("The download was stopped.") from None
            if fired == "deadline" or isinstance(exc, httpx.TimeoutException):
                raise FetchFailed(
                    f"The server stopped sending; the download did not finish within "
                    f"{self._timeout_s:g} s."
                ) from None
            raise FetchFailed(f"The download broke off: {exc}.") from None


def _display(url: httpx.URL) -> str:
    shown = str(url.copy_with(query=None, fragment=None))
    return shown if len(shown) <= 200 else shown[:200] + "..."


@contextmanager
def open_url(
    url: str,
    policy: NetworkPolicy,
    *,
    timeout_s: float,
    max_redirects: int,
    resolver: Resolver = resolve_host,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[Download]:
    """GET `url`, following at most `max_redirects` redirects by hand (each hop checked and
    pinned), within `timeout_s` in all; yields the final 2xx response as a `Download`."""
    deadline = time.monotonic() + timeout_s
    current = parse_url(url)
    with _client(policy, timeout_s) as client, Watchdog(client, deadline, should_stop) as dog:
        for hop in range(max_redirects + 1):
            try:
                response = send_pinned(client, "GET", current, policy, resolver)
            except UrlRefused as exc:
                if hop == 0:
                    raise
                raise UrlRefused(f"Redirected to {_display(current)}: {exc.detail}") from None
            except (httpx.HTTPError, FetchFailed, OSError, RuntimeError) as exc:
                if dog.fired == "stopped":
                    raise FetchFailed("The download was stopped.") from None
                if dog.fired == "deadline" or isinstance(exc, httpx.TimeoutException):
                    raise FetchFailed(
                        f"{_display(current)} did not answer within {timeout_s:g} s."
                    ) from None
                if isinstance(exc, FetchFailed):
                    raise
                raise FetchFailed(f"Could not download {_display(current)}: {exc}.") from None
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_CODES and location:
                    try:
                        current = parse_url(str(current.join(location)))
                    except UrlRefused as exc:
                        raise UrlRefused(f"Redirected to a refused URL: {exc.detail}") from None
                    continue
                if not response.is_success:
                    raise FetchFailed(
                        f"{_display(current)} answered {response.status_code} "
                        f"{response.reason_phrase}.".replace(" .", ".")
                    )
                yield Download(response, current, deadline, timeout_s, should_stop, dog)
                return
            finally:
                response.close()
    raise FetchFailed(f"{_display(parse_url(url))} redirected more than {max_redirects} times.")


def post_pinned(
    url: str,
    policy: NetworkPolicy,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout_s: float,
    excerpt_bytes: int = 1024,
    resolver: Resolver = resolve_host,
) -> tuple[int, str]:
    """POST `body` without following redirects; returns the status and the start of the
    answer (the rest is never read). Raises `UrlRefused` or `FetchFailed`."""
    deadline = time.monotonic() + timeout_s
    with _client(policy, timeout_s) as client, Watchdog(client, deadline) as dog:
        try:
            response = send_pinned(
                client, "POST", parse_url(url), policy, resolver, headers=headers, content=body
            )
        except (httpx.HTTPError, FetchFailed, OSError, RuntimeError) as exc:
            if dog.fired or isinstance(exc, httpx.TimeoutException):
                raise FetchFailed(f"The receiver did not answer within {timeout_s:g} s.") from None
            if isinstance(exc, FetchFailed):
                raise
            raise FetchFailed(f"Could not reach the receiver: {exc}.") from None
        excerpt = b""
        try:
            for chunk in response.iter_raw():
                excerpt += chunk
                if len(excerpt) >= excerpt_bytes or time.monotonic() > deadline:
                    break
        except (httpx.HTTPError, OSError, RuntimeError):
            pass  # the status is what counts; the body is only a hint for people
        finally:
            response.close()
    return response.status_code, excerpt[:excerpt_bytes].decode("utf-8", "replace")
