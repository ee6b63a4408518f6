"""Multipart operations of the API (a form with a file: a scanned commitment, a breach's
evidence, an agency's statement with its attachment): the documented body and the reading
of the fields, written once so that every such endpoint refuses alike — 415 when the body
is not multipart, 400 when it cannot be read, 422 naming the field."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from ninja.errors import ValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from xinyong.core.errors import FieldError
from xinyong.core.inputs import InputRefused, multipart_unreadable, values_faults


def multipart_body(
    schema: type[BaseModel], file_part: str, file_doc: str, *, file_required: bool = True
) -> dict:
    """The documented body of a multipart operation: the schema's fields and the file."""
    body = schema.model_json_schema()
    for name, prop in body["properties"].items():  # an optional part is simply left out
        kinds = [k for k in prop.pop("anyOf", []) if k.get("type") != "null"]
        if prop.get("default", "") is None:
            del prop["default"]
        body["properties"][name] = {**kinds[0], **prop} if kinds else prop
    body["properties"][file_part] = {"type": "string", "format": "binary", "description": file_doc}
    if file_required:
        body["required"] = [*body.get("required", []), file_part]
    body.pop("title", None)
    body.pop("description", None)  # the schema class's docstring: notes for the code, not the API
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": body}}}}


def multipart_form(request: HttpRequest, schema: type[BaseModel]):
    """The request's multipart fields as ``schema`` (its file parts stay in FILES)."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise InputRefused(415, [FieldError(
            "Content-Type", "content_type.multipart",
            gettext("请求体应为 multipart/form-data，收到的是“%(type)s”")
            % {"type": content_type or gettext("未声明")})])  # fmt: skip
    try:
        fields = dict(request.POST.items())
        request.FILES  # noqa: B018 (its parts read now, so that a broken one is a 400 here)
    except (MultiPartParserError, SuspiciousOperation) as e:
        raise multipart_unreadable() from e
    faults = values_faults(fields.items())
    if faults:
        raise InputRefused(422, faults)
    try:
        return schema.model_validate(fields)
    except PydanticValidationError as e:
        raise ValidationError(e.errors(include_url=False)) from None
