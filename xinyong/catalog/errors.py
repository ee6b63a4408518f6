"""A definition's faults in words an operator reads: each error of
:class:`~xinyong.catalog.definitions.ItemDefinition` (pydantic's, in English, about
``fields.3.code``) becomes a Chinese sentence naming the setting or the field by its
label — "第 4 个字段（CF_WSH）的编码：应为…". The YAML view and the form both go through it,
so a definition is refused with the same words whichever way it was written."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from xinyong.core.errors import FieldError

ITEM_LABELS = {
    "code": gettext_lazy("目录项编码"),
    "version": gettext_lazy("版本"),
    "name": gettext_lazy("目录项名称"),
    "category": gettext_lazy("目录类别"),
    "polarity": gettext_lazy("信息性质"),
    "disclosure": gettext_lazy("公开属性"),
    "legal_basis": gettext_lazy("法律依据"),
    "providers": gettext_lazy("提供部门"),
    "subject_kinds": gettext_lazy("主体类别"),
    "field_prefix": gettext_lazy("字段前缀"),
    "source_id_field": gettext_lazy("记录编号字段"),
    "decision_date_field": gettext_lazy("决定日期字段"),
    "valid_to_field": gettext_lazy("有效期截止字段"),
    "date_order": gettext_lazy("日期先后规则"),
    "publicity": gettext_lazy("公示规则"),
    "mode": gettext_lazy("公示方式"),
    "basis": gettext_lazy("公示依据"),
    "retention_years": gettext_lazy("保存年限"),
    "description": gettext_lazy("说明"),
    "fields": gettext_lazy("字段"),
}
FIELD_LABELS = {
    "code": gettext_lazy("编码"),
    "name": gettext_lazy("名称"),
    "type": gettext_lazy("类型"),
    "required": gettext_lazy("必填"),
    "max_length": gettext_lazy("最大长度"),
    "choices": gettext_lazy("可选值"),
    "multiple": gettext_lazy("可多选"),
    "disclosure": gettext_lazy("公开属性"),
    "aliases": gettext_lazy("别名"),
    "description": gettext_lazy("说明"),
}
PATTERNS = {
    "code": gettext_lazy("应为小写字母开头、由小写字母、数字和下划线组成的3至64位编码"),
    "field": gettext_lazy("应为大写字母开头、由大写字母、数字和下划线组成的2至40位编码，如 CF_WSH"),
    "providers": gettext_lazy("应为部门编码或 *（各部门）"),
}


def _rule(e: dict, pattern: str) -> str:
    """The sentence for one pydantic error (its type and context)."""
    kind, ctx = e["type"], e.get("ctx") or {}
    if kind == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    return {
        "missing": lambda: _("必填"),
        "string_too_short": lambda: _("不能为空"),
        "string_too_long": lambda: _("不得超过%(n)s个字符") % {"n": ctx.get("max_length")},
        "string_pattern_mismatch": lambda: str(PATTERNS[pattern]),
        "enum": lambda: _("不是可选的值"),
        "literal_error": lambda: _("不是可选的值"),
        "int_parsing": lambda: _("应为整数"),
        "int_type": lambda: _("应为整数"),
        "int_from_float": lambda: _("应为整数"),
        "greater_than_equal": lambda: _("不得小于%(n)s") % {"n": ctx.get("ge")},
        "less_than_equal": lambda: _("不得大于%(n)s") % {"n": ctx.get("le")},
        "too_short": lambda: _("至少需要%(n)s项") % {"n": ctx.get("min_length")},
        "bool_parsing": lambda: _("应为是或否"),
        "bool_type": lambda: _("应为是或否"),
        "extra_forbidden": lambda: _("不认识的设置项"),
    }.get(kind, lambda: _("格式不对"))()


def definition_errors(exc: ValidationError, *, source: str, data=None) -> list[FieldError]:
    """``exc`` as field errors: ``field`` the path under ``source`` (``definition.fields.3
    .code``, for a form to place the error), ``message`` a sentence naming the setting."""
    fields = data.get("fields") if isinstance(data, dict) else None
    errors = []
    for e in exc.errors(include_url=False):
        loc = [str(p) for p in e["loc"]]
        if loc[:1] == ["fields"] and len(loc) >= 2 and loc[1].isdecimal():
            n = int(loc[1])
            raw = fields[n] if isinstance(fields, list | tuple) and n < len(fields) else {}
            code = raw.get("code") if isinstance(raw, dict) else None
            where = _("第 %(n)d 个字段") % {"n": n + 1}
            if code and isinstance(code, str):
                where += f"（{code[:40]}）"
            part = FIELD_LABELS.get(loc[2], loc[2]) if len(loc) > 2 else ""
            label = _("%(where)s的%(part)s") % {"where": where, "part": part} if part else where
            pattern = "field"
        elif loc:
            label = "·".join(str(ITEM_LABELS.get(p, p)) for p in loc if not p.isdecimal())
            pattern = {"code": "code", "providers": "providers"}.get(loc[0], "field")
        else:
            label, pattern = _("目录项"), "field"
        errors.append(
            FieldError(
                ".".join([source, *loc]),
                f"catalog.{e['type']}",
                f"{label}：{_rule(e, pattern)}",
            )
        )
    return errors
