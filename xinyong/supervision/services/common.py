"""What the supervision services share: the acting department, texts, ids."""

from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.catalog.rowschema import printable
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX


def text(errors: list, field: str, value, limit: int, missing: str = "") -> str:
    """A typed text: present (when ``missing`` says so), within ``limit``, printable."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        if missing:
            errors.append(FieldError(field, "required", missing))
    elif len(value) > limit:
        errors.append(
            FieldError(field, "max_length", gettext("不得超过 %(n)s 个字") % {"n": limit})
        )
    elif printable(value) != value:
        message = gettext("含有不可显示的控制字符，请删除后重新填写")
        errors.append(FieldError(field, "text.control_char", message))
    return value


def acting_department(actor: Actor, code: str = "") -> Department:
    """The department the actor acts for: its own; the operator names one (``code``) or
    acts as its own."""
    if actor.is_operator and code:
        dept = Department.objects.filter(code=code, is_active=True).first()
        if dept is None:
            raise ValidationFailed.one(
                "department", "department.unknown", gettext("没有该部门：%(code)s") % {"code": code}
            )
        return dept
    dept = None
    if actor.department_id is not None:
        dept = Department.objects.filter(pk=actor.department_id).first()
    if dept is None:
        raise ValidationFailed.one("department", "department.required", gettext("请指定实施部门"))
    return dept


def row_id(value, what: str) -> int:
    if not isinstance(value, int) or not 0 < value <= DB_INT_MAX:
        raise NotFound(gettext("没有%(what)s %(id)s") % {"what": what, "id": value})
    return value
