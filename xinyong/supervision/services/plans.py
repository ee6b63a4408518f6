"""Writes of an inspection plan: create (items, ratios per class, inspectors per task),
freeze (candidates, pools, exclusions and their digests; the seed's hash published), draw
(the tasks, with the seed), publish the seed. Each step is one-way, one transaction and
one audit event; a refused step writes nothing (see :mod:`xinyong.supervision.draw`)."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.bulkcopy import insert_rows
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.subjects.models import Subject
from xinyong.supervision import classes, draw
from xinyong.supervision.choices import PlanStatus, SupervisionClass, TaskStatus
from xinyong.supervision.models import (
    InspectionItem,
    InspectionPlan,
    InspectionTask,
    Inspector,
    PlanCandidate,
    TaskInspector,
)
from xinyong.supervision.services.common import row_id, text


def _pool_sizes(department_ids) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Inspector.objects.filter(department_id__in=department_ids, is_active=True)
        .values("department_id")
        .annotate(n=Count("pk"))
    )
    return {r["department_id"]: r["n"] for r in rows}


def _too_few(errors: list, departments, per: int) -> None:
    sizes = _pool_sizes([d.pk for d in departments])
    for d in departments:
        if sizes.get(d.pk, 0) < per:
            message = gettext(
                "%(dept)s 在册执法检查人员 %(n)s 名，少于每项任务所需的 %(per)s 名"
            ) % {"dept": d.name, "n": sizes.get(d.pk, 0), "per": per}
            errors.append(
                FieldError("inspectors_per_department", "plan.too_few_inspectors", message)
            )


def plan_create(
    *,
    actor: Actor,
    name: str,
    item_ids: list,
    ratios: dict,
    inspectors_per_department: int,
    period_start: datetime.date,
    period_end: datetime.date,
) -> InspectionPlan:
    """A draft plan of the actor's department (the lead), over one or several items —
    items of other departments make it a joint inspection (部门联合抽查). Ratios per class
    in whole percent, each within the range of every item; at least two inspectors per
    task in all, at least one from each department, and as many in each pool."""
    access.require(actor, Action.SUPERVISION_MANAGE, None)
    errors: list[FieldError] = []
    name = text(errors, "name", name, 200, gettext("请填写计划名称"))
    ids = item_ids if isinstance(item_ids, list) else []
    items: list[InspectionItem] = []
    if not ids:
        errors.append(FieldError("items", "required", gettext("请选择抽查事项")))
    else:
        clean = [i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63]
        found = {
            i.pk: i
            for i in InspectionItem.objects.filter(pk__in=clean, is_active=True).select_related(
                "department"
            )
        }
        for i in ids:
            if i not in found:
                errors.append(
                    FieldError(
                        "items",
                        "plan.item_unknown",
                        gettext("没有有效的抽查事项 %(id)s") % {"id": i},
                    )
                )
        items = [found[i] for i in dict.fromkeys(ids) if i in found]
    lead = None
    if items:
        own = [i for i in items if actor.is_operator or i.department_id == actor.department_id]
        if not own:
            errors.append(
                FieldError("items", "plan.no_own_item", gettext("检查计划须包含本部门的抽查事项"))
            )
        else:
            lead = own[0].department
    ratios = ratios if isinstance(ratios, dict) else {}
    clean_ratios = {}
    for klass in SupervisionClass.values:
        value = ratios.get(klass)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors.append(
                FieldError(
                    f"ratios.{klass}",
                    "plan.ratio",
                    gettext("%(c)s 类抽查比例应为 0–100 的整数（%%）") % {"c": klass},
                )
            )
            continue
        for item in items:
            tier = item.tiers[klass]
            if not tier["min"] <= value <= tier["max"]:
                message = gettext(
                    "%(c)s 类抽查比例 %(v)s%% 不在抽查事项“%(item)s”规定的 %(lo)s%%–%(hi)s%% 之内"
                ) % {
                    "c": klass,
                    "v": value,
                    "item": item.name,
                    "lo": tier["min"],
                    "hi": tier["max"],
                }
                errors.append(FieldError(f"ratios.{klass}", "plan.ratio_range", message))
                break
        clean_ratios[klass] = value
    departments = list({i.department_id: i.department for i in items}.values())
    per = inspectors_per_department
    if isinstance(per, bool) or not isinstance(per, int) or not 1 <= per <= 20:
        errors.append(
            FieldError(
                "inspectors_per_department", "plan.inspectors", gettext("每部门检查人员数应为 1–20")
            )
        )
    elif departments and per * len(departments) < 2:
        errors.append(
            FieldError(
                "inspectors_per_department",
                "plan.inspectors_min",
                gettext("每项任务至少须有两名执法检查人员"),
            )
        )
    elif departments:
        _too_few(errors, departments, per)
    if not isinstance(period_start, datetime.date) or not isinstance(period_end, datetime.date):
        errors.append(FieldError("period_start", "required", gettext("请填写检查期间")))
    elif period_end < period_start:
        errors.append(
            FieldError("period_end", "plan.period", gettext("检查结束日期不能早于开始日期"))
        )
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            number="",
            name=name,
            department=lead,
            ratios=clean_ratios,
            inspectors_per_department=per,
            period_start=period_start,
            period_end=period_end,
            status=PlanStatus.DRAFT,
            created_by=actor.label,
            created_at=now,
        )
        plan.number = f"CCJH{timezone.localdate(now):%Y%m%d}{plan.pk:05d}"
        plan.save(update_fields=["number"])
        plan.items.set(items)
        plan.departments.set(departments)
        audit_event_append(
            actor=actor,
            action=AuditAction.PLAN_CREATE,
            object_type="inspection_plan",
            object_id=plan.pk,
            detail={
                "number": plan.number,
                "items": [i.pk for i in items],
                "ratios": clean_ratios,
                "per_department": per,
                "departments": sorted(d.code for d in departments),
            },
        )
    return plan


def _open(actor: Actor, plan_id: int, status: str) -> InspectionPlan:
    """The plan, locked, if the actor may act on it and it stands at ``status``."""
    plan = (
        InspectionPlan.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=row_id(plan_id, gettext("检查计划")))
        .first()
    )
    if plan is None:
        raise NotFound(gettext("没有检查计划 %(id)s") % {"id": plan_id})
    access.require(
        actor, Action.SUPERVISION_MANAGE, plan, message=gettext("检查计划由牵头部门办理")
    )
    if plan.status != status:
        rule, message = {
            PlanStatus.DRAFT: ("plan.not_frozen", gettext("计划尚未冻结候选名单")),
            PlanStatus.FROZEN: ("plan.not_drawn", gettext("计划尚未抽取：抽取后才能公布随机种子")),
            PlanStatus.DRAWN: ("plan.drawn", gettext("计划已抽取，不能再次冻结或抽取")),
            PlanStatus.PUBLISHED: ("plan.published", gettext("计划已抽取并公布随机种子")),
        }[plan.status]
        raise ValidationFailed.one("status", rule, message)
    return plan


def plan_freeze(*, actor: Actor, plan_id: int) -> InspectionPlan:
    """Freeze the candidates (subject + class), the inspector pools and exclusions, store
    their digests, and make the secret seed — only its SHA-256 is shown until the draw."""
    with transaction.atomic():
        plan = _open(actor, plan_id, PlanStatus.DRAFT)
        departments = list(plan.departments.all())
        errors: list[FieldError] = []
        _too_few(errors, departments, plan.inspectors_per_department)
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        counts = classes.candidates_freeze(plan, today=timezone.localdate(now))
        total = sum(counts.values())
        if not total:
            raise ValidationFailed.one(
                "items", "plan.no_candidates", gettext("没有符合抽查对象条件的主体")
            )
        tasks = sum(draw.quota(counts[c], plan.ratios[c]) for c in draw.CLASSES)
        if tasks > settings.XINYONG_SUPERVISION_MAX_TASKS:
            raise ValidationFailed.one(
                "ratios",
                "plan.too_many_tasks",
                gettext("按所选比例将抽取 %(n)s 项任务，超过单次上限 %(max)s")
                % {"n": tasks, "max": settings.XINYONG_SUPERVISION_MAX_TASKS},
            )
        classes.pool_freeze(plan)
        seed = draw.new_seed()
        plan.candidates_digest = draw.candidates_digest(classes.frozen_candidates(plan))
        plan.pool_digest = draw.pool_digest(
            classes.frozen_pools(plan), classes.frozen_exclusions(plan)
        )
        plan.seed_hash, plan.seed_sealed = draw.seed_hash(seed), crypto.encrypt(seed)
        plan.candidate_count, plan.class_counts = total, counts
        plan.status, plan.frozen_at = PlanStatus.FROZEN, now
        plan.save()
        audit_event_append(
            actor=actor,
            action=AuditAction.PLAN_FREEZE,
            object_type="inspection_plan",
            object_id=plan.pk,
            detail={
                "candidates": counts,
                "candidates_digest": plan.candidates_digest,
                "pool_digest": plan.pool_digest,
                "seed_hash": plan.seed_hash,
            },
        )
    return plan


def plan_draw(*, actor: Actor, plan_id: int) -> InspectionPlan:
    """Draw the tasks with the sealed seed: per class the picked positions of the frozen
    list (only those rows read), then each task's inspectors per department. A subject left
    with too few eligible inspectors refuses the whole draw, writing nothing."""
    with transaction.atomic():
        plan = _open(actor, plan_id, PlanStatus.FROZEN)
        seed = crypto.decrypt(plan.seed_sealed)
        picks = draw.subject_picks(seed, plan.class_counts, plan.ratios)
        drawn: list[tuple[str, int]] = []
        for klass in draw.CLASSES:
            if not picks[klass]:
                continue
            at = dict(
                PlanCandidate.objects.filter(
                    plan=plan, klass=klass, position__in=picks[klass]
                ).values_list("position", "subject_id")
            )
            drawn += [(klass, at[p]) for p in picks[klass]]
        pools = classes.frozen_pools(plan)
        few = len(drawn) < 5000  # else read them all: one query, not a huge IN list
        excluded = classes.frozen_exclusions(plan, [s for _, s in drawn] if few else None)
        codes = {d.code: d.pk for d in plan.departments.all()}
        now = timezone.now()
        tasks, chosen = [], []
        for n, (klass, subject_id) in enumerate(drawn, start=1):
            try:
                inspectors = draw.assign(
                    seed, subject_id, pools, excluded.get(subject_id, ()),
                    plan.inspectors_per_department,
                )  # fmt: skip
            except draw.TooFewInspectors as e:
                name = Subject.objects.filter(pk=e.subject_id).values_list("name", flat=True)
                message = gettext(
                    "“%(subject)s”回避后可抽取的执法检查人员只有 %(n)s 名，"
                    "少于每项任务所需人数：请补充检查人员后重新制定计划"
                ) % {"subject": name.first() or e.subject_id, "n": e.eligible}
                raise ValidationFailed.one(
                    "inspectors_per_department", "plan.too_few_eligible", message
                ) from None
            tasks.append((plan.pk, f"{plan.number}-{n:05d}", subject_id, klass,
                          TaskStatus.ASSIGNED, "", "", ""))  # fmt: skip
            chosen.append(inspectors)
        task_table = InspectionTask._meta.db_table
        with connection.cursor() as cur:
            insert_rows(cur, task_table, ("plan_id", "number", "subject_id", "klass", "status",
                                          "outcome", "findings", "recorded_by"),
                        tasks)  # fmt: skip
            cur.execute(f"SELECT number, id FROM {task_table} WHERE plan_id = %s",  # noqa: S608
                        [plan.pk])  # fmt: skip
            ids = dict(cur.fetchall())
            insert_rows(
                cur, TaskInspector._meta.db_table, ("task_id", "inspector_id", "department_id"),
                [(ids[t[1]], i, codes[code])
                 for t, by_dept in zip(tasks, chosen, strict=True)
                 for code, chosen_ids in by_dept.items() for i in chosen_ids],
            )  # fmt: skip
        plan.status, plan.drawn_at, plan.task_count = PlanStatus.DRAWN, now, len(tasks)
        plan.save(update_fields=["status", "drawn_at", "task_count"])
        audit_event_append(
            actor=actor,
            action=AuditAction.PLAN_DRAW,
            object_type="inspection_plan",
            object_id=plan.pk,
            detail={"tasks": len(tasks), "seed_hash": plan.seed_hash},
        )
    return plan


def plan_seed_publish(*, actor: Actor, plan_id: int) -> InspectionPlan:
    """Publish the seed after the draw: from now on anyone may re-run the draw and compare
    (the page ``/inspections/plans/<number>/``, ``xinyong draw_verify``)."""
    with transaction.atomic():
        plan = _open(actor, plan_id, PlanStatus.DRAWN)
        seed = crypto.decrypt(plan.seed_sealed)
        plan.seed, plan.seed_sealed = seed, ""
        plan.status, plan.seed_published_at = PlanStatus.PUBLISHED, timezone.now()
        plan.save(update_fields=["seed", "seed_sealed", "status", "seed_published_at"])
        audit_event_append(
            actor=actor,
            action=AuditAction.PLAN_SEED_PUBLISH,
            object_type="inspection_plan",
            object_id=plan.pk,
            detail={"seed": seed, "seed_hash": plan.seed_hash},
        )
    return plan
