"""The API's JSON bodies: declared as JSON, valid UTF-8, bounded depth, no NUL or lone
surrogate in any string (``core.inputs``). Every refusal names the field and the rule.

A body that is not declared ``application/json`` is refused (415) before it is read: a
browser sends ``text/plain`` or a form across sites without asking first (no CORS
preflight), JSON it cannot send that way."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.parser import Parser

from xinyong.core.errors import FieldError
from xinyong.core.inputs import InputRefused, json_loads


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body, or InputRefused (415 wrong type, 400 unreadable, 422 a
    string the database cannot hold)."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if not _is_json(content_type):
        raise InputRefused(
            415,
            [
                FieldError(
                    "Content-Type",
                    "content_type.json",
                    gettext("请求体应为 application/json，收到的是“%(type)s”")
                    % {"type": content_type or gettext("未声明")},
                )
            ],
        )
    return json_loads(request.body)


class JsonParser(Parser):
    """ninja's body parser with the rules above (ninja wraps a parser's exception in its own
    400, whose cause the API's error handler unwraps; see ``api.errors``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json_body(request)
