"""A small city for the draws: 40 companies registered by the market regulator, graded A–D
(and some never evaluated), an inspection item of the market regulator and one of the tax
bureau, inspector pools of four and three."""

import datetime

import pytest
from django.utils import timezone

from xinyong.subjects.demo import CITY_REGION, make_uscc
from xinyong.subjects.models import Subject
from xinyong.supervision import services

N_SUBJECTS = 40


def grade(subjects_to_grades: dict[int, str]) -> None:
    """Give subjects their current public grade, as a finished evaluation run would."""
    from xinyong.evaluation.models import (
        EvaluationResult,
        EvaluationRun,
        ModelVersion,
        SubjectGrade,
    )

    now, today = timezone.now(), timezone.localdate()
    mv = ModelVersion.objects.first() or ModelVersion.objects.create(
        code="test",
        version=1,
        name="测试模型",
        source="",
        digest="0" * 64,
        definition={},
        active=True,
        loaded_at=now,
        loaded_by="test",
    )
    run = EvaluationRun.objects.create(
        model_version=mv,
        kind="full",
        status="done",
        as_of=today,
        requested_at=now,
        requested_by="test",
    )
    for subject_id, letter in subjects_to_grades.items():
        result = EvaluationResult.objects.create(
            run=run,
            subject_id=subject_id,
            model_version=mv,
            as_of=today,
            score=800,
            grade=letter,
            points={},
            facts={},
        )
        SubjectGrade.objects.update_or_create(
            subject_id=subject_id,
            defaults={
                "result": result,
                "model_version": mv,
                "score": 800,
                "grade": letter,
                "as_of": today,
                "evaluated_at": now,
            },
        )


@pytest.fixture
def city(actors, departments):
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                kind="organization",
                name=f"信安测试{i:02d}有限公司",
                uscc=make_uscc("91", CITY_REGION, 5000 + i),
                source_department=departments["market"],
            )
            for i in range(N_SUBJECTS)
        ]
    )
    ids = sorted(s.pk for s in subjects)
    # 10 A, 10 B, 10 C, 5 D; the last 5 never evaluated (default class B).
    grade({pk: "ABCD"[i // 10] for i, pk in enumerate(ids[:35])})
    clerk, tax = actors["market_clerk"], actors["tax_clerk"]
    item = services.inspection_item_save(
        actor=clerk,
        name="食品经营者经营条件检查",
        legal_basis="《中华人民共和国食品安全法》第八十七条",
        target_kinds=["organization", "individual_business"],
        method="on_site",
    )
    tax_item = services.inspection_item_save(
        actor=tax,
        name="发票使用情况检查",
        legal_basis="《中华人民共和国发票管理办法》",
        target_kinds=["organization"],
        method="documents",
    )
    market_pool = [
        services.inspector_save(actor=clerk, name=f"市监{i}", badge=f"SJ{i:04d}") for i in range(4)
    ]
    tax_pool = [
        services.inspector_save(actor=tax, name=f"税务{i}", badge=f"SW{i:04d}") for i in range(3)
    ]
    return {
        "ids": ids,
        "item": item,
        "tax_item": tax_item,
        "market_pool": market_pool,
        "tax_pool": tax_pool,
    }


RATIOS = {"A": 5, "B": 20, "C": 50, "D": 100}


def plan(actor, items, ratios=None, per=2, **kw):
    today = timezone.localdate()
    return services.plan_create(
        actor=actor,
        name=kw.pop("name", "2026年食品经营者双随机抽查"),
        item_ids=[i.pk for i in items],
        ratios=ratios or dict(RATIOS),
        inspectors_per_department=per,
        period_start=today,
        period_end=today + datetime.timedelta(days=60),
        **kw,
    )


def drawn(actor, items, **kw):
    p = plan(actor, items, **kw)
    services.plan_freeze(actor=actor, plan_id=p.pk)
    return services.plan_draw(actor=actor, plan_id=p.pk)
