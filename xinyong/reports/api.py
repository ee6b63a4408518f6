"""/api/v1/reports: issue reports (departments' systems), download them, verify them."""

from ninja import Router

router = Router(tags=["reports"])


# -- verification: open to anyone -------------------------------------------------------

from typing import Annotated  # noqa: E402 - appended section

from django.http import HttpRequest  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from ninja import Status  # noqa: E402
from pydantic import WithJsonSchema  # noqa: E402

from xinyong.accounts.actors import ANONYMOUS  # noqa: E402
from xinyong.api.auth import AUTH  # noqa: E402
from xinyong.api.errors import ErrorOut  # noqa: E402
from xinyong.reports import selectors, services  # noqa: E402
from xinyong.reports.choices import VerifyChannel  # noqa: E402
from xinyong.reports.schemas import SigningKeysOut, VerificationOut  # noqa: E402
from xinyong.reports.services.verify import CODE, NUMBER, SHA256  # noqa: E402


def _anyone(request: HttpRequest):
    """Verification needs no account: a request without ``Authorization`` is the public
    (logged as 社会公众). A token that does not authenticate is still refused (401), so a
    system learns that its token expired instead of being logged as the public."""
    if "Authorization" in request.headers:
        return None
    request.actor = ANONYMOUS
    return ANONYMOUS


OPEN = [*AUTH, _anyone]


def _format(pattern):
    """A parameter's format, documented (so generated clients and tests know it) but
    checked by the service, whose refusal names the field and the rule in words."""
    return Annotated[str, WithJsonSchema({"type": "string", "pattern": f"^{pattern.pattern}$"})]


Number, Code, Sha256 = _format(NUMBER), _format(CODE), _format(SHA256)
# In the description: a token or a staff session identifies the verifier, none is needed
# (ninja lists the two schemes; the empty requirement is added to them).
_OPEN_DOC = {"security": [{}]}
NOT_GENUINE_DOC = "未能核验：不是本平台出具的报告，或编号、验证码有误（两者答复相同）"


@router.get(
    "/keys",
    auth=OPEN,
    response=SigningKeysOut,
    summary="报告签名公钥：验证报告数据文件（JSON）电子签名所用的全部公钥",
    openapi_extra=_OPEN_DOC,
)
def signing_keys(request: HttpRequest):
    return SigningKeysOut(keys=selectors.signing_keys())


@router.get(
    "/{number}",
    auth=OPEN,
    response={200: VerificationOut, 404: ErrorOut},
    summary="核验报告真伪：报告编号与验证码，可附文件的 SHA-256",
    description=(
        "无需登录；携带接口令牌时以业务系统名义记录核验。编号或验证码有误与报告不存在答复"
        "相同（404，rule=report.not_genuine），以防探测编号。附 sha256 时比对报告文件摘要，"
        "不符返回 status=altered。"
    ),
    openapi_extra={**_OPEN_DOC, "responses": {404: {"description": NOT_GENUINE_DOC}}},
)
def report_verify(
    request: HttpRequest,
    number: Number,
    code: Code,
    sha256: Sha256 = "",
):
    result = services.report_verify(
        actor=request.actor, number=number, code=code, pdf_sha256=sha256 or None,
        channel=VerifyChannel.API,
    )  # fmt: skip
    if not result.found:
        message = _("未能核验：不是本平台出具的报告，或编号、验证码有误")
        error = {"field": "number", "rule": "report.not_genuine", "message": message}
        return Status(404, {"detail": [error]})
    return Status(200, result.out())
