"""The NinjaAPI object under /api/v1: authentication, error mapping, and each app's router.

Every error body has the same shape, ``{"detail": [{"field", "rule", "message"}]}``, so an
integrating engineer can point at the offending field whatever went wrong."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja.errors import AuthenticationError, ValidationError

from xinyong.agencies.api import router as agency_router
from xinyong.agencies.api import verify as agency_verify
from xinyong.alerts.api import router as alerts_router
from xinyong.api import errors as api_errors
from xinyong.api.auth import AUTH
from xinyong.api.parser import JsonParser
from xinyong.associations.api import router as associations_router
from xinyong.audit.api import router as audit_router
from xinyong.bodies.api import router as bodies_router
from xinyong.commitments.api import matters as commitment_matters
from xinyong.commitments.api import router as commitments_router
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.declarations.api import router as declarations_router
from xinyong.disclosure.api import router as disclosure_router
from xinyong.evaluation.api import router as evaluation_router
from xinyong.evaluation.api import subjects as evaluation_subjects
from xinyong.exchange.api import router as feeds_router
from xinyong.exchange.webhooks.api import router as webhooks_router
from xinyong.ingest.api import router as ingest_router
from xinyong.practitioners.api import router as practitioners_router
from xinyong.remedies.api import objections as objections_router
from xinyong.remedies.api import router as repairs_router
from xinyong.reports.api import router as reports_router
from xinyong.sanctions.api import router as checks_router
from xinyong.subjects.api import router as subjects_router
from xinyong.supervision.api import router as supervision_router
from xinyong.tips.api import router as tips_router

api = api_errors.ApiWithErrors(
    title="xinyong 公共信用信息平台 API",
    version="1.0",
    urls_namespace="api",
    auth=AUTH,
    parser=JsonParser(),
    renderer=api_errors.Utf8JsonRenderer(),
    docs_url="/docs",
    description=(
        "部门报送、信用核查与主体查询接口。所有错误返回 {detail: [{field, rule, message}]}。"
    ),
)


api_errors.install(api)


def _body(errors: list[dict]) -> dict:
    return {"detail": errors}


@api.exception_handler(ValidationFailed)
def _validation_failed(request: HttpRequest, exc: ValidationFailed):
    return api.create_response(request, _body([e.as_dict() for e in exc.errors]), status=422)


@api.exception_handler(ValidationError)
def _schema_error(request: HttpRequest, exc: ValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        ctx = err.get("ctx") or {}
        rule = ctx.get("rule") or err.get("type", "invalid")
        msg = err.get("msg", "")
        errors.append({"field": ".".join(loc) or "body", "rule": rule, "message": msg})
    return api.create_response(request, _body(errors), status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return api.create_response(
        request,
        _body(
            [{"field": "body", "rule": "body.max_size", "message": f"请求体超过上限 {limit} KB"}]
        ),
        status=413,
    )


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict):
    return api.create_response(request, _body([exc.error.as_dict()]), status=409)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(
        request, _body([{"field": "", "rule": "permission", "message": str(exc)}]), status=403
    )


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound):
    return api.create_response(
        request, _body([{"field": "", "rule": "not_found", "message": str(exc)}]), status=404
    )


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        _body(
            [
                {
                    "field": "Authorization",
                    "rule": "auth.token",
                    "message": "缺少、无效或过期的接口令牌",
                }
            ]
        ),
        status=401,
    )


@api.get("/health", auth=None, summary="健康检查（负载均衡探活，不访问数据库）", tags=["ops"])
def health(request: HttpRequest):
    return {"status": "ok"}


api.add_router("/subjects", subjects_router)
api.add_router("/records", ingest_router)
api.add_router("/publicity", disclosure_router)
api.add_router("/checks", checks_router)
api.add_router("/repairs", repairs_router)
api.add_router("/objections", objections_router)
api.add_router("/audit", audit_router)
api.add_router("/reports", reports_router)
api.add_router("/commitment-matters", commitment_matters)
api.add_router("/commitments", commitments_router)
api.add_router("/feeds", feeds_router)
api.add_router("/declarations", declarations_router)
api.add_router("/subjects", evaluation_subjects)
api.add_router("/evaluation", evaluation_router)
api.add_router("/supervision", supervision_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/practitioners", practitioners_router)
api.add_router("/alerts", alerts_router)
api.add_router("/tips", tips_router)
api.add_router("/associations", associations_router)
api.add_router("/agency", agency_router)
api.add_router("/agency-reports", agency_verify)
api.add_router("/bodies", bodies_router)
