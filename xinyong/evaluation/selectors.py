"""Reads of the evaluation: current grades, what the public may see of a subject's grade,
a subject's full explained result (the subject itself and staff, audited), the runs."""

from django.db import transaction
from django.utils.translation import gettext as _g

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.evaluation.choices import RunStatus
from xinyong.evaluation.models import (
    EvaluationResult,
    EvaluationRun,
    ModelVersion,
    PublicationSettings,
    SubjectGrade,
)
from xinyong.evaluation.scoring import Compiled, grade_label

_COMPILED: dict[int, Compiled] = {}


def compiled(mv: ModelVersion) -> Compiled:
    """A model version ready to score (versions never change: kept per process)."""
    c = _COMPILED.get(mv.pk)
    if c is None:
        c = _COMPILED[mv.pk] = Compiled(mv.definition)
    return c


def grades_of(subject_ids) -> dict[int, str]:
    """The current grade of each of these subjects that has one (an unevaluated subject is
    absent: a new company has no grade, which is not a bad one)."""
    return dict(
        SubjectGrade.objects.filter(subject_id__in=list(subject_ids)).values_list(
            "subject_id", "grade"
        )
    )


def publication() -> PublicationSettings:
    return PublicationSettings.objects.first() or PublicationSettings(public_grades=["A"])


def _grade(g: SubjectGrade) -> dict:
    c = compiled(g.model_version)
    return {"grade": g.grade, "grade_label": grade_label(c, g.grade), "score": g.score,
            "scale": c.model.scale, "as_of": g.as_of, "evaluated_at": g.evaluated_at,
            "model": f"{c.model.name}（第 {c.model.version} 版）"}  # fmt: skip


def evaluation_public(subject_id: int) -> dict | None:
    """What anyone may see: the grade only if the credit office publishes that grade (by
    default A alone), the score only if it publishes scores; otherwise nothing — a grade
    not published is not hinted at either."""
    g = SubjectGrade.objects.select_related("model_version").filter(pk=subject_id).first()
    pub = publication()
    if g is None or g.grade not in pub.public_grades:
        return None
    out = _grade(g)
    if not pub.public_score:
        out["score"] = None
    return out


def grade_for_check(subject_id: int) -> str | None:
    """The grade a credit check answers with, when the office lets checks see grades."""
    if not publication().checks_see_grade:
        return None
    return SubjectGrade.objects.filter(pk=subject_id).values_list("grade", flat=True).first()


def evaluation_detail(actor: Actor, subject) -> dict | None:
    """The subject's full evaluation — score, grade, every indicator's points, reason,
    explanation and the records behind it, and what would improve it — for the subject
    itself and for staff; each reading audited. None when never evaluated."""
    access.require(actor, Action.EVALUATION_VIEW, subject,
                   message=_g("只有主体本身和各部门可以查看评价详情"))  # fmt: skip
    g = SubjectGrade.objects.select_related("model_version").filter(pk=subject.pk).first()
    if g is None:
        return None
    result = EvaluationResult.objects.get(pk=g.result_id)
    c = compiled(g.model_version)
    out = _grade(g)
    out.update({
        "base": c.model.base, "dimensions": c.explain(result.facts),
        "hints": c.hints(result.facts), "run_id": result.run_id,
        "grades": [{"grade": x.grade, "min": x.min, "name": x.name} for x in c.model.grades],
    })  # fmt: skip
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=AuditAction.EVALUATION_READ, object_type="subject",
            object_id=subject.pk, detail={"result": result.pk},
        )  # fmt: skip
    return out


def runs(limit: int = 50) -> list[EvaluationRun]:
    return list(EvaluationRun.objects.select_related("model_version")[:limit])


def run_busy() -> EvaluationRun | None:
    return EvaluationRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()


def model_versions() -> list[ModelVersion]:
    return list(ModelVersion.objects.all())


def grade_distribution() -> list[tuple[str, int]]:
    """Subjects per current grade, best first (the back office's overview)."""
    from django.db.models import Count

    rows = dict(SubjectGrade.objects.values_list("grade").annotate(n=Count("pk")))
    mv = ModelVersion.objects.filter(active=True).first()
    order = [g["grade"] for g in mv.definition["grades"]] if mv else sorted(rows)
    return [(g, rows.get(g, 0)) for g in order] + [
        (g, n) for g, n in sorted(rows.items()) if g not in order
    ]
