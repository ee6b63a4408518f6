"""Credit check API router (逢办必查): thin; the rules live in services and selectors."""

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticValidationError

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.api.parser import json_body
from xinyong.core.inputs import RowId
from xinyong.sanctions import services
from xinyong.sanctions.schemas import CheckIn, CheckOut, FeedbackIn, FeedbackOut

router = Router(tags=["checks 信用核查"])


def _inline(schema: dict) -> dict:
    """A JSON schema with its ``$defs`` written in place (for the operation's documented
    body, which is parsed by the view itself)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline(CheckIn.model_json_schema())}},
    }
}


@router.post(
    "",
    response=CheckOut,
    summary="信用核查：办理事项时查询主体的名单与奖惩措施",
    openapi_extra=_CHECK_BODY,
)
def check(request: HttpRequest):
    """On the hot path of every counter the view does its own parsing (the same
    :class:`CheckIn` schema, from the body the API's parser reads and checks) and writes the
    answer straight as JSON: building and validating the response model would cost more
    than the lookup itself. Its shape is :class:`CheckOut`, which the tests hold the
    answers to."""
    actor = require_scope(request, ApiScope.CHECKS)
    try:
        payload = CheckIn.model_validate(json_body(request) if request.body else None)
    except PydanticValidationError as e:
        raise ValidationError(e.errors(include_url=False)) from None
    person = payload.person
    result = services.credit_check(
        actor=actor,
        matter=payload.matter,
        department=payload.department,
        uscc=payload.subject,
        id_type=person.id_type if person else None,
        id_number=person.id_number if person else None,
    )
    return HttpResponse(orjson.dumps(result), content_type="application/json")


@router.post("/{check_id}/feedback", response=FeedbackOut, summary="反馈核查所列措施的实施情况")
def feedback(request: HttpRequest, check_id: RowId, payload: FeedbackIn):
    actor = require_scope(request, ApiScope.CHECKS)
    rows = services.check_feedback_submit(
        actor=actor, check_id=check_id, items=[i.dict() for i in payload.items]
    )
    return FeedbackOut(check_id=check_id, recorded=len(rows))
