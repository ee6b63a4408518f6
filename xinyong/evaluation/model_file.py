"""The evaluation model file: YAML read into a checked definition. A malformed file, an
unknown indicator, a missing parameter or weights that break the scale are refused with
the line of the file and the rule broken — an office edits this file by hand."""

import hashlib
import re

import yaml
from django.utils.translation import gettext as _g
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from xinyong.evaluation.indicators import REGISTRY

CODE = r"^[a-z][a-z0-9_]{0,63}$"


class ModelError(ValueError):
    """A model file refused: ``line`` (1-based, or None) and ``rule`` name what is wrong."""

    def __init__(self, line: int | None, rule: str, message: str):
        self.line, self.rule, self.message = line, rule, message
        where = _g("第 %(line)s 行：") % {"line": line} if line else ""
        super().__init__(f"{where}{message}（{rule}）")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorDef(_Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=100)
    min: int
    max: int
    params: dict = {}


class DimensionDef(_Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=100)
    indicators: list[IndicatorDef] = Field(min_length=1)


class GradeDef(_Strict):
    grade: str = Field(pattern=r"^[A-Z][A-Z0-9+-]{0,7}$")
    min: int = Field(ge=0)
    name: str = Field(min_length=1, max_length=50)


class ModelDef(_Strict):
    code: str = Field(pattern=CODE)
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    scale: int = Field(ge=10, le=100_000)
    base: int = Field(ge=0)
    dimensions: list[DimensionDef] = Field(min_length=1)
    grades: list[GradeDef] = Field(min_length=2)

    @model_validator(mode="after")
    def _scale(self):
        # Each rule raises with the path of what breaks it, for the line number.
        seen: set[str] = set()
        top = self.base
        for d, dim in enumerate(self.dimensions):
            for i, ind in enumerate(dim.indicators):
                path = ("dimensions", d, "indicators", i)
                if ind.code not in REGISTRY:
                    known = "、".join(sorted(REGISTRY))
                    raise _At((*path, "code"), "model.unknown_indicator",
                              _g("未知指标“%(code)s”：应为 %(known)s")
                              % {"code": ind.code, "known": known})  # fmt: skip
                if ind.code in seen:
                    raise _At((*path, "code"), "model.repeated_indicator",
                              _g("指标“%(code)s”重复") % {"code": ind.code})  # fmt: skip
                seen.add(ind.code)
                if ind.min > 0 or ind.max < 0 or ind.min > ind.max:
                    raise _At((*path, "min"), "model.indicator_range",
                              _g("指标的 min 应 ≤ 0 ≤ max"))  # fmt: skip
                missing = [p for p in REGISTRY[ind.code].params if p not in ind.params]
                unknown = [p for p in ind.params if p not in REGISTRY[ind.code].params]
                if missing or unknown:
                    raise _At((*path, "params"), "model.params",
                              _g("指标“%(code)s”的参数应为 %(params)s")
                              % {"code": ind.code,
                                 "params": "、".join(REGISTRY[ind.code].params)})  # fmt: skip
                for name, value in ind.params.items():
                    if not _param_ok(name, value):
                        raise _At((*path, "params", name), "model.param_type",
                                  _g("参数 %(name)s 应为整数分值") % {"name": name})  # fmt: skip
                top += ind.max
        if top != self.scale:
            raise _At(("base",), "model.scale",
                      _g("基础分与各指标 max 之和为 %(top)s，应等于满分 %(scale)s")
                      % {"top": top, "scale": self.scale})  # fmt: skip
        if self.base > self.scale:
            raise _At(("base",), "model.scale", _g("基础分不能超过满分"))
        grades = [g.grade for g in self.grades]
        for g, grade in enumerate(self.grades):
            if grade.min > self.scale:
                raise _At(("grades", g, "min"), "model.grade_threshold",
                          _g("分数线不能超过满分"))  # fmt: skip
            if g and grade.min >= self.grades[g - 1].min:
                raise _At(("grades", g, "min"), "model.grade_order",
                          _g("等级应按分数线从高到低排列"))  # fmt: skip
            if grade.grade in grades[:g]:
                raise _At(("grades", g, "grade"), "model.grade_repeated", _g("等级重复"))
        if self.grades[-1].min != 0:
            raise _At(("grades", len(self.grades) - 1, "min"), "model.grade_floor",
                      _g("最低一个等级的分数线应为 0"))  # fmt: skip
        for d, dim in enumerate(self.dimensions):
            for i, ind in enumerate(dim.indicators):
                cap = ind.params.get("serious_cap")
                if cap is not None and cap not in grades:
                    where = ("dimensions", d, "indicators", i, "params", "serious_cap")
                    raise _At(where, "model.cap",
                              _g("封顶等级“%(cap)s”不是模型的等级") % {"cap": cap})  # fmt: skip
        return self

    def indicators(self) -> list[IndicatorDef]:
        return [i for d in self.dimensions for i in d.indicators]


def _param_ok(name: str, value) -> bool:
    """Points are integers; a grade cap is a grade; a grade table maps grades to points."""
    if name == "serious_cap":
        return isinstance(value, str)
    if name == "grades":
        return isinstance(value, dict) and all(
            isinstance(k, str) and type(v) is int for k, v in value.items()
        )
    return type(value) is int


class _At(ValueError):
    def __init__(self, path: tuple, rule: str, message: str):
        self.path, self.rule, self.message = path, rule, message
        super().__init__(message)


def _line(node, path: tuple) -> int | None:
    """The 1-based line of ``path`` in the composed YAML tree (the deepest node found)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def model_parse(text: str) -> tuple[ModelDef, str]:
    """The checked definition and the SHA-256 of the text; :class:`ModelError` otherwise."""
    try:
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ModelError(mark.line + 1 if mark else None, "model.yaml",
                         _g("不是合法的 YAML：%(problem)s")
                         % {"problem": getattr(exc, "problem", exc)}) from None  # fmt: skip
    if not isinstance(data, dict):
        raise ModelError(1, "model.yaml", _g("模型文件应为一个映射（键: 值）"))
    try:
        model = ModelDef.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = err.get("ctx", {}).get("error")
        if isinstance(inner, _At):
            raise ModelError(_line(tree, inner.path), inner.rule, inner.message) from None
        loc = tuple(err["loc"])
        field = ".".join(str(x) for x in loc)
        rule = {"missing": "required", "extra_forbidden": "model.unknown_key"}.get(
            err["type"], re.sub(r"[^a-z_]", "", err["type"]) or "invalid"
        )
        message = {"missing": _g("缺少 %(field)s"),
                   "extra_forbidden": _g("不认识的键 %(field)s")}.get(
            err["type"], _g("%(field)s 不合规则：%(msg)s"))  # fmt: skip
        raise ModelError(_line(tree, loc), rule, message % {"field": field, "msg": err["msg"]}
                         ) from None  # fmt: skip
    return model, hashlib.sha256(text.encode()).hexdigest()
