"""What every request must be before any view reads it: text without NUL bytes or lone
surrogates (neither database stores them, and UTF-8 cannot encode a surrogate), valid
UTF-8, JSON of bounded depth, whole numbers that fit the database's 64-bit integers.

The checks live here once; the API's body parser, the request guard middleware and the
form helpers (``core.params``) call them, so a refusal names the field and the rule
wherever the value came in."""

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

import orjson
from django.utils.translation import gettext as _
from pydantic import Field

from xinyong.core.errors import FieldError, ValidationFailed

# PostgreSQL bigint and SQLite INTEGER: every id, offset and count column.
DB_INT_MAX = 2**63 - 1
# Deeper than any input schema (3 levels) by far; below orjson's own limits (serialising
# stops at 255 levels), so whatever was accepted can be stored again.
JSON_MAX_DEPTH = 64

# Shared bounded integer types of the API's parameters and input schemas: a value the
# database cannot hold is refused as the field's error instead of overflowing in SQL.
RowId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Offset = Annotated[int, Field(ge=0, le=DB_INT_MAX)]

_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


class InputRefused(Exception):
    """The request cannot be read at all (HTTP ``status``) or a value in it breaks one of
    the rules above; ``errors`` name the field and the rule. Nothing was read further."""

    def __init__(self, status: int, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.rule}" for e in errors))
        self.status = status
        self.errors = errors


def multipart_unreadable() -> InputRefused:
    """A multipart body Django's parser refuses (a part's headers too large, a broken
    boundary): a 400 naming the body, wherever it is first read."""
    return InputRefused(
        400, [FieldError("body", "multipart.syntax", _("无法读取 multipart 请求体"))]
    )


def text_fault(field: str, value: str) -> FieldError | None:
    """The error of a text value no database stores (NUL, a lone surrogate), or None."""
    bad = _BAD_CHAR.search(value)
    if bad is None:
        return None
    if bad.group() == "\x00":
        return FieldError(field, "string.nul", _("不能包含空字符（NUL, \\u0000）"))
    return FieldError(field, "string.surrogate", _("不能包含不成对的代理字符（非法 Unicode）"))


def printable_name(name: str) -> str:
    """A field name as it can be shown in an error (whatever the client sent as a key)."""
    return _BAD_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def query_faults(raw_query: str) -> list[FieldError]:
    """Errors of a raw query string (``QUERY_STRING``, percent-encoded): every name and
    value must be UTF-8 without NUL or surrogates. Django itself would replace invalid
    bytes silently, so this reads the raw string."""
    errors = []
    if not raw_query:
        return errors
    for part in raw_query.split("&"):
        if not part:
            continue
        name_raw, _sep, value_raw = part.partition("=")
        decoded = []
        for raw in (name_raw, value_raw):
            try:
                decoded.append(unquote_to_bytes(raw.replace("+", " ")).decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(None)
        name = decoded[0]
        label = printable_name(name) if name is not None else _lossy(name_raw)
        if None in decoded:
            errors.append(FieldError(label, "string.utf8", _("查询参数不是有效的 UTF-8 编码")))
            continue
        fault = text_fault(label, name) or text_fault(label, decoded[1])
        if fault:
            errors.append(fault)
    return errors


def _lossy(raw: str) -> str:
    return printable_name(unquote_to_bytes(raw).decode("utf-8", "replace"))


def values_faults(values: Iterable[tuple[str, Any]]) -> list[FieldError]:
    """Errors of named text values (path parameters, form fields)."""
    errors = []
    for name, value in values:
        if isinstance(value, str):
            fault = text_fault(printable_name(str(name)), value)
            if fault:
                errors.append(fault)
    return errors


def json_loads(body: bytes) -> Any:
    """A JSON request body, or InputRefused: 400 when it is not JSON (syntax, encoding,
    depth), 422 naming the path of a string holding NUL or a lone surrogate.

    orjson parses (fast, refuses surrogates and over-deep nesting itself); the slower
    standard parser runs only to explain what orjson refused, and the tree is walked for
    NUL only when the body holds the escape at all."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise _explain(body, e) from None
    faults = _tree_faults(data, strings=b"\\u0000" in body)
    if faults:
        raise faults
    return data


def _explain(body: bytes, error: orjson.JSONDecodeError) -> InputRefused:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return InputRefused(
            400,
            [
                FieldError(
                    "body",
                    "body.utf8",
                    _("请求体不是有效的 UTF-8 编码（第 %(start)s 字节）") % {"start": e.start},
                )
            ],
        )
    if "depth" in str(error):
        return _too_deep()
    try:
        data = json.loads(text)
    except RecursionError:
        return _too_deep()
    except ValueError as e:
        return InputRefused(
            400, [FieldError("body", "json.syntax", _("请求体不是有效的 JSON：%(e)s") % {"e": e})]
        )
    # Valid for the lenient parser: a lone surrogate, or NaN / Infinity, which JSON has not.
    faults = _tree_faults(data, strings=True)
    if faults:
        return faults
    return InputRefused(
        400,
        [
            FieldError(
                "body", "json.syntax", _("请求体不是有效的 JSON：%(error)s") % {"error": error}
            )
        ],
    )


def _too_deep() -> InputRefused:
    return InputRefused(
        400,
        [
            FieldError(
                "body",
                "json.depth",
                _("JSON 嵌套超过 %(JSON_MAX_DEPTH)s 层") % {"JSON_MAX_DEPTH": JSON_MAX_DEPTH},
            )
        ],
    )


def _tree_faults(data: Any, *, strings: bool) -> InputRefused | None:
    """Depth above the limit (400), or the paths of refused strings (422)."""
    if not strings:
        return _too_deep() if _deeper_than(data, JSON_MAX_DEPTH) else None
    errors = []
    for path, depth, value in _walk(data):
        if depth > JSON_MAX_DEPTH:
            return _too_deep()
        if isinstance(value, str):
            fault = text_fault(".".join(path) or "body", value)
            if fault:
                errors.append(fault)
                if len(errors) >= 20:
                    break
    return InputRefused(422, errors) if errors else None


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (containers only: the fast path)."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
    return False


def _walk(data: Any) -> Iterator[tuple[list[str], int, Any]]:
    """Every container and string of a parsed JSON value with its path and depth, without
    recursion (the depth is what is being checked). Keys are reported as values too, at
    the path of the object that holds them."""
    stack: list[tuple[list[str], int, Any]] = [([], 1, data)]
    while stack:
        path, depth, value = stack.pop()
        if isinstance(value, dict):
            yield path, depth, None
            for key, item in value.items():
                child = [*path, printable_name(key)]
                yield child, depth, key
                if isinstance(item, (dict, list, str)):
                    stack.append((child, depth + 1, item))
        elif isinstance(value, list):
            yield path, depth, None
            for i, item in enumerate(value):
                if isinstance(item, (dict, list, str)):
                    stack.append(([*path, str(i)], depth + 1, item))
        else:
            yield path, depth, value


def form_date(value, field: str) -> datetime.date | None:
    """A date typed in a form (YYYY-MM-DD), None when left empty; anything else refused
    naming the field (the one date rule of the back office's and the portal's forms)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.one(field, "date.invalid", _("日期格式应为 YYYY-MM-DD")) from None
