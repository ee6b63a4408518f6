"""Credit check API router (逢办必查): thin; the rules live in services and selectors."""

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Router

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.sanctions import services
from xinyong.sanctions.schemas import CheckIn, CheckOut, FeedbackIn, FeedbackOut

router = Router(tags=["checks 信用核查"])


@router.post("", response=CheckOut, summary="信用核查：办理事项时查询主体的名单与奖惩措施")
def check(request: HttpRequest, payload: CheckIn):
    """The answer is written straight as JSON: on the hot path of every counter, building
    and validating the response model would cost more than the lookup itself. Its shape is
    :class:`CheckOut`, which the tests hold the answers to."""
    actor = require_scope(request, ApiScope.CHECKS)
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
def feedback(request: HttpRequest, check_id: int, payload: FeedbackIn):
    actor = require_scope(request, ApiScope.CHECKS)
    rows = services.check_feedback_submit(
        actor=actor, check_id=check_id, items=[i.dict() for i in payload.items]
    )
    return FeedbackOut(check_id=check_id, recorded=len(rows))
