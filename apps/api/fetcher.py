"""The one way the product makes an outbound HTTP request (webhook deliveries, issuer profiles, DID
documents, badge images): safe against server-side request forgery.

- Schemes: https, and http only where the policy allows it.
- Addresses: a name is resolved once; every address it resolves to must be public (no loopback,
  private, shared, link-local — 169.254.169.254 included —, multicast, reserved or unspecified
  address, IPv6 equivalents and IPv4 addresses embedded in IPv6 checked the same way). The
  connection is then made to that checked address, sending the name as the Host header and as the
  TLS SNI/certificate name, so a second DNS answer (rebinding) can never redirect it.
- Redirects are followed by hand, each hop checked again like the first URL.
- The body is read up to ``max_bytes`` (decoded) and the whole exchange within ``total_timeout``.

The module needs no Django: a ``FetchPolicy`` says what is allowed. ``policy_from_settings`` builds
the product's policy from the ``TSUMIKI_FETCH_*`` settings (``TSUMIKI_FETCH_ENABLED`` is the one
switch for the product's network use; off in tests).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_CODES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """The request was not made or did not complete. ``retryable``: a later attempt may succeed."""

    retryable = False


class FetchDisabled(FetchError):
    """The product's network use is switched off (TSUMIKI_FETCH_ENABLED)."""


class FetchRefused(FetchError):
    """The destination may not be called: scheme, non-public address, too many redirects."""


class FetchTooLarge(FetchError):
    """The answer is larger than the policy allows."""


class FetchFailed(FetchError):
    """A network failure: name not resolved, connection refused, timeout, TLS error."""

    retryable = True


@dataclass(frozen=True)
class FetchPolicy:
    """What one fetch may do. ``allowed_hosts``: host names (or literal addresses) exempt from the
    public-address rule: a local test server, or an operator's own internal receiver; their
    connection is still pinned to the address resolved once."""

    enabled: bool = True
    allow_http: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 1024 * 1024
    timeout: float = 5.0  # each connect / read
    total_timeout: float = 15.0  # the whole exchange, redirects included
    max_redirects: int = 5
    user_agent: str = "Tsumiki/1.0"
    ca_certs: str | None = None  # a CA bundle other than certifi's (a test server's own CA)


@dataclass
class FetchResponse:
    """A completed exchange: the final URL (after redirects), the address connected to, status,
    headers (lower-cased names) and the body."""

    url: str
    address: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self, limit: int | None = None) -> str:
        data = self.body if limit is None else self.body[:limit]
        return data.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8-sig"))


# --- addresses -------------------------------------------------------------------------------
def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """An IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96") or ip in ipaddress.ip_network("64:ff9b:1::/48"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def address_is_public(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address; False for anything a server's own network
    could answer on (loopback, private, shared, link-local, multicast, reserved, unspecified,
    documentation) and for an IPv6 address that embeds such an IPv4 address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_is_public(inner)
    bad = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
    return not bad


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, the name (Host/SNI), port, path+query, and the pinned address."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def check_url(url: str, *, policy: FetchPolicy, resolve: bool = True) -> Target | None:
    """Check a URL against the policy and resolve its host once. Raises FetchRefused (or
    FetchFailed when the name does not resolve). With ``resolve=False`` only what needs no DNS is
    checked (scheme, a literal address, 'localhost'), and None is returned: the check made when a
    URL is stored while the network is off."""
    if not isinstance(url, str) or len(url) > 2048:
        raise FetchRefused("the URL is missing or longer than 2048 characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise FetchRefused(f"malformed URL: {e}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only https URLs can be fetched, not {scheme or 'a URL without scheme'}")
    if scheme == "http" and not policy.allow_http:
        raise FetchRefused("only https URLs can be fetched (plain http is switched off)")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchRefused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("URLs with credentials (user:password@) are not accepted")
    port = port or DEFAULT_PORTS[scheme]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    exempt = host in policy.allowed_hosts
    literal = _literal(host)
    if not exempt:
        if literal is not None and not address_is_public(literal):
            raise FetchRefused(f"{host} is not a public address")
        if literal is None and (host == "localhost" or host.endswith(".localhost") or "." not in host):
            raise FetchRefused(f"{host} is not a public host name")
    if not resolve:
        return None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as e:
            raise FetchFailed(f"cannot resolve {host}: {e}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise FetchFailed(f"cannot resolve {host}")
    if not exempt:
        for address in addresses:
            if not address_is_public(address.split("%", 1)[0]):
                raise FetchRefused(f"{host} resolves to a non-public address ({address})")
    return Target(url=url, scheme=scheme, host=host, port=port, path=path, address=addresses[0])


# --- the exchange ----------------------------------------------------------------------------
def _pool(target: Target, policy: FetchPolicy, timeout: float) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to the pinned address; TLS checks the certificate against the name."""
    t = urllib3.Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=t,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs or certifi.where(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=t, maxsize=1, retries=False)


def _exchange(
    target: Target,
    *,
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    deadline: float,
    truncate: bool,
) -> FetchResponse:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed("timed out")
    sent = {"User-Agent": policy.user_agent, **headers, "Host": target.host_header}
    pool = _pool(target, policy, min(policy.timeout, remaining))
    try:
        response = pool.urlopen(
            method,
            target.path,
            body=body,
            headers=sent,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=True,
        )
        try:
            declared = response.headers.get("Content-Length")
            if not truncate and declared and declared.isdigit() and int(declared) > policy.max_bytes:
                raise FetchTooLarge(f"the answer is {declared} bytes, more than {policy.max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchFailed("timed out while reading the answer")
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > policy.max_bytes:
                    if not truncate:
                        raise FetchTooLarge(f"the answer is larger than {policy.max_bytes} bytes")
                    chunks.append(chunk[: len(chunk) - (size - policy.max_bytes)])
                    break
                chunks.append(chunk)
        finally:
            response.release_conn()
            response.close()
    except FetchError:
        raise
    except (Urllib3Error, OSError, ValueError) as e:
        raise FetchFailed(f"{type(e).__name__}: {e}"[:300]) from None
    finally:
        pool.close()
    return FetchResponse(
        url=target.url,
        address=target.address,
        status=response.status,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=b"".join(chunks),
    )


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    truncate: bool = False,
) -> FetchResponse:
    """Make one request under ``policy``; redirects (when followed) are checked hop by hop, and a
    303, or a 301/302 after a POST, continues as a body-less GET. ``truncate``: keep the first
    ``max_bytes`` of a longer answer instead of refusing it. Raises a FetchError subclass."""
    if not policy.enabled:
        raise FetchDisabled("outbound network use is switched off (TSUMIKI_FETCH_ENABLED)")
    deadline = time.monotonic() + policy.total_timeout
    headers = dict(headers or {})
    current = url
    for _hop in range(policy.max_redirects + 1):
        target = check_url(current, policy=policy)
        assert target is not None
        response = _exchange(
            target, method=method, body=body, headers=headers, policy=policy, deadline=deadline, truncate=truncate
        )
        location = response.headers.get("location")
        if not follow_redirects or response.status not in REDIRECT_CODES or not location:
            return response
        current = urljoin(current, location)
        if response.status == 303 or (response.status in (301, 302) and method == "POST"):
            method, body = "GET", None
            headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}
    raise FetchRefused(f"more than {policy.max_redirects} redirects")


def fetch_json(url: str, *, policy: FetchPolicy) -> Any:
    """GET a JSON document; None when it cannot be had (any FetchError, a non-2xx answer, not JSON)."""
    try:
        response = fetch(url, policy=policy, headers={"Accept": "application/json, application/ld+json"})
        if not response.ok:
            return None
        return response.json()
    except (FetchError, ValueError, UnicodeDecodeError, RecursionError):
        return None


# --- the product's policy --------------------------------------------------------------------
def policy_from_settings(**overrides: Any) -> FetchPolicy:
    """The policy the ``TSUMIKI_FETCH_*`` settings describe, with per-use overrides (a webhook's
    own timeout)."""
    from django.conf import settings

    policy = FetchPolicy(
        enabled=bool(getattr(settings, "TSUMIKI_FETCH_ENABLED", True)),
        allow_http=bool(getattr(settings, "TSUMIKI_FETCH_ALLOW_HTTP", False)),
        allowed_hosts=frozenset(h.lower().strip("[]") for h in getattr(settings, "TSUMIKI_FETCH_ALLOWED_HOSTS", [])),
        max_bytes=int(getattr(settings, "TSUMIKI_FETCH_MAX_BYTES", 1024 * 1024)),
        timeout=float(getattr(settings, "TSUMIKI_FETCH_TIMEOUT", 5.0)),
        total_timeout=float(getattr(settings, "TSUMIKI_FETCH_TOTAL_TIMEOUT", 15.0)),
        max_redirects=int(getattr(settings, "TSUMIKI_FETCH_MAX_REDIRECTS", 5)),
        ca_certs=getattr(settings, "TSUMIKI_FETCH_CA_BUNDLE", "") or None,
    )
    return replace(policy, **overrides) if overrides else policy


def url_check_for_storage(url: str) -> str | None:
    """Why a URL the product will call later (a webhook target) may not be stored, or None when it
    may: the same rules as a fetch, resolving the name only while network use is on. A name that
    does not resolve now is accepted (DNS may be down, the receiver not deployed yet): it can
    point nowhere private now, and every delivery checks it again."""
    policy = policy_from_settings()
    try:
        check_url(url, policy=policy, resolve=policy.enabled)
    except FetchRefused as e:
        return str(e)
    except FetchFailed:
        return None
    return None
