"""Reads for accounts: API tokens. The department scope every app applies is
:mod:`xinyong.accounts.access`."""

import hmac
import time

from django.utils import timezone

from xinyong.accounts.models import ApiClient, Department
from xinyong.accounts.tokens import (  # noqa: F401 - api_clients_forget kept here for callers
    AUTH_CACHE_SECONDS,
    TOKEN_PREFIX,
    api_clients_forget,
    hash_token,
)
from xinyong.accounts.tokens import verified as _verified


def api_client_authenticate(token: str) -> ApiClient | None:
    """The active, unexpired client whose token this is, or None. Constant-time compare."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret or "\x00" in prefix:  # no database stores a NUL
        return None
    digest = hash_token(token)
    seen = _verified.get(digest)
    if seen is not None and time.monotonic() - seen[1] < AUTH_CACHE_SECONDS:
        client = seen[0]
    else:
        client = (
            ApiClient.objects.select_related("department")
            .filter(token_prefix=prefix, is_active=True)
            .first()
        )
        if client is None or not hmac.compare_digest(client.token_hash, digest):
            return None
        if len(_verified) > 1000:
            _verified.clear()
        _verified[digest] = (client, time.monotonic())
    if client.expires_at is not None and client.expires_at <= timezone.now():
        return None
    return client


def department_names(*, key: str = "pk") -> dict:
    """Every department's name by primary key (``key="pk"``) or by code (``key="code"``):
    the one lookup pages use to show a department by its name, never its code."""
    if key not in ("pk", "code"):
        raise ValueError(key)
    return dict(Department.objects.values_list(key, "name"))


def api_clients_list(*, actor):
    """The API clients, newest first, for the credit office's page (who may see them is
    the rule of maintaining them: ``Action.ADMINISTER``)."""
    from xinyong.accounts import access
    from xinyong.accounts.access import Action

    access.require(actor, Action.ADMINISTER, message="只有平台运营（信用办）可以管理接口客户端")
    return ApiClient.objects.select_related("department").order_by("-pk")
