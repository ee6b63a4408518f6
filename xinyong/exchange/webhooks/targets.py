"""Where the platform may POST: the operator's allowlist (settings), so that a subscription
cannot turn the worker into a client of the government network (SSRF). A URL must be
https (plain http only where the operator allows it, and only to a listed network: the
tests' local receiver), carry
no credentials, and name a host the allowlist admits; an address in a private, loopback,
link-local or otherwise non-public network is refused unless the operator lists that
network. The sender checks the addresses a host name resolves to again before each
connection (:func:`address_allowed`), so a name that later points inward is refused too."""

import fnmatch
import ipaddress
import socket
from urllib.parse import urlsplit

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


def resolved_allowed(host: str, port: int) -> bool:
    """Whether every address ``host`` resolves to is one the platform may reach (checked
    by the sender before each connection; unresolvable: no)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(infos) and all(address_allowed(info[4][0]) for info in infos)
