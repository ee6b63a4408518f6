"""Where the platform may POST: the operator's allowlist (settings), so that a subscription
cannot turn the worker into a client of the government network (SSRF). A URL must be
https (plain http only where the operator allows it, and only to a listed network: the
tests' local receiver), carry
no credentials, and name a host the allowlist admits; an address in a private, loopback,
link-local or otherwise non-public network is refused unless the operator lists that
network. The sender checks the addresses a host name resolves to again when it connects,
and connects to an address it checked (:class:`CheckedTransport`): a name that later points
inward is refused, and no second lookup between the check and the connection can point it
inward in between (DNS rebinding)."""

import fnmatch
import ipaddress
import socket
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from xinyong.core.errors import FieldError


def _networks():
    return [
        ipaddress.ip_network(n, strict=False) for n in settings.XINYONG_WEBHOOK_ALLOWED_NETWORKS
    ]


def address_allowed(ip: str) -> bool:
    """A public address, or one in a network the operator allows."""
    addr = ipaddress.ip_address(ip)
    if any(addr in n for n in _networks()):
        return True
    return addr.is_global and not addr.is_multicast


def _plain_allowed(host: str | None) -> bool:
    """Plain http: only with ``XINYONG_WEBHOOK_ALLOW_HTTP`` and only to an address in a
    network the operator lists (a local receiver), never to a name."""
    if not settings.XINYONG_WEBHOOK_ALLOW_HTTP or not host:
        return False
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(addr in n for n in _networks())


def _host_listed(host: str) -> bool:
    return any(fnmatch.fnmatch(host, p.lower()) for p in settings.XINYONG_WEBHOOK_ALLOWED_HOSTS)


def url_errors(url: str, field: str = "url") -> list[FieldError]:
    """Why the platform will not send to ``url`` (empty: it will)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return [FieldError(field, "url.invalid", _("接收地址不是有效的网址"))]
    if parts.scheme != "https" and not (parts.scheme == "http" and _plain_allowed(parts.hostname)):
        return [FieldError(field, "url.https", _("接收地址须使用 https"))]
    if parts.username or parts.password:
        return [FieldError(field, "url.credentials", _("接收地址不得包含用户名或密码"))]
    host = (parts.hostname or "").lower()
    if not host:
        return [FieldError(field, "url.invalid", _("接收地址不是有效的网址"))]
    if port is not None and not 0 < port < 65536:
        return [FieldError(field, "url.invalid", _("接收地址不是有效的网址"))]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        if not address_allowed(str(ip)):
            return [
                FieldError(field, "url.private", _("接收地址指向内部网络或本机，平台不向其推送"))
            ]
        if not any(ip in n for n in _networks()) and not _host_listed(host):
            return [FieldError(field, "url.not_allowed", _("接收地址不在平台允许的范围内"))]
        return []
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return [FieldError(field, "url.private", _("接收地址指向内部网络或本机，平台不向其推送"))]
    if not _host_listed(host):
        return [FieldError(field, "url.not_allowed", _("接收地址不在平台允许的范围内"))]
    return []


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to for TCP, in the resolver's order (none when it
    does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


def resolved_allowed(host: str, port: int) -> bool:
    """Whether every address ``host`` resolves to is one the platform may reach (asked by
    the sender once per round, before it tries; unresolvable: no)."""
    addresses = resolve(host, port)
    return bool(addresses) and all(address_allowed(a) for a in addresses)


# The delivery log's words when the name resolves to an address the platform may not reach.
ADDRESS_REFUSED = "address not allowed"


class AddressRefused(httpcore.ConnectError):
    """The name resolved, when connecting, to an address the platform may not reach."""


class _CheckedBackend(httpcore.SyncBackend):
    """httpcore's network backend, resolving the host itself: once per new connection,
    every address checked (:func:`address_allowed`), the TCP connection made to a checked
    address — never to a name the socket layer would look up again. Only the TCP connect
    comes here: TLS (SNI, the certificate's name) and the Host header still use the URL's
    name, and the pool keeps connections by that name."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        if not addresses:
            raise httpcore.ConnectError(f"name not resolved: {host}")
        if not all(address_allowed(a) for a in addresses):
            raise AddressRefused(ADDRESS_REFUSED)
        failed = None
        for address in addresses:  # as socket.create_connection tries them, in order
            try:
                return super().connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except httpcore.ConnectError as e:
                failed = e
        raise failed


class CheckedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose backend is :class:`_CheckedBackend`.
    httpx takes no network backend (no DNS hook: encode/httpx#1319), so the pool it built
    is replaced by one built with the same limits; the DNS-rebinding test of the sender
    fails if a later httpx stops sending through it."""

    def __init__(self, *, limits: httpx.Limits):
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_CheckedBackend(),
        )
