"""Back-office pages of tiered supervision: the inspection item list, the inspector pool
with conflicts, plans (create; freeze, draw, publish the seed; record and publish results).
Thin: services write, selectors read; ``staff_actor`` is the gate."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.backoffice.access import staff_actor, take_step
from xinyong.supervision import selectors, services
from xinyong.supervision.office_forms import (
    ConflictForm,
    InspectorForm,
    ItemForm,
    PlanForm,
    PublishForm,
    ResultForm,
    SectorMapForm,
    StepForm,
)


@login_required
def items(request: HttpRequest):
    """The reader's department's inspection items (the operator and auditor: all) and a
    new one with the default table of ratios per class."""
    actor = staff_actor(request)
    post = request.POST if request.method == "POST" else None
    sector = SectorMapForm(post if post and post.get("form") == "sector" else None)
    form = ItemForm(post if post and not sector.is_bound else None)
    if sector.is_bound and take_step(
        request, sector,
        lambda d: services.sector_map_set(actor=actor, domain=d["domain"],
                                          grades=sector.pairs()),
        _("行业信用等级对照已保存"),
    ):  # fmt: skip
        return redirect("backoffice:inspection_items")
    if form.is_bound and take_step(
        request,
        form,
        lambda d: services.inspection_item_save(
            actor=actor,
            name=d["name"],
            legal_basis=d["legal_basis"],
            target_kinds=list(d["target_kinds"]),
            method=d["method"],
            target_note=d["target_note"],
        ),
        _("抽查事项已保存"),
    ):
        return redirect("backoffice:inspection_items")
    return render(
        request,
        "supervision/backoffice/items.html",
        {
            "items": selectors.items_of(actor=actor),
            "form": form,
            "sector": sector,
            "maps": selectors.sector_maps_of(actor=actor),
        },
        status=400 if post is not None else 200,
    )


@login_required
def inspectors(request: HttpRequest):
    """The pool (执法检查人员名录) and the declared conflicts of interest."""
    actor = staff_actor(request)
    post = request.POST if request.method == "POST" else None
    which = (post or {}).get("form")
    form = InspectorForm(post if which == "inspector" else None)
    conflict = ConflictForm(post if which == "conflict" else None)
    if form.is_bound and take_step(
        request,
        form,
        lambda d: services.inspector_save(actor=actor, name=d["name"], badge=d["badge"]),
        _("检查人员已登记"),
    ):
        return redirect("backoffice:inspectors")
    if conflict.is_bound and take_step(
        request,
        conflict,
        lambda d: services.conflict_declare(
            actor=actor, inspector_id=d["inspector"], uscc=d["uscc"], reason=d["reason"]
        ),
        _("回避已登记"),
    ):
        return redirect("backoffice:inspectors")
    bound = form.is_bound or conflict.is_bound
    if post is not None and not bound:
        bound = True
    return render(
        request,
        "supervision/backoffice/inspectors.html",
        {
            "inspectors": selectors.inspectors_of(actor=actor),
            "form": form,
            "conflict": conflict,
            "conflicts": selectors.conflicts_of(actor=actor),
        },
        status=400 if bound else 200,
    )


@login_required
def plans(request: HttpRequest):
    """The reader's plans and a new one (items of other departments: a joint inspection)."""
    actor = staff_actor(request)
    form = PlanForm(
        request.POST if request.method == "POST" else None, items=selectors.items_public()
    )
    if form.is_bound and take_step(
        request,
        form,
        lambda d: services.plan_create(
            actor=actor,
            name=d["name"],
            item_ids=list(d["items"]),
            ratios={"A": d["ratio_a"], "B": d["ratio_b"], "C": d["ratio_c"], "D": d["ratio_d"]},
            inspectors_per_department=d["inspectors_per_department"],
            period_start=d["period_start"],
            period_end=d["period_end"],
        ),
        _("检查计划已创建"),
    ):
        return redirect("backoffice:inspection_plans")
    return render(
        request,
        "supervision/backoffice/plans.html",
        {"plans": selectors.plans_of(actor=actor), "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def plan(request: HttpRequest, pk: int):
    """One plan: its frozen digests and seed hash, the next step, the tasks with their
    inspectors and results (record, publish)."""
    actor = staff_actor(request)
    p = selectors.plan_get(actor=actor, plan_id=pk)
    post = request.POST if request.method == "POST" else None
    step = StepForm(post if post and "step" in post else None)
    result = ResultForm(post if post and "outcome" in post else None)
    publish = PublishForm(post if post and "publish" in post else None)
    steps = {
        "freeze": (services.plan_freeze, _("候选名单已冻结，随机种子摘要已公布")),
        "draw": (services.plan_draw, _("已完成双随机抽取")),
        "seed": (services.plan_seed_publish, _("随机种子已公布")),
    }
    done = False
    if step.is_bound:
        done = take_step(
            request,
            step,
            lambda d: steps[d["step"]][0](actor=actor, plan_id=pk),
            lambda r: steps[step.cleaned_data["step"]][1],
        )
    elif result.is_bound:
        done = take_step(
            request,
            result,
            lambda d: services.task_result_record(
                actor=actor,
                task_id=d["task"],
                outcome=d["outcome"],
                inspected_on=d["inspected_on"],
                findings=d["findings"],
            ),
            _("检查结果已录入"),
        )
    elif publish.is_bound:
        done = take_step(
            request,
            publish,
            lambda d: services.task_result_publish(actor=actor, task_id=d["task"]),
            _("检查结果已公示"),
        )
    if done:
        return redirect("backoffice:inspection_plan", pk=pk)
    bound = post is not None
    return render(
        request,
        "supervision/backoffice/plan.html",
        {
            "plan": p,
            "tasks": selectors.plan_tasks(p, limit=500),
            "may": selectors.may_manage(actor, p),
            "step": step,
            "result": result,
            "items": list(p.items.all()),
        },
        status=400 if bound else 200,
    )


@login_required
def frozen_file(request: HttpRequest, pk: int, kind: str):
    """A plan's frozen candidate list or pool, as the text its published digest is the
    SHA-256 of (audited): with the published seed, enough to re-run the draw anywhere."""
    actor = staff_actor(request)
    plan, lines = selectors.frozen_file(actor=actor, plan_id=pk, kind=kind)
    response = StreamingHttpResponse((line.encode() for line in lines),
                                     content_type="text/plain; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{plan.number}-{kind}.txt"'
    return response
