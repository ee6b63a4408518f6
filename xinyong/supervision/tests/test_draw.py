"""The draw: deterministic from the frozen list and the seed, classes from grades, ratios,
exclusions, and a published draw re-run by anyone."""

from io import StringIO

import pytest
from django.core.management import call_command

from xinyong.records.models import Record
from xinyong.supervision import draw, selectors, services
from xinyong.supervision.models import InspectionTask, PlanCandidate, TaskInspector
from xinyong.supervision.tests.conftest import RATIOS, drawn, plan


def test_same_seed_and_list_give_the_same_tasks_and_another_seed_others():
    candidates = [(i, "ABCD"[i % 4]) for i in range(1, 2001)]
    args = {
        "candidates": candidates,
        "ratios": RATIOS,
        "pools": {"SCJG": [3, 5, 8, 13]},
        "excluded": {3: {3, 5}},
        "per_department": 2,
    }
    seed = "ab" * 32
    first = draw.run(seed=seed, **args)
    assert first == draw.run(seed=seed, **args)
    assert first == draw.run(seed=seed, **args | {"candidates": list(reversed(candidates))})
    assert first != draw.run(seed="cd" * 32, **args)
    # ceil(500 × p%) per class; drawn subjects distinct; two inspectors each, none excluded
    # (subject 3, class D, is drawn: its two eligible inspectors)
    by_class = {c: sum(t.klass == c for t in first) for c in "ABCD"}
    assert by_class == {"A": 25, "B": 100, "C": 250, "D": 500}
    assert len({t.subject_id for t in first}) == len(first)
    assert all(len(set(t.inspectors["SCJG"])) == 2 for t in first)
    assert next(t for t in first if t.subject_id == 3).inspectors["SCJG"] in ((8, 13), (13, 8))


def test_pick_is_the_documented_fisher_yates():
    """A verifier's own few lines give the same picks."""
    import hashlib
    import hmac

    key = bytes.fromhex("01" * 32)

    def theirs(label, n, k):
        a = list(range(n))
        for i in range(k):
            r = int.from_bytes(
                hmac.new(key, f"{label}:{i}".encode(), hashlib.sha256).digest(), "big"
            )
            j = i + r % (n - i)
            a[i], a[j] = a[j], a[i]
        return a[:k]

    assert draw.pick(key, "class:B", 1000, 37) == theirs("class:B", 1000, 37)


def test_grades_and_sector_grades_make_the_classes(city, actors):
    """Public grade A–D, never evaluated → B; the tax bureau's sector grade (纳税信用 M → B,
    C → C) makes a subject's class worse, never better; a grade it does not map is unused."""
    from xinyong.ingest.services import batch_process, batch_submit_rows

    ids, tax = city["ids"], actors["tax_clerk"]
    services.sector_map_set(
        actor=tax, domain="纳税信用", grades={"A": "A", "B": "B", "M": "B", "C": "C", "D": "D"}
    )
    from xinyong.subjects.models import Subject

    rows = []
    for n, (pk, level) in enumerate([(ids[0], "C"), (ids[1], "M"), (ids[30], "A"), (ids[2], "X")]):
        s = Subject.objects.get(pk=pk)
        rows.append(
            {
                "XDR_MC": s.name,
                "XDR_LB": "法人及非法人组织",
                "XDR_SHXYM": s.uscc,
                "PJ_BH": f"NSXY{n}",
                "PJ_LY": "纳税信用",
                "PJ_DJ": level,
                "PJ_RQ": "2026-04-30",
                "PJ_YXQZ": "2099-04-30",
                "PJ_JG": "市税务局",
            }
        )
    batch = batch_submit_rows(
        actor=tax, item_code="credit_evaluation_result", rows=rows, channel="api"
    )
    assert batch_process(batch_id=batch.pk).rejected == 0
    p = plan(tax, [city["tax_item"], city["item"]], ratios={"A": 5, "B": 20, "C": 50, "D": 100})
    p = services.plan_freeze(actor=tax, plan_id=p.pk)
    klass = dict(PlanCandidate.objects.filter(plan=p).values_list("subject_id", "klass"))
    assert klass[ids[0]] == "C"  # public A, tax C → C
    assert klass[ids[1]] == "B"  # public A, tax M → B
    assert klass[ids[2]] == "A"  # public A, tax X unmapped → A
    assert klass[ids[30]] == "D"  # public D, tax A → D (never better)
    assert klass[ids[36]] == "B"  # never evaluated, no sector grade → default B
    assert p.class_counts == {"A": 8, "B": 16, "C": 11, "D": 5}
    # ratios → tasks: ceil(8×5%)=1, ceil(16×20%)=4, ceil(11×50%)=6, 5×100%=5
    p = services.plan_draw(actor=tax, plan_id=p.pk)
    tasks = InspectionTask.objects.filter(plan=p)
    assert {c: tasks.filter(klass=c).count() for c in "ABCD"} == {"A": 1, "B": 4, "C": 6, "D": 5}
    # a joint inspection: each task has two inspectors of each department
    for t in tasks:
        depts = list(
            TaskInspector.objects.filter(task=t).values_list("department__code", flat=True)
        )
        assert sorted(depts) == ["SCJG", "SCJG", "SW", "SW"]


def test_declared_conflicts_are_never_drawn(city, actors):
    clerk, pool = actors["market_clerk"], city["market_pool"]
    from xinyong.subjects.models import Subject

    for s in Subject.objects.filter(pk__in=city["ids"]):
        services.conflict_declare(
            actor=clerk, inspector_id=pool[0].pk, uscc=s.uscc, reason="亲属在该企业任职"
        )
    p = drawn(clerk, [city["item"]], ratios={"A": 5, "B": 20, "C": 60, "D": 100})
    used = set(TaskInspector.objects.filter(task__plan=p).values_list("inspector_id", flat=True))
    assert used and pool[0].pk not in used


def test_last_time_inspectors_are_not_drawn_again(city, actors):
    clerk = actors["market_clerk"]
    for i in range(4, 6):  # a pool of six
        services.inspector_save(actor=clerk, name=f"市监{i}", badge=f"SJ{i:04d}")
    everyone = {"A": 5, "B": 20, "C": 60, "D": 100}
    first = drawn(clerk, [city["item"]], ratios=everyone)
    last = {
        t.subject_id: set(t.inspectors.values_list("inspector_id", flat=True))
        for t in InspectionTask.objects.filter(plan=first)
    }
    second = drawn(clerk, [city["item"]], ratios=everyone, name="第二次")
    again = 0
    for t in InspectionTask.objects.filter(plan=second):
        if t.subject_id in last:
            again += 1
            assert not set(t.inspectors.values_list("inspector_id", flat=True)) & last[t.subject_id]
    assert again  # D class is drawn whole both times


def test_a_published_draw_is_re_run_by_the_command_and_the_page(city, actors, client):
    clerk = actors["market_clerk"]
    p = drawn(clerk, [city["item"]])
    assert p.seed == "" and len(p.seed_hash) == 64
    p = services.plan_seed_publish(actor=clerk, plan_id=p.pk)
    assert draw.seed_hash(p.seed) == p.seed_hash
    result = selectors.draw_verify(p)
    assert result.ok and result.recomputed == result.stored == p.task_count > 0
    out = StringIO()
    call_command("draw_verify", p.number, stdout=out)
    assert "一致" in out.getvalue()
    # a stored task tampered with: the re-run says so
    t = InspectionTask.objects.filter(plan=p).first()
    other = InspectionTask.objects.exclude(pk=t.pk).filter(plan=p).first()
    InspectionTask.objects.filter(pk=t.pk).update(subject_id=other.subject_id)
    assert not selectors.draw_verify(p).tasks_match
    with pytest.raises(SystemExit):
        call_command("draw_verify", p.number, stdout=StringIO(), stderr=StringIO())
    assert Record.objects.count() == 0


def test_a_class_inspected_at_most_once_a_year_is_left_in_peace(city, actors):
    """无事不扰: A-class subjects drawn by the department within a year are not candidates
    again for an item that inspects class A at most once a year; other classes are."""
    clerk = actors["market_clerk"]
    tiers = {c: {"min": 0, "max": 100, "frequency": "as_needed"} for c in "ABCD"}
    tiers["A"]["frequency"] = "at_most_yearly"
    item = services.inspection_item_save(actor=clerk, name="年度检查", legal_basis="依据",
                                         target_kinds=["organization"], method="on_site",
                                         tiers=tiers)  # fmt: skip
    everyone = {"A": 100, "B": 100, "C": 100, "D": 100}
    first = drawn(clerk, [item], ratios=everyone)
    assert first.class_counts["A"] == 10
    second = plan(clerk, [item], ratios=everyone, name="再次")
    second = services.plan_freeze(actor=clerk, plan_id=second.pk)
    assert second.class_counts["A"] == 0 and second.class_counts["B"] == 15
