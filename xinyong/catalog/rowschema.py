"""Checking one row of a catalog item: headers to field codes, types and constraints, the
subject block's cross-field rules, and errors that name the field and the rule in Chinese.

Each item version compiles once into a pydantic model (types, lengths, enumerations, amounts
in Rust); formats pydantic does not know (dates in the forms feeds use, USCC, identifier
numbers) are small functions. The result of a row is its normalised data, ready to store,
and the keys that find its subject."""

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from xinyong.catalog.choices import FieldType
from xinyong.catalog.definitions import (
    ID_PAIRS,
    SUBJECT_BLOCK,
    SUBJECT_CATEGORY_KIND,
    FieldDefinition,
    ItemDefinition,
)
from xinyong.core.crypto import mask
from xinyong.core.errors import FieldError
from xinyong.subjects.identifiers import (
    IdentifierError,
    normalize_code,
    validate_passport,
    validate_resident_id,
    validate_uscc,
)

# Columns every batch may carry besides the item's fields.
SOURCE_ID = "source_id"  # the provider's own id of the record: resubmission is idempotent
OP = "op"  # upsert (default) or withdraw
REASON = "reason"  # why a record is withdrawn (kept with it; read only with op=withdraw)
META_HEADERS = {
    SOURCE_ID: SOURCE_ID,
    "来源记录编号": SOURCE_ID,
    "记录编号": SOURCE_ID,
    OP: OP,
    "操作": OP,
    REASON: REASON,
    "撤销原因": REASON,
}
OPS = {"upsert": "upsert", "新增或更新": "upsert", "withdraw": "withdraw", "撤销": "withdraw"}
ID_TYPE_OF = {"身份证": "resident_id", "护照号": "passport"}  # person keys the registry holds
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$")
_OTHER_ID = re.compile(r"^[A-Z0-9()（）-]{5,30}$")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Characters no cell may hold: C0 and C1 controls other than tab and line breaks (NUL among
# them, which PostgreSQL text cannot store), and lone surrogates (not text at all: they
# cannot be encoded as UTF-8). The columnar check has the same class (CONTROL_CHARS_RE).
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARS}\ud800-\udfff]")
CONTROL_RULE = "cell.control_char"
TOO_LARGE_RULE = "cell.too_large"


def printable(text: str) -> str:
    """Text safe to store and show whatever a submitter sent: forbidden characters become
    U+FFFD (for messages that quote a header or value, and for a rejected row's id)."""
    return _CONTROL.sub("\ufffd", text)


def cell_problems(row: dict, max_chars: int) -> list[tuple[str, str]]:
    """``(key, rule)`` for each cell holding a forbidden character or longer than
    ``max_chars``: such a row is refused before anything else reads its values."""
    found = []
    for k, v in row.items():
        if k.__class__ is str and _CONTROL.search(k):
            found.append((printable(k), CONTROL_RULE))
        elif v.__class__ is str:
            if len(v) > max_chars:
                found.append((k, TOO_LARGE_RULE))
            elif _CONTROL.search(v):
                found.append((k, CONTROL_RULE))
    return found


def parse_date(value: Any) -> datetime.date:
    """Dates as feeds write them: 2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日,
    with or without a time after a space or ``T`` (spreadsheets add 00:00:00)."""
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the common ISO form, parsed in C
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        m = _DATE.match(value.strip().split(" ", 1)[0].split("T", 1)[0])
        if m:
            y, mo, d = (m[1], m[2], m[3]) if m[2] else (m[1], m[4], m[5])  # separated or 8 digits
            try:
                return datetime.date(int(y), int(mo), int(d))
            except ValueError:
                pass
    raise PydanticCustomError("date.format", gettext("日期无效或格式不对，应为 YYYY-MM-DD"))


_SEVERAL = re.compile(r"\s*[;；,，、]\s*")


def join_choices(choices: tuple[str, ...], value: str) -> str:
    """Several enumeration values in one cell, kept in the catalog's order, joined by ';'."""
    given = [v for v in _SEVERAL.split(value) if v]
    wrong = [v for v in given if v not in choices]
    if wrong or not given:
        raise PydanticCustomError(
            "enum",
            gettext("“{wrong}”不在取值范围：{expected}"),
            {"wrong": "、".join(wrong), "expected": "、".join(choices)},
        )
    return ";".join(c for c in choices if c in given)


_VALID_USCC: dict[str, str] = {}  # recently seen valid codes (agencies recur on every row)


def _uscc(value: str) -> str:
    found = _VALID_USCC.get(value)
    if found is not None:
        return found
    try:
        code = validate_uscc(value)
    except IdentifierError as e:
        raise PydanticCustomError(e.rule, e.message) from None
    if len(_VALID_USCC) > 4096:
        _VALID_USCC.clear()
    _VALID_USCC[value] = code
    return code


def _annotation(f: FieldDefinition):
    if f.type in (FieldType.STRING, FieldType.TEXT, FieldType.ID_NUMBER):
        default = 4000 if f.type == FieldType.TEXT else 200
        return Annotated[str, StringConstraints(max_length=f.max_length or default)]
    if f.type == FieldType.ENUM:
        if f.multiple:
            return Annotated[str, AfterValidator(functools.partial(join_choices, f.choices))]
        return Literal[f.choices]
    if f.type == FieldType.DATE:
        return Annotated[datetime.date, BeforeValidator(parse_date)]
    if f.type == FieldType.MONEY:
        return Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
    if f.type == FieldType.INTEGER:
        return Annotated[int, Field(ge=0, le=2**53)]
    if f.type == FieldType.USCC:
        return Annotated[str, AfterValidator(_uscc)]
    raise AssertionError(f.type)


# pydantic error type → (our rule id, Chinese message template).
_RULES = {
    "missing": ("required", "必填"),
    "string_too_long": ("max_length", "长度不得超过 {max_length} 个字符"),
    "string_type": ("type.string", "应为文本"),
    "literal_error": ("enum", "取值应为：{expected}"),
    "decimal_parsing": ("money.format", "应为以万元计的数字"),
    "decimal_type": ("money.format", "应为以万元计的数字"),
    "decimal_max_digits": ("money.format", "数字位数过多"),
    "decimal_max_places": ("money.format", "最多 6 位小数（万元，精确到分）"),
    "decimal_whole_digits": ("money.format", "数字位数过多"),
    "greater_than_equal": ("range", "不得为负数"),
    "less_than_equal": ("range", "数值过大"),
    "int_parsing": ("integer.format", "应为整数"),
    "int_from_float": ("integer.format", "应为整数"),
    "int_type": ("integer.format", "应为整数"),
    "extra_forbidden": ("unknown_field", "目录中没有这个字段"),
}


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed: ``data`` is what the record stores (identifier numbers masked);
    ``sensitive`` holds the clear identifier numbers, to be encrypted, never stored as is."""

    data: dict
    sensitive: dict
    kind: str
    uscc: str | None
    name: str
    org_code: str | None  # from 组织机构代码 or a 15-character 税务登记号, to corroborate a name
    id_type: str | None  # of a person subject
    id_number: str | None
    decision_date: datetime.date | None
    valid_to: datetime.date | None


class RowSchema:
    """A compiled item version: ``check(row)`` returns a :class:`CheckedRow` or the list of
    :class:`FieldError` (field = the field code; message names the Chinese field name)."""

    def __init__(self, item: ItemDefinition):
        self.item = item
        self.fields = {f.code: f for f in item.all_fields}
        self._dates = [f.code for f in item.all_fields if f.type == FieldType.DATE]
        self._money = [f.code for f in item.all_fields if f.type == FieldType.MONEY]
        self.model = create_model(
            f"Row_{item.code}_v{item.version}",
            __config__=ConfigDict(
                extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True
            ),
            **{f.code: (_annotation(f), ... if f.required else None) for f in item.all_fields},
        )

    # -- headers -------------------------------------------------------------------------
    @functools.cached_property
    def header_map(self) -> dict[str, str]:
        """Every accepted header spelling → field code: the code, the Chinese name, the
        aliases, and for the subject block the item's prefixed codes (``CF_XDR_MC``)."""
        m = dict(META_HEADERS)
        prefix = self.item.field_prefix
        for f in self.item.all_fields:
            for h in (f.code, f.name, *f.aliases):
                m[h] = f.code
            if prefix and f in SUBJECT_BLOCK:
                m[prefix + f.code] = f.code
        return m

    def resolve_headers(self, headers: list[str], *, mapping=None, supplied=None) -> list[str]:
        """Field codes for the given column headers, or ValidationFailed-style errors naming
        unknown, repeated and missing required columns (raised as a list). An adapter for an
        older field set passes its own ``mapping`` and says which current fields its
        translation ``supplied`` for the resolved codes."""
        mapping = mapping or self.header_map
        errors: list[FieldError] = []
        codes: list[str] = []
        for i, raw in enumerate(headers, 1):
            h = (raw or "").strip().lstrip("\ufeff")
            code = mapping.get(h) or mapping.get(h.upper())
            if code is None:
                shown = printable(h[:100])
                errors.append(
                    FieldError(
                        f"column[{i}]",
                        "column.unknown",
                        gettext("第%(i)s列“%(shown)s”不是本目录项的字段")
                        % {"i": i, "shown": shown},
                    )
                )
                code = ""
            elif code in codes:
                errors.append(
                    FieldError(
                        f"column[{i}]",
                        "column.repeated",
                        gettext("第%(i)s列“%(h)s”与前面的列重复") % {"i": i, "h": printable(h)},
                    )
                )
            codes.append(code)
        present = supplied(codes) if supplied else set(codes)
        for f in self.item.all_fields:
            if f.required and f.code not in present:
                errors.append(
                    FieldError(
                        f.code, "column.missing", gettext("缺少必填列“%(name)s”") % {"name": f.name}
                    )
                )
        if errors:
            raise HeaderError(errors)
        return codes

    # -- rows ----------------------------------------------------------------------------
    def _error(self, code: str, rule: str, message: str) -> FieldError:
        f = self.fields.get(code)
        label = f.name if f else code  # the name people know; the API's error keeps the code
        return FieldError(code, rule, f"{label}：{message}")

    def check(self, row: dict) -> CheckedRow | list[FieldError]:
        clean = {k: v for k, v in row.items() if v is not None and v != ""}
        suspicious = [
            k
            for k, v in clean.items()
            if v.__class__ is str and v[0] in "=+-@" and len(v) > 1 and not _PLAIN_NUMBER.match(v)
        ]
        if suspicious:
            return [
                self._error(
                    k,
                    "cell.formula",
                    "以 = + - @ 开头的内容可能是表格公式（公式注入），已拒收；"
                    "如确需如此书写，请在开头加全角字符或说明文字",
                )
                for k in suspicious
            ]
        try:
            values = self.model.model_validate(clean).__dict__
        except ValidationError as exc:
            return [self._translate(e) for e in exc.errors(include_url=False)]
        errors: list[FieldError] = []
        kind = SUBJECT_CATEGORY_KIND[values["XDR_LB"]]
        if kind not in self.item.subject_kinds:
            errors.append(
                self._error("XDR_LB", "subject.kind_not_allowed", "本目录项不收录此类主体")
            )
        sensitive = {}
        for number_code, type_code in ID_PAIRS.items():
            number = values[number_code]
            if number is None:
                if values[type_code] is not None:
                    errors.append(self._error(number_code, "required", "填写了证件类型时必填"))
                continue
            if values[type_code] is None:
                errors.append(self._error(type_code, "required", "填写了证件号码时必填"))
                continue
            try:
                number = _id_number(values[type_code], number)
            except IdentifierError as e:
                errors.append(self._error(number_code, e.rule, e.message))
                continue
            sensitive[number_code] = number
        uscc = values["XDR_SHXYM"]
        org_code = _org_code(values["XDR_ZZJG"], values["XDR_SWDJ"])
        id_type = id_number = None
        if kind == "person":
            if "ZJHM" not in sensitive and not any(e.field.startswith("ZJ") for e in errors):
                errors.append(
                    self._error("ZJHM", "subject.id_required", "自然人须填写证件类型和号码")
                )
            elif "ZJHM" in sensitive:
                id_type = ID_TYPE_OF.get(values["ZJLX"])
                id_number = sensitive["ZJHM"]
                if id_type is None:
                    errors.append(
                        self._error("ZJLX", "subject.id_type", "自然人须以身份证或护照号标识")
                    )
            if uscc:
                errors.append(
                    self._error(
                        "XDR_SHXYM", "subject.kind_mismatch", "自然人不填写统一社会信用代码"
                    )
                )
        elif uscc is None and org_code is None:
            errors.append(
                self._error(
                    "XDR_SHXYM",
                    "subject.code_required",
                    "须填写统一社会信用代码，或同时填写名称与组织机构代码/税务登记号",
                )
            )
        errors.extend(self._date_rules(values))
        if errors:
            return errors
        for code in sensitive:
            values[code] = mask(sensitive[code])
        for code in self._dates:
            if values[code] is not None:
                values[code] = values[code].isoformat()
        for code in self._money:
            if values[code] is not None:
                values[code] = format(values[code].normalize(), "f")
        item = self.item
        return CheckedRow(
            data={k: v for k, v in values.items() if v is not None},
            sensitive=sensitive,
            kind=kind,
            uscc=uscc,
            name=values["XDR_MC"],
            org_code=org_code,
            id_type=id_type,
            id_number=id_number,
            decision_date=_date_of(values, item.decision_date_field),
            valid_to=_date_of(values, item.valid_to_field),
        )

    def _date_rules(self, values: dict) -> list[FieldError]:
        """A decision is not dated in the future; declared pairs of dates are in order."""
        errors = []
        decided = self.item.decision_date_field
        if decided and values[decided] is not None and values[decided] > today():
            errors.append(self._error(decided, "date.future", "决定日期不得晚于今天"))
        for earlier, later in self.item.date_order:
            if values[earlier] is not None and values[later] is not None:
                if values[earlier] > values[later]:
                    name = self.fields[earlier].name
                    errors.append(self._error(later, "date.order", f"不得早于{name}"))
        return errors

    def _translate(self, e: dict) -> FieldError:
        code = str(e["loc"][0]) if e.get("loc") else "row"
        if code.startswith("column["):
            return FieldError(
                code, "column.extra", gettext("本行比表头多出列（%(code)s）") % {"code": code}
            )
        rule, template = _RULES.get(e["type"], (e["type"], e.get("msg", "")))
        ctx = e.get("ctx") or {}
        if e["type"] == "literal_error" and code in self.fields:
            ctx = {"expected": "、".join(self.fields[code].choices or ())}
        if e["type"] not in _RULES:  # our own PydanticCustomError: rule and message as raised
            template = e.get("msg", "")
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
        return self._error(code, rule, message)


class HeaderError(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _id_number(id_type_label: str, raw: str) -> str:
    kind = ID_TYPE_OF.get(id_type_label)
    if kind == "resident_id":
        return validate_resident_id(raw)
    if kind == "passport":
        return validate_passport(raw)
    value = normalize_code(raw)
    if not _OTHER_ID.match(value):
        raise IdentifierError("id_number.format", gettext("证件号码应为5-30位字母或数字"))
    return value


def _org_code(zzjg: str | None, swdj: str | None) -> str | None:
    """The 9-character organisation code a record names, if any: 组织机构代码 written with or
    without its hyphen, or the old 15-character tax number (region + organisation code)."""
    if zzjg:
        code = normalize_code(zzjg).replace("-", "")
        if len(code) == 9:
            return code
    if swdj:
        code = normalize_code(swdj)
        if len(code) == 15:
            return code[6:]
    return None


def _date_of(values: dict, code: str | None) -> datetime.date | None:
    if code is None or values.get(code) is None:
        return None
    return datetime.date.fromisoformat(values[code])


def today() -> datetime.date:
    """Today in the platform's time zone (Asia/Shanghai)."""
    return timezone.localdate()


@functools.lru_cache(maxsize=256)
def compiled(item: ItemDefinition) -> RowSchema:
    """One compiled schema per item version (definitions are frozen, hence hashable)."""
    return RowSchema(item)
