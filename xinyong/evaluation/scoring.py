"""A model version applied to one subject's facts: points per indicator (capped by the
model file), the score on the model's scale, the grade, the reasons and the hints of what
would improve it. Pure: no database, no clock — the engine calls it for every subject, the
selectors call it again on stored facts to explain a result."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _g

from xinyong.evaluation.indicators import REGISTRY, SCORING, Outcome
from xinyong.evaluation.model_file import ModelDef


@dataclass(frozen=True)
class Score:
    score: int
    grade: str
    points: dict[str, int]  # non-zero points per indicator, capped
    cap: str | None  # the veto that limited the grade, if any


class Compiled:
    """A model definition ready to score: its indicators in file order with their caps."""

    def __init__(self, definition: dict | ModelDef):
        self.model = (
            definition if isinstance(definition, ModelDef) else ModelDef.model_validate(definition)
        )
        self.indicators = [(d, i, REGISTRY[i.code]) for d in self.model.dimensions
                           for i in d.indicators]  # fmt: skip
        self.grades = [g.grade for g in self.model.grades]  # best first
        self._memo: dict[tuple, Score] = {}

    @cached_property
    def grade_names(self) -> dict[str, str]:
        return {g.grade: g.name for g in self.model.grades}

    def grade_for(self, score: int, cap: str | None = None) -> str:
        grade = next(g.grade for g in self.model.grades if score >= g.min)
        if cap is not None and self.grades.index(cap) > self.grades.index(grade):
            return cap
        return grade

    def _clamp(self, ind, points: int) -> int:
        return max(ind.min, min(ind.max, points))

    def score(self, facts: dict) -> Score:
        """The subject's score. Points depend on the counts only, never on which records:
        subjects with the same counts share one computation (most files look alike)."""
        key = tuple((k, tuple(v) if isinstance(v, list) else v)
                    for k, v in facts.items() if not k.endswith("_ids"))  # fmt: skip
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        points, cap, total = {}, None, self.model.base
        token = SCORING.set(True)
        try:
            outcomes = [reg.fn(facts, ind.params) for _dim, ind, reg in self.indicators]
        finally:
            SCORING.reset(token)
        for (_dim, ind, _reg), out in zip(self.indicators, outcomes, strict=True):
            p = self._clamp(ind, out.points)
            total += p
            if p:
                points[ind.code] = p
            if out.cap is not None and (
                cap is None or self.grades.index(out.cap) > self.grades.index(cap)
            ):
                cap = out.cap  # fmt: skip
        total = max(0, min(self.model.scale, total))
        result = Score(total, self.grade_for(total, cap), points, cap)
        if len(self._memo) < 200_000:
            self._memo[key] = result
        return result

    def explain(self, facts: dict) -> list[dict]:
        """Per dimension, each indicator's points (raw and capped), reason, the records and
        entries it rests on and its public explanation."""
        out = []
        for dim in self.model.dimensions:
            rows = []
            for ind in dim.indicators:
                reg = REGISTRY[ind.code]
                o: Outcome = reg.fn(facts, ind.params)
                rows.append({
                    "code": ind.code, "name": ind.name, "points": self._clamp(ind, o.points),
                    "raw_points": o.points, "min": ind.min, "max": ind.max, "reason": o.reason,
                    "records": o.evidence, "entries": o.entries, "cap": o.cap,
                    "explanation": str(reg.explanation), "improve": str(reg.improve),
                })  # fmt: skip
            out.append({"code": dim.code, "name": dim.name, "indicators": rows,
                        "points": sum(r["points"] for r in rows)})  # fmt: skip
        return out

    def hints(self, facts: dict) -> list[dict]:
        """What would improve the grade: each indicator below its maximum, the points it
        could still bring, the score and grade the subject would then have, and how —
        the ones that alone change the grade first."""
        now = self.score(facts)
        out = []
        for dim in self.explain(facts):
            for row in dim["indicators"]:
                gain = row["max"] - row["points"]
                if gain <= 0 or not row["improve"]:
                    continue
                lifted = None if row["cap"] else now.cap  # removing a veto lifts its cap
                score = max(0, min(self.model.scale, now.score + gain))
                grade = self.grade_for(score, lifted)
                out.append({"code": row["code"], "name": row["name"], "gain": gain,
                            "score": score, "grade": grade,
                            "changes_grade": grade != now.grade, "how": row["improve"],
                            "now": row["reason"]})  # fmt: skip
        out.sort(key=lambda h: (not h["changes_grade"], -h["gain"]))
        return out


def grade_label(compiled: Compiled, grade: str) -> str:
    name = compiled.grade_names.get(grade, "")
    return _g("%(grade)s级（%(name)s）") % {"grade": grade, "name": name} if name else grade
