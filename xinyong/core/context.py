"""Who is acting and under which request: read by the audit trail without threading it
through every call. Set by the web middleware, the API auth and management commands."""

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    channel: str  # "web", "api", "cli", "system"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "xinyong_request_context", default=None
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> RequestContext:
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext(request_id="", channel="system")


@contextmanager
def request_context(*, channel: str, request_id: str | None = None) -> Iterator[RequestContext]:
    ctx = RequestContext(request_id=request_id or new_request_id(), channel=channel)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
