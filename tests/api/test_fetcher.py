"""The SSRF-safe fetcher: address rules, one DNS answer pinned for the connection (Host and TLS name
kept), redirects re-checked hop by hop, size and time limits, the network switch."""

from __future__ import annotations

import ipaddress
import socket
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.api import fetcher
from apps.api.fetcher import (
    FetchDisabled,
    FetchError,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    FetchTooLarge,
    address_is_public,
    check_url,
    fetch,
    fetch_json,
)
from tests.fixture_server import fixture_server

LOCAL = FetchPolicy(allow_http=True, allowed_hosts=frozenset({"127.0.0.1"}), timeout=2, total_timeout=5)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "::127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not address_is_public(address)
    with pytest.raises(FetchRefused):
        check_url(f"https://[{address}]/" if ":" in address else f"https://{address}/", policy=FetchPolicy())


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert address_is_public(address)


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_and_its_mapped_ipv6_form_agree(ip):
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert address_is_public(ip) == address_is_public(mapped)
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast:
        assert not address_is_public(ip)


@given(st.text(max_size=300))
def test_any_text_is_refused_or_checked_never_crashes(text):
    try:
        check_url(text, policy=FetchPolicy(), resolve=False)
    except FetchError:
        pass


@pytest.mark.parametrize(
    "url, words",
    [
        ("ftp://example.com/x", "only https"),
        ("file:///etc/passwd", "only https"),
        ("http://example.com/", "plain http"),
        ("https://localhost/", "not a public host"),
        ("https://intranet/", "not a public host"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://:443/", "no host"),
    ],
)
def test_urls_refused_without_dns(url, words):
    with pytest.raises(FetchRefused, match=words):
        check_url(url, policy=FetchPolicy(), resolve=False)


def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch):
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
    answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443)))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(FetchRefused, match="non-public address"):
        check_url("https://issuer.example.org/profile", policy=FetchPolicy())


def test_switched_off_means_no_request():
    with fixture_server({"/x": (200, {}, b"{}")}) as server:
        with pytest.raises(FetchDisabled):
            fetch(server.url("/x"), policy=FetchPolicy(enabled=False, allow_http=True))
    assert server.requests == []


def test_a_loopback_server_is_refused_unless_listed():
    with fixture_server({"/x": (200, {}, b"{}")}) as server:
        with pytest.raises(FetchRefused):
            fetch(server.url("/x"), policy=FetchPolicy(allow_http=True))
        assert fetch(server.url("/x"), policy=LOCAL).status == 200
    assert len(server.requests) == 1


def test_the_connection_goes_to_the_address_resolved_once(monkeypatch):
    """DNS answers 127.0.0.1 first and an unroutable address afterwards (a rebinding attacker): the
    fetch resolves once, connects to the first answer and still names the host in Host."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "issuer.test":
            calls.append(host)
            address = "127.0.0.1" if len(calls) == 1 else "10.255.255.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    policy = FetchPolicy(allow_http=True, allowed_hosts=frozenset({"issuer.test"}), timeout=2)
    with fixture_server({"/profile": (200, {"Content-Type": "application/json"}, b'{"id": 1}')}) as server:
        response = fetch(server.url("/profile", host="issuer.test"), policy=policy)
    assert response.json() == {"id": 1} and response.address == "127.0.0.1"
    assert calls == ["issuer.test"]
    assert server.requests[0].host == f"issuer.test:{server.port}"


def test_https_checks_the_certificate_against_the_name_not_the_address(monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host.endswith(".test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with fixture_server({"/did.json": (200, {}, b'{"id": "did:web:issuer.test"}')}, tls_names=["issuer.test"]) as srv:
        policy = FetchPolicy(allowed_hosts=frozenset({"issuer.test", "other.test"}), ca_certs=srv.ca_file, timeout=2)
        assert fetch_json(srv.url("/did.json", host="issuer.test", scheme="https"), policy=policy) == {
            "id": "did:web:issuer.test"
        }
        with pytest.raises(FetchFailed, match="(?i)certificate|hostname"):
            fetch(srv.url("/did.json", host="other.test", scheme="https"), policy=policy)


def test_redirects_are_checked_hop_by_hop():
    with fixture_server() as server:
        server.routes["/a"] = (302, {"Location": "/b"}, b"")
        server.routes["/b"] = (200, {}, b"here")
        server.routes["/meta"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
        server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
        response = fetch(server.url("/a"), policy=LOCAL)
        assert (response.status, response.body, response.url) == (200, b"here", server.url("/b"))
        with pytest.raises(FetchRefused, match="169.254.169.254"):
            fetch(server.url("/meta"), policy=LOCAL)
        with pytest.raises(FetchRefused, match="redirects"):
            fetch(server.url("/loop"), policy=LOCAL)
        not_followed = fetch(server.url("/meta"), policy=LOCAL, follow_redirects=False)
        assert not_followed.status == 302
    assert "/latest/meta-data/" not in [r.path for r in server.requests]


def test_size_limit_on_declared_and_streamed_bodies():
    big = b"x" * 5000
    with fixture_server() as server:
        server.routes["/declared"] = (200, {}, big)
        server.routes["/undeclared"] = (200, {"Content-Length": "10"}, big)  # lies: only 10 are read
        small = FetchPolicy(allow_http=True, allowed_hosts=frozenset({"127.0.0.1"}), max_bytes=1000, timeout=2)
        with pytest.raises(FetchTooLarge):
            fetch(server.url("/declared"), policy=small)
        assert len(fetch(server.url("/undeclared"), policy=small).body) == 10


def test_a_silent_server_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        policy = FetchPolicy(allow_http=True, allowed_hosts=frozenset({"127.0.0.1"}), timeout=0.5, total_timeout=1)
        started = time.monotonic()
        with pytest.raises(FetchFailed):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", policy=policy)
        assert time.monotonic() - started < 3
    finally:
        listener.close()


def test_settings_build_the_policy(settings):
    settings.TSUMIKI_FETCH_ENABLED = True
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = ["LocalHost"]
    settings.TSUMIKI_FETCH_MAX_BYTES = 123
    policy = fetcher.policy_from_settings(timeout=1.5)
    assert policy.enabled and policy.allowed_hosts == frozenset({"localhost"})
    assert (policy.max_bytes, policy.timeout, policy.allow_http) == (123, 1.5, False)


def test_tests_run_with_the_network_off(settings):
    assert fetcher.policy_from_settings().enabled is False
