"""The shape of a catalog item as declared in YAML (``catalog/default/*.yaml``) or revised by
the platform operator. Parsing an item through :class:`ItemDefinition` is the one check both
paths share: a definition that would let a record in without a legal basis, a provider or a
subject key is refused with the field and the rule, before anything is stored."""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from xinyong.catalog.choices import Category, Disclosure, FieldType, Polarity, PublicityMode

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{2,63}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


# The settings that name one of the item's fields, as people call them.
REFERENCE_LABELS = {
    "source_id_field": gettext_lazy("记录编号字段"),
    "decision_date_field": gettext_lazy("决定日期字段"),
    "valid_to_field": gettext_lazy("有效期截止字段"),
}


class FieldDefinition(BaseModel):
    """One field of a record: its standard code (e.g. ``CF_WSH``), the Chinese name that file
    headers may use instead, type and constraints, and who may see it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    name: Text
    type: FieldType = FieldType.STRING
    required: bool = False
    max_length: int | None = Field(default=None, ge=1, le=20000)
    choices: tuple[str, ...] | None = None
    multiple: bool = False  # enum only: several values separated by ; ； , ， or 、
    disclosure: Disclosure = Disclosure.PUBLIC
    aliases: tuple[str, ...] = ()  # older codes or header spellings still found in feeds
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self):
        if self.type == FieldType.ENUM and not self.choices:
            raise ValueError(_("%(code)s：枚举字段须列出可选值") % {"code": self.code})
        if self.type != FieldType.ENUM and (self.choices or self.multiple):
            raise ValueError(
                _("%(code)s：只有枚举字段可以设置可选值或可多选") % {"code": self.code}
            )
        if self.type == FieldType.ID_NUMBER and self.disclosure == Disclosure.PUBLIC:
            raise ValueError(_("%(code)s：证件号码字段不得公开") % {"code": self.code})
        return self


class Publicity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: PublicityMode = PublicityMode.NONE
    basis: str = ""  # legal basis of the publicity rule


class ItemDefinition(BaseModel):
    """A catalog item (信息事项) as declared. ``version`` grows with every change; a stored
    version is never edited, so records keep the definition they were checked against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: ItemCode
    version: int = Field(ge=1)
    name: Text
    category: Category
    polarity: Polarity
    disclosure: Disclosure
    legal_basis: Text
    providers: tuple[Annotated[str, StringConstraints(pattern=r"^(\*|[A-Z0-9_]{1,32})$")], ...]
    subject_kinds: tuple[Literal["organization", "individual_business", "person"], ...] = (
        "organization",
        "individual_business",
        "person",
    )
    field_prefix: str = ""  # e.g. "CF_": the subject block also answers to CF_XDR_MC…
    source_id_field: Code | None = None  # the provider's record id when ``source_id`` is absent
    decision_date_field: Code | None = None  # when the decision was made (timeliness)
    valid_to_field: Code | None = None  # end of validity (licences)
    # Pairs of date fields (earlier, later): when both are given the first may not be after
    # the second (a validity cannot end before it starts). The decision date is never in
    # the future: that rule needs no declaration.
    date_order: tuple[tuple[Code, Code], ...] = ()
    publicity: Publicity = Publicity()
    retention_years: int = Field(default=5, ge=1, le=100)
    description: str = ""
    fields: tuple[FieldDefinition, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        codes = [f.code for f in self.fields]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(_("字段编码重复：%(codes)s") % {"codes": "、".join(dupes)})
        subject_codes = {f.code for f in SUBJECT_BLOCK}
        clash = sorted(subject_codes & set(codes))
        if clash:
            raise ValueError(_("字段与主体信息字段重复：%(codes)s") % {"codes": "、".join(clash)})
        known = {f.code: f for f in self.fields}
        for attr in ("source_id_field", "decision_date_field", "valid_to_field"):
            ref = getattr(self, attr)
            if ref is not None and ref not in known:
                raise ValueError(
                    _("%(setting)s指向的字段 %(code)s 不存在")
                    % {"setting": REFERENCE_LABELS[attr], "code": ref}
                )
        for earlier, later in self.date_order:
            for ref in (earlier, later):
                if ref not in known or known[ref].type != FieldType.DATE:
                    raise ValueError(_("日期先后规则只能用日期字段：%(code)s") % {"code": ref})
        for attr in ("decision_date_field", "valid_to_field"):
            ref = getattr(self, attr)
            if ref is not None and known[ref].type != FieldType.DATE:
                raise ValueError(
                    _("%(setting)s须为日期字段：%(code)s")
                    % {"setting": REFERENCE_LABELS[attr], "code": ref}
                )
        if self.publicity.mode == PublicityMode.WHILE_VALID and self.valid_to_field is None:
            raise ValueError(_("“有效期内公示”须指定有效期字段"))
        if self.publicity.mode != PublicityMode.NONE and self.disclosure != Disclosure.PUBLIC:
            raise ValueError(_("只有公开属性为“公开”的目录项才能公示"))
        if not self.providers:
            raise ValueError(_("至少须有一个提供部门（或“各部门”）"))
        return self

    @property
    def all_fields(self) -> tuple[FieldDefinition, ...]:
        """The subject block followed by the item's own fields."""
        return SUBJECT_BLOCK + self.fields

    def provided_by(self, department_code: str) -> bool:
        return "*" in self.providers or department_code in self.providers


_SUBJECT_CATEGORY = ("法人及非法人组织", "自然人", "个体工商户")
ID_TYPES = (
    "身份证",
    "护照号",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
)

# The subject block of the national dual-publicity standard, shared by every item: who the
# record is about and how to find them in the registry.
SUBJECT_BLOCK: tuple[FieldDefinition, ...] = tuple(
    FieldDefinition(**f)
    for f in (
        {"code": "XDR_MC", "name": "行政相对人名称", "required": True, "max_length": 200},
        {
            "code": "XDR_LB",
            "name": "行政相对人类别",
            "type": "enum",
            "required": True,
            "choices": _SUBJECT_CATEGORY,
        },
        {"code": "XDR_SHXYM", "name": "统一社会信用代码", "type": "uscc"},
        {"code": "XDR_GSZC", "name": "工商注册号", "max_length": 50},
        {"code": "XDR_ZZJG", "name": "组织机构代码", "max_length": 50},
        {"code": "XDR_SWDJ", "name": "税务登记号", "max_length": 50},
        {"code": "XDR_SYDW", "name": "事业单位证书号", "max_length": 50},
        {"code": "XDR_SHZZ", "name": "社会组织登记证号", "max_length": 50},
        {"code": "FRDB", "name": "法定代表人", "max_length": 50},
        {
            "code": "FRDB_ZJLX",
            "name": "法定代表人证件类型",
            "type": "enum",
            "choices": ID_TYPES,
            "disclosure": "restricted",
        },
        {
            "code": "FRDB_ZJHM",
            "name": "法定代表人证件号码",
            "type": "id_number",
            "disclosure": "restricted",
            "max_length": 64,
        },
        {
            "code": "ZJLX",
            "name": "证件类型",
            "type": "enum",
            "choices": ID_TYPES,
            "disclosure": "restricted",
        },
        {
            "code": "ZJHM",
            "name": "证件号码",
            "type": "id_number",
            "disclosure": "restricted",
            "max_length": 64,
        },
    )
)
SUBJECT_CATEGORY_KIND = {
    "法人及非法人组织": "organization",
    "个体工商户": "individual_business",
    "自然人": "person",
}
# Identifier-number fields and the type field that says how to read each.
ID_PAIRS = {"FRDB_ZJHM": "FRDB_ZJLX", "ZJHM": "ZJLX"}
