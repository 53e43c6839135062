"""The SSRF guard on its own: which addresses are refused, and that the connection goes to the
address that was checked (a DNS answer that changes between the check and the connection, as
in DNS rebinding, cannot send it elsewhere)."""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from typing import Any

import pytest

from tests.support.http_origin import http_origin, reply
from transcriber.kit.fetch import (
    FetchFailed,
    IPAddress,
    NetworkPolicy,
    UrlRefused,
    check_url,
    open_url,
    parse_url,
    post_pinned,
    refusal,
)

DEFAULT = NetworkPolicy()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.200.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("172.31.255.255", "private"),
        ("192.168.0.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("100.127.255.254", "shared (CGNAT)"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("::", "unspecified"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("::127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
        ("::a00:1", "private"),  # IPv4-compatible 10.0.0.1
        ("64:ff9b:1::7f00:1", "local NAT64"),
        ("192.0.2.1", "reserved"),  # documentation range
        ("240.0.0.1", "reserved"),
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    reason = refusal(ipaddress.ip_address(address), DEFAULT)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), DEFAULT) is None


def test_the_admin_can_allow_networks_but_metadata_needs_naming() -> None:
    private = NetworkPolicy(allow_private=True)
    assert refusal(ipaddress.ip_address("10.1.1.1"), private) is None
    assert refusal(ipaddress.ip_address("::1"), private) is None
    assert "metadata" in (refusal(ipaddress.ip_address("169.254.169.254"), private) or "")
    listed = NetworkPolicy(allowed=(ipaddress.ip_network("10.20.0.0/16"),))
    assert refusal(ipaddress.ip_address("10.20.3.4"), listed) is None
    assert refusal(ipaddress.ip_address("10.21.3.4"), listed) is not None
    metadata = NetworkPolicy(allowed=(ipaddress.ip_network("169.254.169.254/32"),))
    assert refusal(ipaddress.ip_address("169.254.169.254"), metadata) is None


@pytest.mark.parametrize(
    "url",
    ["", "nope", "ftp://x/", "javascript:alert(1)", "http://", "http://a b/", "x" * 3000],
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(UrlRefused):
        parse_url(url)


def test_dns_rebinding_is_caught_at_connect_time() -> None:
    """The name resolved to a public address when the job was submitted and to loopback when
    the worker connects: the second answer is checked too, and refused."""
    answers: list[list[IPAddress]] = [
        [ipaddress.ip_address("93.184.215.14")],
        [ipaddress.ip_address("127.0.0.1")],
    ]

    def rebinding(host: str, port: int) -> list[IPAddress]:
        return answers.pop(0)

    url = "http://media.example/a.wav"
    assert check_url(url, DEFAULT, rebinding) == url
    with (
        pytest.raises(UrlRefused, match=re.escape("127.0.0.1, which is a loopback address")),
        open_url(url, DEFAULT, timeout_s=5, max_redirects=0, resolver=rebinding),
    ):
        pass


def test_the_connection_goes_to_the_checked_address() -> None:
    """The HTTP library never looks the name up itself: `media.example` does not exist, yet
    the request reaches the address the guard checked, with the original Host header."""
    resolved: list[str] = []

    def pinned(host: str, port: int) -> list[IPAddress]:
        resolved.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    with http_origin() as server:
        server.routes["/a.bin"] = lambda h, _: reply(h, 200, b"payload")
        policy = NetworkPolicy(allow_private=True)
        url = f"http://media.example:{server.port}/a.bin"
        with open_url(url, policy, timeout_s=5, max_redirects=0, resolver=pinned) as download:
            assert download.read() == b"payload"
            assert download.filename == "a.bin"
        (request,) = server.received
    assert request.headers["host"] == f"media.example:{server.port}"
    assert resolved == ["media.example"]


def test_a_host_with_any_refused_address_is_refused() -> None:
    def mixed(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.0.0.1")]

    with pytest.raises(UrlRefused, match=re.escape("10.0.0.1")):
        check_url("https://cdn.example/a.wav", DEFAULT, mixed)


def test_nothing_listening_is_a_readable_failure() -> None:
    with http_origin() as server:
        port = server.port
    policy = NetworkPolicy(allow_private=True)
    with (
        pytest.raises(FetchFailed, match=re.escape("Could not connect to 127.0.0.1")),
        open_url(f"http://127.0.0.1:{port}/", policy, timeout_s=5, max_redirects=0),
    ):
        pass


def _trickle(handler: Any, _: object) -> None:
    """Headers one byte every 0.3 s: each read is quick, the whole answer never comes."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nX-Slow: " + b"y" * 1000:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.3)


@pytest.mark.parametrize("where", ["download", "webhook"])
def test_a_server_that_trickles_is_cut_off_at_the_deadline(where: str) -> None:
    policy = NetworkPolicy(allow_private=True)
    with http_origin() as server:
        server.routes["/slow"] = _trickle
        url = f"http://127.0.0.1:{server.port}/slow"
        started = time.monotonic()
        with pytest.raises(FetchFailed, match="within 2 s"):
            if where == "download":
                with open_url(url, policy, timeout_s=2, max_redirects=0):
                    pass
            else:
                post_pinned(url, policy, body=b"{}", headers={}, timeout_s=2)
        assert time.monotonic() - started < 5


def test_a_download_stops_when_asked_even_while_the_headers_trickle() -> None:
    policy = NetworkPolicy(allow_private=True)
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    with http_origin() as server:
        server.routes["/slow"] = _trickle
        started = time.monotonic()
        with (
            pytest.raises(FetchFailed, match="stopped"),
            open_url(
                f"http://127.0.0.1:{server.port}/slow",
                policy,
                timeout_s=600,
                max_redirects=0,
                should_stop=stop.is_set,
            ),
        ):
            pass
        assert time.monotonic() - started < 4
