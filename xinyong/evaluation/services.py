"""Writes of the evaluation: a model file loaded as a new version, a run requested, what
the public sees. The run itself is ``engine.run_execute`` (the worker's)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import ValidationFailed
from xinyong.evaluation import selectors
from xinyong.evaluation.choices import RunKind, RunStatus
from xinyong.evaluation.model_file import ModelError, model_parse
from xinyong.evaluation.models import EvaluationRun, ModelVersion, PublicationSettings


def model_version_load(*, actor: Actor, text: str, activate: bool = True) -> ModelVersion:
    """A model file kept as a new version. The same code and version loaded again with
    another text is refused: a version, once it exists, is what its results were made by.
    Loading the identical text again is a no-op (it may activate it)."""
    access.require(actor, Action.ADMINISTER)
    try:
        model, digest = model_parse(text)
    except ModelError as exc:
        raise ValidationFailed.one("model", exc.rule, str(exc)) from None
    with transaction.atomic():
        mv = (
            ModelVersion.objects.select_for_update()
            .filter(code=model.code, version=model.version)
            .first()
        )
        if mv is not None and mv.digest != digest:
            said = gettext(
                "模型 %(code)s 第 %(v)s 版已存在且内容不同：版本一经载入不可修改，请提高版本号"
            ) % {"code": model.code, "v": model.version}
            raise ValidationFailed.one("model", "model.version_exists", said)
        if mv is None:
            mv = ModelVersion.objects.create(
                code=model.code, version=model.version, name=model.name, source=text,
                digest=digest, definition=model.model_dump(), loaded_at=timezone.now(),
                loaded_by=actor.label[:150],
            )  # fmt: skip
        if activate and not mv.active:
            ModelVersion.objects.filter(active=True).update(active=False)
            mv.active = True
            mv.save(update_fields=["active"])
            selectors.check_forget()  # this process at once, again once committed
            transaction.on_commit(selectors.check_forget)
        audit_event_append(
            actor=actor, action=AuditAction.EVALUATION_MODEL_LOAD,
            object_type="evaluation_model", object_id=mv.pk,
            detail={"code": mv.code, "version": mv.version, "digest": digest,
                    "active": mv.active},
        )  # fmt: skip
    return mv


def run_request(
    *,
    actor: Actor,
    kind: str = RunKind.INCREMENTAL,
    as_of: datetime.date | None = None,
    enqueue: bool = True,
) -> EvaluationRun:
    """A run of the model in use, queued for the worker. One run at a time: a second one
    while another is queued or running is refused (it would compute the same grades).
    ``enqueue=False``: the caller executes it at once on a batch engine (the worker would
    take it on the database)."""
    access.require(actor, Action.ADMINISTER)
    if kind not in RunKind.values:
        raise ValidationFailed.one(
            "kind", "enum", gettext("评价类型应为 %(kinds)s") % {"kinds": "、".join(RunKind.values)}
        )
    from xinyong.evaluation import tasks

    with transaction.atomic():
        mv = ModelVersion.objects.select_for_update().filter(active=True).first()
        if mv is None:
            raise ValidationFailed.one("model", "model.none_active", gettext("尚未载入评价模型"))
        _interrupted(timezone.now())
        busy = EvaluationRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        if busy.exists():
            raise ValidationFailed.one(
                "kind", "evaluation.busy", gettext("已有评价批次正在排队或进行，请待其完成")
            )
        if (
            kind == RunKind.INCREMENTAL
            and not EvaluationRun.objects.filter(status=RunStatus.DONE, model_version=mv).exists()
        ):
            kind = RunKind.FULL  # nothing to increment from: the first run is full
        run = EvaluationRun.objects.create(
            model_version=mv, kind=kind, status=RunStatus.QUEUED,
            as_of=as_of or timezone.localdate(), requested_at=timezone.now(),
            requested_by=actor.label[:150],
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.EVALUATION_RUN, object_type="evaluation_run",
            object_id=run.pk, detail={"kind": kind, "model": f"{mv.code} v{mv.version}",
                                      "as_of": run.as_of.isoformat()},
        )  # fmt: skip
        if enqueue:
            transaction.on_commit(lambda: tasks.evaluation_run.enqueue(run.pk))
    return run


STALE = datetime.timedelta(hours=6)  # no run of a city takes an hour; six is a dead worker


def _interrupted(now: datetime.datetime) -> None:
    """A run still "running" long after it started died with its worker (a restart, an
    out-of-memory kill): failed, its partial results deleted, so that the next run may
    start. Its grades were never switched."""
    from xinyong.evaluation.models import EvaluationResult

    running = EvaluationRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=now - STALE)
    dead = list(running.values_list("pk", flat=True))
    if dead:
        EvaluationResult.objects.filter(run_id__in=dead).delete()
        EvaluationRun.objects.filter(pk__in=dead).update(
            status=RunStatus.FAILED,
            finished_at=now,
            error=gettext("评价进程中断（超过 6 小时未完成）"),
        )


def publication_set(
    *, actor: Actor, public_grades: list[str], public_score: bool, checks_see_grade: bool
) -> PublicationSettings:
    """What the public sees of the evaluation (by default grade A only, never a score)."""
    access.require(actor, Action.ADMINISTER)
    mv = selectors.active_model()
    known = [g["grade"] for g in mv.definition["grades"]] if mv else []
    bad = [g for g in public_grades if g not in known]
    if bad:
        raise ValidationFailed.one(
            "public_grades", "enum",
            gettext("等级应为 %(known)s") % {"known": "、".join(known) or "—"},
        )  # fmt: skip
    with transaction.atomic():
        row = PublicationSettings.objects.select_for_update().first() or PublicationSettings()
        row.public_grades = [g for g in known if g in public_grades]
        row.public_score = bool(public_score)
        row.checks_see_grade = bool(checks_see_grade)
        row.updated_at, row.updated_by = timezone.now(), actor.label[:150]
        row.save()
        selectors.check_forget()  # this process at once, again once committed
        transaction.on_commit(selectors.check_forget)
        audit_event_append(
            actor=actor, action=AuditAction.EVALUATION_PUBLICATION,
            object_type="evaluation_model", object_id=mv.pk if mv else 0,
            detail={"public_grades": row.public_grades, "public_score": row.public_score,
                    "checks_see_grade": row.checks_see_grade},
        )  # fmt: skip
    return row


def evaluation_daily(*, now: datetime.datetime | None = None) -> EvaluationRun | None:
    """The day's incremental run, requested by the daily upkeep after records past their
    retention, entries past their term and the publicity sweep are done — so it sees the
    day's file (the subjects they changed are among those it evaluates). None without a
    model in use, or while another run is queued or running (that one reads the changes;
    the next day's run takes what it missed). The worker executes it; where no worker
    runs, ``xinyong daily_upkeep`` executes it itself."""
    if selectors.run_busy() or selectors.active_model() is None:
        return None
    return run_request(
        actor=SYSTEM, kind=RunKind.INCREMENTAL, as_of=timezone.localdate(now or timezone.now())
    )
