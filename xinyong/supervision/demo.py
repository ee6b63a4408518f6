"""The demo city's double-random inspections: the market regulator's and the tax bureau's
inspection items, their inspector pools, the tax bureau's sector grade map (纳税信用
A/B/M/C/D → A/B/B/C/D), and one joint plan frozen, drawn and with its seed published, two
results published (one negative, so a credit file shows it) and one waiting. Idempotent:
made once, and only in a city small enough for one plan's task limit."""

from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.core.errors import ValidationFailed
from xinyong.subjects.models import Subject
from xinyong.supervision import services
from xinyong.supervision.models import InspectionPlan, InspectionTask

MAX_SUBJECTS = 100_000  # beyond, the demo plan's ratios would draw more than a plan may
ITEMS = {
    "scjg_clerk": ("食品经营者经营条件检查", "《中华人民共和国食品安全法》第八十七条",
                   ["organization", "individual_business"], "on_site"),
    "sw_clerk": ("发票使用情况检查", "《中华人民共和国发票管理办法》第三十三条",
                 ["organization"], "documents"),
}  # fmt: skip
INSPECTORS = {
    "scjg_clerk": [("王建国", "33990001"), ("李明华", "33990002"), ("张晓燕", "33990003"),
                   ("陈志强", "33990004")],
    "sw_clerk": [("刘芳", "33991001"), ("杨帆", "33991002"), ("赵磊", "33991003")],
}  # fmt: skip


def build_supervision() -> int:
    """The demo's plan and its results (once); the tasks drawn."""
    if InspectionPlan.objects.exists():
        return 0
    if Subject.objects.exclude(kind="person").count() > MAX_SUBJECTS:
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=list(ITEMS))}
    if len(users) < len(ITEMS):
        return 0
    actors = {name: Actor.for_user(u) for name, u in users.items()}
    items = []
    for name, (title, basis, kinds, method) in ITEMS.items():
        items.append(services.inspection_item_save(
            actor=actors[name], name=title, legal_basis=basis, target_kinds=kinds,
            method=method,
        ))  # fmt: skip
        for person, badge in INSPECTORS[name]:
            services.inspector_save(actor=actors[name], name=person, badge=badge)
    services.sector_map_set(actor=actors["sw_clerk"], domain="纳税信用",
                            grades={"A": "A", "B": "B", "M": "B", "C": "C", "D": "D"})  # fmt: skip
    clerk = actors["scjg_clerk"]
    today = timezone.localdate()
    try:
        plan = services.plan_create(
            actor=clerk, name=f"{today.year}年食品经营和发票使用部门联合双随机抽查",
            item_ids=[i.pk for i in items], ratios={"A": 5, "B": 10, "C": 30, "D": 80},
            inspectors_per_department=2, period_start=today,
            period_end=today.replace(month=12, day=31),
        )  # fmt: skip
        services.plan_freeze(actor=clerk, plan_id=plan.pk)
        services.plan_draw(actor=clerk, plan_id=plan.pk)
        plan = services.plan_seed_publish(actor=clerk, plan_id=plan.pk)
    except ValidationFailed:
        return 0
    outcomes = [("no_problem", ""), ("rectified", "食品贮存温度不符合标签标示要求，已责令当场改正"),
                ("no_problem", "")]  # fmt: skip
    tasks = list(InspectionTask.objects.filter(plan=plan).order_by("pk")[: len(outcomes)])
    for n, (task, (outcome, findings)) in enumerate(zip(tasks, outcomes, strict=False)):
        services.task_result_record(actor=clerk, task_id=task.pk, outcome=outcome,
                                    inspected_on=today, findings=findings)  # fmt: skip
        if n < 2:
            services.task_result_publish(actor=clerk, task_id=task.pk)
    return plan.task_count
