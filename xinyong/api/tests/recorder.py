"""Recording the API's examples from the tests (``XINYONG_WRITE_API_EXAMPLES=1``): every
request the test client sends under /api/v1/ is matched to its operation, and the first
successful JSON answer of each operation (with its JSON body) is kept; at the end of the
run they are merged into ``api/examples.json`` (operations not called keep theirs). So
the description's examples are what the platform really answered, in the tests' world."""

import json
import re

from django.test import client as test_client

from xinyong.api.errors import EXAMPLES_FILE

RECORDED: dict[str, dict] = {}
_ROUTES: list[tuple[re.Pattern, str]] = []


def _operation(method: str, path: str) -> str | None:
    if not _ROUTES:
        from xinyong.api.main import api

        spec = api.get_openapi_schema()
        for route in spec["paths"]:
            pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route))
            # literal segments before parameters: "/reports/keys" before "/reports/{number}"
            _ROUTES.append((re.compile(f"^{pattern}$"), route))
        _ROUTES.sort(key=lambda r: (r[1].count("{"), -len(r[1])))
    for pattern, route in _ROUTES:
        if pattern.match(path):
            return f"{method} {route}"
    return None


def _trim(value):
    """An example, not a dump: lists cut to their first two items."""
    if isinstance(value, list):
        return [_trim(v) for v in value[:2]]
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items()}
    return value


def _record(method: str, path: str, data, content_type: str, response) -> None:
    path = path.split("?")[0]
    if not path.startswith("/api/v1/") or not 200 <= response.status_code < 300:
        return
    if not response.get("Content-Type", "").startswith("application/json"):
        return
    key = _operation(method, path)
    if key is None or key in RECORDED:
        return
    body = None
    if content_type.startswith("application/json") and data:
        try:
            body = json.loads(data)
        except ValueError:
            body = None
    RECORDED[key] = {"status": response.status_code, "request": _trim(body),
                     "response": _trim(response.json())}  # fmt: skip


def install() -> None:
    original = test_client.Client.generic

    def generic(self, method, path, data="", content_type="application/octet-stream", *a, **kw):
        response = original(self, method, path, data, content_type, *a, **kw)
        _record(method.upper(), path, data, content_type or "", response)
        return response

    test_client.Client.generic = generic


def write() -> None:
    if not RECORDED:
        return
    merged = json.loads(EXAMPLES_FILE.read_text("utf-8")) if EXAMPLES_FILE.exists() else {}
    merged.update(RECORDED)
    EXAMPLES_FILE.write_text(
        json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n",
        "utf-8",
    )
