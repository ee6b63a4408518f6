"""The API's answers to everything that is not a domain error (those are in ``main``):
unreadable or refused input, ninja's own HTTP errors, a CSRF refusal, and — as a last
resort that should never be reached — the database refusing a value. All in the one
shape ``{"detail": [{"field", "rule", "message"}]}``, and never with the database's text.

``ApiWithErrors`` documents those answers on every operation of the OpenAPI description,
so a route declares only its own success (and any answer of its own): a new endpoint is
described completely without repeating the list."""

import functools
import json
import logging
from pathlib import Path

from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from xinyong.core.errorpages import page_not_found
from xinyong.core.inputs import InputRefused

log = logging.getLogger("xinyong.api")
# JSON as UTF-8 text, not \uXXXX escapes: what a person reading a body sees (every answer).
UTF8 = {"ensure_ascii": False}


class Utf8JsonRenderer(JSONRenderer):
    """Every body, success or error, as UTF-8 JSON text: 企业 stays 企业, not \\u4f01\\u4e1a,
    so a body read in a log, a terminal or a browser is readable (the checks' answers,
    written by orjson, already were)."""

    json_dumps_params = UTF8


class ErrorItem(Schema):
    field: str  # dotted path of the offending input ("rows.3.CF_WFXW"), "" when none
    rule: str  # machine-readable rule id ("string.nul", "auth.token", "csrf")
    message: str  # explanation (Chinese by default)


class ErrorOut(Schema):
    detail: list[ErrorItem]


def _answer(api: NinjaAPI, request: HttpRequest, status: int, field: str, rule: str, message: str):
    body = {"detail": [{"field": field, "rule": rule, "message": message}]}
    return api.create_response(request, body, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    @api.exception_handler(InputRefused)
    def _refused(request: HttpRequest, exc: InputRefused):
        body = {"detail": [e.as_dict() for e in exc.errors]}
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError):
        # ninja wraps whatever the body parser raised in its own 400.
        if isinstance(exc.__cause__, InputRefused):
            return _refused(request, exc.__cause__)
        rule = {400: "request", 403: "permission", 405: "method", 429: "throttle"}
        return _answer(
            api, request, exc.status_code, "", rule.get(exc.status_code, "http"), str(exc)
        )

    @api.exception_handler(Http404)
    def _http_404(request: HttpRequest, exc: Http404):
        return _answer(api, request, 404, "", "not_found", str(exc) or "不存在或不可见")

    @api.exception_handler(IntegrityError)
    def _integrity(request: HttpRequest, exc: IntegrityError):
        log.error(
            "integrity error reached the API: %s %s", request.method, request.path, exc_info=exc
        )
        return _answer(
            api, request, 409, "", "integrity", "与已有数据冲突或引用了不存在的数据，未作任何更改"
        )

    @api.exception_handler(DataError)
    def _data(request: HttpRequest, exc: DataError):
        log.error("data error reached the API: %s %s", request.method, request.path, exc_info=exc)
        return _answer(
            api, request, 422, "", "data.invalid", "某个值超出数据库允许的范围或格式，未作任何更改"
        )

    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, exc: OverflowError):
        log.error("overflow reached the API: %s %s", request.method, request.path, exc_info=exc)
        return _answer(
            api, request, 422, "", "data.invalid", "某个数值超出允许的范围，未作任何更改"
        )


def not_found(request: HttpRequest, exception=None):
    """The site's 404 (``handler404``): under /api/ in the API's shape, so a client that
    sent a path no route takes (a "/" inside an identifier) still reads field and rule."""
    if request.path.startswith("/api/"):
        body = {"detail": [{"field": "", "rule": "not_found", "message": "没有这个接口地址"}]}
        return JsonResponse(body, status=404, json_dumps_params=UTF8)
    return page_not_found(request, exception)


_DESCRIPTIONS = {
    400: "请求无法读取（JSON 语法、编码或嵌套层数）",
    401: "缺少、无效或过期的接口令牌",
    403: "令牌权限或角色不允许，或会话请求缺少 CSRF 令牌",
    404: "不存在或不可见",
    409: "与已有数据冲突",
    413: "请求体过大",
    415: "请求体不是 application/json",
    422: "输入不符合规则（字段与规则见 detail）",
}
_WRITES = {"post", "put", "patch", "delete"}


class ApiWithErrors(NinjaAPI):
    """NinjaAPI whose OpenAPI description lists the error answers every operation can give
    (only those a route does not declare itself)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        error_out = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schema["components"]["schemas"].update(error_out.pop("$defs", {}), ErrorOut=error_out)
        for path, methods in schema["paths"].items():
            for method, op in methods.items():
                for status in _statuses(method, op):
                    op["responses"].setdefault(
                        status,
                        {
                            "description": _DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
                _example(op, examples().get(f"{method.upper()} {path}"))
        return schema


# Examples recorded from real calls (the authorization matrix's world, see
# ``api/tests/test_examples.py``): one request and one answer per operation, so that an
# integrating engineer reads what the platform actually says.
EXAMPLES_FILE = Path(__file__).with_name("examples.json")


@functools.cache
def examples() -> dict[str, dict]:
    """The recorded examples, read when the OpenAPI description is first built (not when
    the API is imported: a request never needs them)."""
    return json.loads(EXAMPLES_FILE.read_text("utf-8")) if EXAMPLES_FILE.exists() else {}


def _example(op: dict, example: dict | None) -> None:
    if not example:
        return
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and example.get("request") is not None:
        body["example"] = example["request"]
    answer = op["responses"].get(example["status"], {}).get("content", {})
    if "application/json" in answer:
        answer["application/json"]["example"] = example["response"]


def _statuses(method: str, op: dict) -> list[int]:
    """The error answers an operation can give: 422 always (the request guard reads every
    query string); 401, 403 and 404 behind authentication; 409 for writes; 400, 413 and
    415 where there is a body."""
    statuses = [422]
    if op.get("security"):
        statuses += [401, 403, 404]
    if method in _WRITES:
        statuses += [409]
    if "requestBody" in op:
        statuses += [400, 413, 415]
    return sorted(statuses)
