"""Rules the tips' writes share: a text someone wrote, a day, the tip opened for a step."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.catalog.rowschema import printable
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.tips.models import Tip


def text(errors: list, field: str, value, limit: int, missing: str = "") -> str:
    """A text: present (when ``missing`` says what to write), within ``limit`` and printable
    (it may become a record's cell, which refuses control characters)."""
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        if missing:
            errors.append(FieldError(field, "required", missing))
    elif len(value) > limit:
        message = gettext("不得超过 %(n)s 个字") % {"n": limit}
        errors.append(FieldError(field, "max_length", message))
    elif printable(value) != value:
        message = gettext("含有不可显示的控制字符，请删除后重新填写")
        errors.append(FieldError(field, "text.control_char", message))
    return value


def day(errors: list, field: str, value, missing: str) -> datetime.date | None:
    """A calendar day (a date, or ``YYYY-MM-DD``), not after today."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = value.strip()
        if not value:
            value = None
        else:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                message = gettext("日期格式应为 YYYY-MM-DD")
                errors.append(FieldError(field, "date.format", message))
                return None
    if value is None:
        errors.append(FieldError(field, "required", missing))
        return None
    if not isinstance(value, datetime.date):
        errors.append(FieldError(field, "date.format", gettext("日期格式应为 YYYY-MM-DD")))
        return None
    if value > timezone.localdate():
        errors.append(FieldError(field, "date.future", gettext("不能晚于今天")))
        return None
    return value


def open_tip(actor: Actor, tip_id: int, action: Action, statuses, *, message: str) -> Tip:
    """The tip, locked, for a step: one the actor does not see is not found; one it sees
    but may not act on is refused; one past the step says where it stands."""
    tip = None
    if isinstance(tip_id, int) and 0 < tip_id <= DB_INT_MAX:
        tip = (
            Tip.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("subject", "department", "domain")
            .filter(pk=tip_id)
            .first()
        )
    if tip is None:
        raise NotFound(gettext("没有举报 %(id)s") % {"id": tip_id})
    access.require(actor, action, tip, message=message)
    if tip.status not in statuses:
        raise ValidationFailed.one(
            "status", "tip.status",
            gettext("该举报当前状态为“%(status)s”，不能办理此步骤")
            % {"status": tip.get_status_display()},
        )  # fmt: skip
    return tip
