"""Reads of the evaluation: current grades, what the public may see of a subject's grade,
a subject's full explained result (the subject itself and staff, audited), the runs."""

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.memo import Reloaded
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


def active_model() -> ModelVersion | None:
    """The model version in use (None before any is loaded)."""
    return ModelVersion.objects.filter(active=True).first()


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
    return _public(g, publication()) if g is not None else None


def _public(g: SubjectGrade, pub: PublicationSettings) -> dict | None:
    """The one rule of what the public sees of a grade (the portal, the public report)."""
    if g.grade not in pub.public_grades:
        return None
    out = _grade(g)
    if not pub.public_score:
        out["score"] = None
    return out


CHECK_SECONDS = 5.0  # how stale another process's view of the publication settings may be


def _check_load() -> tuple[bool, dict[str, str]]:
    mv = active_model()
    names = {}
    if mv is not None:
        c = compiled(mv)
        names = {g: grade_label(c, g) for g in c.grades}
    return publication().checks_see_grade, names


_check = Reloaded(_check_load, CHECK_SECONDS)


def check_grade(grade: str | None) -> tuple[str | None, str | None]:
    """The grade a credit check answers with — already read by the check's own query
    (``sanctions.selectors._by_uscc``) — and its name, or (None, None) when the subject
    has none or the credit office keeps grades out of checks. Memoised per process: the
    check is a hot path and adds no query for this."""
    see, names = _check.get()
    if not see or grade is None:
        return None, None
    return grade, names.get(grade, grade)


def check_forget() -> None:
    """After the settings or the active model changed: this process reloads at once."""
    _check.forget()


def evaluation_detail(actor: Actor, subject) -> dict | None:
    """The subject's full evaluation — score, grade, every indicator's points, reason,
    explanation and the records behind it, and what would improve it — for the subject
    itself and for staff; each reading audited. None when never evaluated."""
    access.require(actor, Action.EVALUATION_VIEW, subject,
                   message=gettext("只有主体本身和各部门可以查看评价详情"))  # fmt: skip
    g = SubjectGrade.objects.select_related("model_version").filter(pk=subject.pk).first()
    if g is None:
        return None
    result = EvaluationResult.objects.get(pk=g.result_id)
    c = compiled(g.model_version)
    out = _grade(g)
    out.update({
        "base": c.model.base, "dimensions": c.explain(result.facts),
        "hints": [h | {"grade_label": grade_label(c, h["grade"])} for h in c.hints(result.facts)],
        "run_id": result.run_id,
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


def run_get(run_id: int) -> EvaluationRun | None:
    return EvaluationRun.objects.select_related("model_version").filter(pk=run_id).first()


def run_progress(run: EvaluationRun) -> int:
    """Percent of the run's subjects evaluated (a done run is 100 even with none)."""
    if run.status == RunStatus.DONE:
        return 100
    if not run.subjects_total:
        return 0
    return min(100, run.subjects_done * 100 // run.subjects_total)


def run_busy() -> EvaluationRun | None:
    return EvaluationRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()


def model_versions() -> list[ModelVersion]:
    return list(ModelVersion.objects.all())


def grade_distribution() -> list[tuple[str, int]]:
    """Subjects per current grade, best first (the back office's overview)."""
    from django.db.models import Count

    rows = dict(SubjectGrade.objects.values_list("grade").annotate(n=Count("pk")))
    mv = active_model()
    order = [g["grade"] for g in mv.definition["grades"]] if mv else sorted(rows)
    return [(g, rows.get(g, 0)) for g in order] + [
        (g, n) for g, n in sorted(rows.items()) if g not in order
    ]


def evaluations_for_report(subject_ids, *, full: bool) -> dict[int, dict]:
    """The evaluation a credit report shows of each of these subjects, read for all of them
    at once (a batch of reports reads in chunks): with ``full`` (the own and the review
    report, which show non-public data) the grade, the score and each indicator's
    contribution with its reason; otherwise only what :func:`evaluation_public` allows."""
    ids = list(subject_ids)
    grades = list(SubjectGrade.objects.filter(subject_id__in=ids).select_related("model_version"))
    if not full:
        pub = publication()
        return {g.subject_id: row for g in grades if (row := _public(g, pub)) is not None}
    if not grades:
        return {}
    facts = dict(
        EvaluationResult.objects.filter(pk__in=[g.result_id for g in grades]).values_list(
            "pk", "facts"
        )
    )
    out = {}
    for g in grades:
        c = compiled(g.model_version)
        out[g.subject_id] = _grade(g) | {
            "base": c.model.base,
            "contributions": [
                {"dimension": d["name"], "name": i["name"], "points": i["points"],
                 "reason": i["reason"]}
                for d in c.explain(facts[g.result_id]) for i in d["indicators"] if i["points"]
            ],
        }  # fmt: skip
    return out
