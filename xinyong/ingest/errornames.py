"""Batch errors as the back office shows them: each field by the name the catalog gives it
(违法行为类型, not CF_WFXW), and no field code left in the message — messages stored before
they were written with names alone (``违法行为类型（CF_WFXW）：…``) lose the code when shown.
The API and the CSV report keep the codes: they are for machines and the provider's
developers."""

import re

from django.utils.translation import gettext_lazy as _

from xinyong.catalog.definitions import SUBJECT_BLOCK, ItemDefinition
from xinyong.core.fieldlabels import field_label

_IN_PARENS = re.compile(r"[（(]([A-Za-z][A-Za-z0-9_]*)[）)]")
_ASCII_WORD = "A-Za-z0-9_"

# The families of the rules a row breaks, named for the count of errors stored without
# details (the rule ids are for the API and the report).
RULE_FAMILIES = {
    "required": _("必填项缺失"),
    "max_length": _("超过最大长度"),
    "enum": _("不在可选值内"),
    "date": _("日期有误"),
    "money": _("金额格式有误"),
    "number": _("数值有误"),
    "uscc": _("统一社会信用代码有误"),
    "resident_id": _("身份证件号码有误"),
    "passport": _("护照号码有误"),
    "id_number": _("证件号码有误"),
    "subject": _("主体不能匹配"),
    "record": _("记录不能匹配"),
    "column": _("列与表头不符"),
    "op": _("操作类型有误"),
}


def field_names(definition: ItemDefinition) -> dict[str, str]:
    """Every code a field of the item answers to (its code, aliases, and the subject block's
    prefixed codes) → the field's name."""
    names = {}
    prefix = definition.field_prefix
    for f in definition.all_fields:
        for code in (f.code, *f.aliases):
            names[code] = f.name
        if prefix and f in SUBJECT_BLOCK:
            names[prefix + f.code] = f.name
    return names


def _without_codes(message: str, names: dict[str, str]) -> str:
    message = _IN_PARENS.sub(lambda m: "" if m.group(1) in names else m.group(0), message)
    if not names:
        return message
    codes = sorted(names, key=len, reverse=True)
    word = re.compile(
        rf"(?<![{_ASCII_WORD}])(?:{'|'.join(map(re.escape, codes))})(?![{_ASCII_WORD}])"
    )
    return word.sub(lambda m: f"“{names[m.group(0)]}”", message)


def named_errors(errors: list[dict] | None, names: dict[str, str]) -> list[dict]:
    """``[{"label", "message"}]``: the field's name (or the page's name for ``row``,
    ``file``…), and the message with no field code in it."""
    out = []
    for e in errors or ():
        code = e.get("field", "")
        label = names.get(code) or field_label(code)
        out.append({"label": label, "message": _without_codes(e.get("message", ""), names)})
    return out


def rule_family(rule: str) -> str:
    return str(RULE_FAMILIES.get(rule.split(".", 1)[0], _("其他规则")))


def named_omitted(omitted: list, names: dict[str, str]) -> list[dict]:
    """The counts of errors stored without details: field and rule by name."""
    return [
        {"label": names.get(o.field) or field_label(o.field), "rule": rule_family(o.rule),
         "count": o.count}
        for o in omitted
    ]  # fmt: skip
