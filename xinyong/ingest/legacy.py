"""The older (2016) dual-publicity field set, still found in departments' feeds.

Before the 2019 standard, licences and penalties were exchanged with their own subject block
(``XK_XDR``, ``CF_XDR_MC``, ``CF_XDR_ZDM``…, ``XK_FR``), two penalty-kind columns
(``CF_CFLB1``/``CF_CFLB2``) with some combined kinds, a status code (``XK_ZT``/``CF_ZT``:
0 normal, 1 revoked, 2 under objection, 3 other) and two exchange columns (``DFBM`` region
code, ``SJC`` timestamp). Fields the current standard added (authority and data-source
codes, licence validity start, penalty validity) are absent.

A payload is read in the older set when its header (or, for an API row, its keys) has any
code only that set has. Each row is then translated into the current set before the row
check, so everything downstream — the check, matching, publicity — sees one format:

- renamed fields take their current code (a catalog alias is honoured as well);
- ``XK_XDR_SFZ``/``CF_XDR_SFZ`` becomes an identity-card number: the person's own for a
  natural person, the operator's (``FRDB_*``) when the row names an organisation;
- ``XDR_LB`` is inferred: a USCC starting ``92`` is an individual business, another USCC
  or an organisation code an organisation, an identity card alone a natural person;
- old penalty kinds are mapped to current ones; a combined kind is resolved by what the
  penalty content (``CF_JG``) says, and refused when it cannot be told apart where the
  publicity period depends on it (suspension vs revocation of a licence);
- status 1 (revoked) withdraws the record; 0 and 2 keep it valid (an objection goes
  through the platform's objection procedure, not the feed); 3 ("other") is refused;
- the data-source unit is the submitting department; the authority's code is the
  department's own only when the row names the department as the authority (or none);
- a licence's validity starts on its decision date; a penalty with no stated validity
  takes the standard's "no end stated" date 2099-12-31 (publicity periods do not read it);
- ``DFBM`` and ``SJC`` are dropped.

Every value filled this way is counted per field on the batch, so a department sees what
the platform supplied for it."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext

from xinyong.catalog.definitions import ID_PAIRS, ItemDefinition
from xinyong.catalog.rowschema import OP, RowSchema
from xinyong.core.errors import FieldError

NO_END_STATED = "2099-12-31"  # the current standard's value for a validity without end
IGNORED = {"DFBM": "地方编码", "SJC": "数据更新时间戳"}
# The old subject block, after the item's prefix (XK_ / CF_), and its Chinese headers.
_SUBJECT = {
    "XDR": "XDR_MC",
    "XDR_MC": "XDR_MC",
    "XDR_SHXYM": "XDR_SHXYM",
    "XDR_ZDM": "XDR_ZZJG",
    "XDR_GSDJ": "XDR_GSZC",
    "XDR_SWDJ": "XDR_SWDJ",
    "FR": "FRDB",
}
_ID_CARD = "XDR_SFZ"  # after the prefix
_SUBJECT_NAMES = {
    "行政相对人代码_1": "XDR_SHXYM",
    "行政相对人代码_1(统一社会信用代码)": "XDR_SHXYM",
    "行政相对人代码_2": "XDR_ZDM",
    "行政相对人代码_2(组织机构代码)": "XDR_ZDM",
    "行政相对人代码_3": "XDR_GSDJ",
    "行政相对人代码_3(工商登记码)": "XDR_GSDJ",
    "行政相对人代码_4": "XDR_SWDJ",
    "行政相对人代码_4(税务登记号)": "XDR_SWDJ",
    "行政相对人代码_5": _ID_CARD,
    "行政相对人代码_5(居民身份证号)": _ID_CARD,
    "法定代表人姓名": "FR",
}
STATUS = {"0": "有效", "正常": "有效", "2": "有效", "异议": "有效", "有效": "有效", "无效": "无效"}
WITHDRAWN = ("1", "撤销")
# Old penalty kinds → current ones; a tuple of alternatives is resolved by the content.
_KIND_CHOICES = {
    "没收违法所得、没收非法财物": ("没收违法所得", "没收非法财物"),
    "暂扣或者吊销许可证、暂扣或者吊销执照": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或者吊销许可证": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或者吊销执照": ("暂扣许可证件", "吊销许可证件"),
    "暂扣许可证": ("暂扣许可证件",),
    "吊销许可证": ("吊销许可证件",),
    "吊销执照": ("吊销许可证件",),
    "责令停产停业": ("责令停产停业",),
}
# What in the content tells the alternatives apart, and whether guessing both is harmless
# (both confiscations are general penalties; suspension and revocation are not alike).
_KIND_WORDS = {"没收违法所得": "违法所得", "没收非法财物": "非法财物", "暂扣许可证件": "暂扣",
               "吊销许可证件": "吊销"}  # fmt: skip
_BOTH_HARMLESS = {("没收违法所得", "没收非法财物")}


class FieldSet(enum.Enum):
    """Which standard a batch is written in: asked once per batch, from its header (or,
    for an API push, the keys of all its rows), never row by row."""

    # 现行标准: the current catalog's codes and names; rows go to the row check as they are.
    CURRENT = "current"
    # 2016年双公示字段集: every row is translated by the item's LegacyAdapter first.
    LEGACY_2016 = "legacy_2016"


@dataclass(frozen=True)
class Reading:
    """The answer for one batch: its field set, and the translation that goes with it."""

    field_set: FieldSet
    adapter: "LegacyAdapter | None" = None  # set exactly for LEGACY_2016

    @property
    def legacy(self) -> bool:
        return self.field_set is FieldSet.LEGACY_2016


CURRENT = Reading(FieldSet.CURRENT)


@dataclass(frozen=True)
class Adapted:
    """A row translated into the current set, with what the platform filled in (counted on
    the batch) and what it could not translate (the row's errors)."""

    row: dict
    supplied: list[str]
    errors: list[FieldError]


@dataclass(frozen=True)
class OldFields:
    """What one item's older field set has beyond what the catalog's aliases express."""

    prefix: str  # "XK_" / "CF_"
    status: str  # the old status code column
    authority: tuple[str, str]  # current (name, code) of the deciding authority
    source_unit: tuple[str, str]  # current (name, code) of the data-source unit
    renames: dict[str, str] = field(default_factory=dict)  # old item code → current code
    names: dict[str, str] = field(default_factory=dict)  # old Chinese header → old code
    kinds: tuple[str, ...] = ()  # old kind columns merged into the current kind field
    start_from: tuple[str, str] | None = None  # (validity start, decision date) fill
    no_end: str | None = None  # validity field filled with NO_END_STATED


FIELD_SETS = {
    "administrative_licence": OldFields(
        prefix="XK_",
        status="XK_ZT",
        authority=("XK_XKJG", "XK_XKJGDM"),
        source_unit=("XK_LYDW", "XK_LYDWDM"),
        names={"许可截止期": "XK_JZQ", "当前状态": "XK_ZT"},
        start_from=("XK_YXQZ", "XK_JDRQ"),
    ),
    "administrative_penalty": OldFields(
        prefix="CF_",
        status="CF_ZT",
        authority=("CF_CFJG", "CF_CFJGDM"),
        source_unit=("CF_SJLY", "CF_SJLYDM"),
        renames={"CF_CFMC": "CF_WFXW"},
        names={
            "处罚名称": "CF_CFMC",
            "处罚类别1": "CF_CFLB1",
            "处罚类别2": "CF_CFLB2",
            "处罚事由": "CF_SY",
            "当前状态": "CF_ZT",
        },
        kinds=("CF_CFLB1", "CF_CFLB2"),
        no_end="CF_YXQ",
    ),
}


class LegacyAdapter:
    """Reads one item's older field set for one submitting department."""

    def __init__(self, *, schema: RowSchema, fields: OldFields, provider_name: str,
                 provider_uscc: str):  # fmt: skip
        self.schema = schema
        self.fields = fields
        self.provider_name = provider_name
        self.provider_uscc = provider_uscc
        item: ItemDefinition = schema.item
        p = fields.prefix
        self.kind_field = next((f for f in item.fields if f.code == p + "CFLB"), None)
        # Old code → current code ("" = translated apart). The catalog's aliases that are
        # codes (XK_JZQ…) keep their meaning; the old set's own codes are added to them.
        aliases = {a: f.code for f in item.fields for a in f.aliases if a.isascii() and "_" in a}
        own = {p + k: v for k, v in _SUBJECT.items()} | fields.renames
        own |= dict.fromkeys((*IGNORED, *fields.kinds, p + _ID_CARD, fields.status), "")
        self.old = aliases | own
        current = schema.header_map
        # What only the older set has: its presence means an old payload. (CF_XDR_MC and
        # XK_ZT are current codes too, so they alone do not.)
        self.markers = frozenset(aliases) | {c for c in own if c not in current}
        self.header_map = {**current, **{c: c for c in self.old}}
        self.header_map |= {name: p + old for name, old in _SUBJECT_NAMES.items()}
        self.header_map |= fields.names | {name: code for code, name in IGNORED.items()}

    def reads(self, keys) -> bool:
        """Whether these headers or row keys are in the older set."""
        header_map, markers = self.header_map, self.markers
        for key in keys:
            h = str(key).strip().lstrip("\ufeff")
            if (header_map.get(h) or header_map.get(h.upper())) in markers:
                return True
        return False

    def resolve_headers(self, headers: list[str]) -> list[str]:
        """Old or current codes for an old file's headers, with the catalog's header errors;
        a required column counts as present when the translation supplies it."""
        return self.schema.resolve_headers(
            headers, mapping=self.header_map, supplied=self._supplied
        )

    def _supplied(self, codes: list[str]) -> set[str]:
        """Current codes rows with these columns have after the translation. Every fill is
        assumed possible here; a row that cannot get one is rejected with its reason."""
        f = self.fields
        have = {self.old.get(c) or c for c in codes}
        have |= {"XDR_LB", *f.authority, *f.source_unit, f.status}
        have |= {x for x in (f.start_from and f.start_from[0], f.no_end) if x}
        if self.kind_field is not None and set(codes) & set(f.kinds):
            have.add(self.kind_field.code)
        return have

    def reading(self, keys: Iterable) -> Reading:
        """The field-set question for a batch whose header (or rows' keys) are ``keys``."""
        if self.reads(keys):
            return Reading(FieldSet.LEGACY_2016, self)
        return CURRENT

    def adapt(self, row: dict) -> Adapted:
        """The row in the current set, with what was filled and any errors."""
        f = self.fields
        out: dict = {}
        old_kinds: list[str] = []
        id_card = status = None
        errors: list[FieldError] = []
        given: dict[str, str] = {}  # current code → the key that gave it
        for key, value in row.items():
            code = self.header_map.get(key, key)
            current = self.old.get(code)
            if current != "":  # a field of the current set, renamed or not
                target = current or code
                if target in given and not (_blank(value) or _blank(out[target])):
                    errors.append(
                        FieldError(
                            target,
                            "legacy.repeated",
                            gettext("“%(given)s”和“%(key)s”是同一字段（%(target)s），只能填一个")
                            % {"given": given[target], "key": key, "target": target},
                        )
                    )
                given[target] = key
                if not _blank(value) or target not in out:
                    out[target] = value
            elif code in f.kinds:
                if not _blank(value):
                    old_kinds.append(str(value))
            elif code == f.prefix + _ID_CARD:
                id_card = value
            elif code == f.status:
                status = "" if value is None else str(value).strip()
            # else: DFBM / SJC, dropped
        filled: list[str] = []
        if status in WITHDRAWN:
            out[OP] = "withdraw"  # only the record's id matters to a withdrawal
            return Adapted(out, filled, errors)
        errors += self._status(out, status, filled)
        if not _blank(id_card):
            organisation = not (_blank(out.get("XDR_SHXYM")) and _blank(out.get("XDR_ZZJG")))
            number = "FRDB_ZJHM" if organisation else "ZJHM"
            if _blank(out.get(number)):
                out[ID_PAIRS[number]], out[number] = "身份证", id_card
        if _blank(out.get("XDR_LB")):
            out["XDR_LB"] = _category(out)
            filled.append("XDR_LB")
        if old_kinds and self.kind_field is not None:
            kinds, kind_errors = self._kinds(old_kinds, str(out.get(f.prefix + "NR") or ""))
            out[self.kind_field.code] = ";".join(kinds)
            errors += kind_errors
        for name_field, code_field in (f.source_unit, f.authority):
            errors += self._unit(out, name_field, code_field, filled)
        if f.start_from and _blank(out.get(f.start_from[0])):
            out[f.start_from[0]] = out.get(f.start_from[1])
            filled.append(f.start_from[0])
        if f.no_end and _blank(out.get(f.no_end)):
            out[f.no_end] = NO_END_STATED
            filled.append(f.no_end)
        return Adapted(out, filled, errors)

    def _status(self, out: dict, status: str | None, filled: list[str]) -> list[FieldError]:
        code = self.fields.status
        keeps = code in self.schema.fields  # the licence keeps a status; the penalty has none
        if not status:
            if keeps and _blank(out.get(code)):
                out[code] = "有效"
                filled.append(code)
            return []
        if status in STATUS:
            if keeps:
                out[code] = STATUS[status]
            return []
        return [
            FieldError(
                code,
                "legacy.status",
                gettext(
                    "当前状态（%(code)s）“%(status)s”无法对应现行标准："
                    "旧状态码 0 正常、1 撤销、2 异议可以读取，3（其他）等请改用现行字段报送"
                )
                % {"code": code, "status": status},
            )
        ]

    def _kinds(self, given: list[str], content: str) -> tuple[list[str], list[FieldError]]:
        """Old penalty kinds as current ones; a combined kind by what the content names."""
        field_ = self.kind_field
        kinds: list[str] = []
        errors: list[FieldError] = []
        for value in (v for cell in given for v in _split(cell)):
            options = (value,) if value in field_.choices else _KIND_CHOICES.get(value)
            if options is None:
                errors.append(
                    FieldError(
                        field_.code,
                        "legacy.kind",
                        gettext("旧处罚类别“%(value)s”无法对应现行处罚类别（%(join)s）")
                        % {"value": value, "join": "、".join(field_.choices)},
                    )
                )
                continue
            named = [k for k in options if _KIND_WORDS.get(k, k) in content]
            if named:
                kinds += named
            elif len(options) == 1 or options in _BOTH_HARMLESS:
                kinds += options
            else:
                errors.append(
                    FieldError(
                        field_.code,
                        "legacy.kind_ambiguous",
                        gettext(
                            "旧处罚类别“%(value)s”须由处罚结果写明是%(join)s（二者公示期限不同），或改填现行处罚类别（%(code)s）"
                        )
                        % {"value": value, "join": "还是".join(options), "code": field_.code},
                    )
                )
        return list(dict.fromkeys(kinds)), errors

    def _unit(self, out: dict, name_field: str, code_field: str, filled: list[str]):
        """A unit the old set does not code: the submitting department's own code, when
        the row names the department (or no one) as that unit."""
        if not _blank(out.get(code_field)):
            return []
        named = str(out.get(name_field) or "").strip()
        label = self.schema.fields[code_field].name
        if named and named != self.provider_name:
            return [
                FieldError(
                    code_field,
                    "legacy.unit_code",
                    gettext(
                        "旧字段集没有%(label)s；“%(named)s”不是报送部门“%(provider_name)s”，请补充该列（%(code_field)s）"
                    )
                    % {
                        "label": label,
                        "named": named,
                        "provider_name": self.provider_name,
                        "code_field": code_field,
                    },
                )
            ]
        if not self.provider_uscc:
            return [
                FieldError(
                    code_field,
                    "legacy.provider_uscc",
                    gettext(
                        "旧字段集没有%(label)s，而报送部门“%(provider_name)s”未登记统一社会信用代码：请平台运营人员在部门设置中登记，或补充该列（%(code_field)s）"
                    )
                    % {
                        "label": label,
                        "provider_name": self.provider_name,
                        "code_field": code_field,
                    },
                )
            ]
        if not named:
            out[name_field] = self.provider_name
            filled.append(name_field)
        out[code_field] = self.provider_uscc
        filled.append(code_field)
        return []


def adapter_for(*, schema: RowSchema, provider_name: str, provider_uscc: str):
    """The older-set reader for the item, or None when the item had no older set."""
    fields = FIELD_SETS.get(schema.item.code)
    if fields is None:
        return None
    return LegacyAdapter(
        schema=schema, fields=fields, provider_name=provider_name, provider_uscc=provider_uscc
    )


def _blank(value) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _split(cell: str) -> list[str]:
    """Several old kinds in one cell (; ；); a combined kind keeps its inner 、."""
    return [v.strip() for v in cell.replace("；", ";").split(";") if v.strip()]


def _category(out: dict) -> str:
    uscc = str(out.get("XDR_SHXYM") or "").strip().upper()
    if uscc.startswith("92"):
        return "个体工商户"
    if uscc or not _blank(out.get("XDR_ZZJG")):
        return "法人及非法人组织"
    if not _blank(out.get("ZJHM")):
        return "自然人"
    return "法人及非法人组织"
