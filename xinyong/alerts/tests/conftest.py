"""Fixtures of early warning: the rules as the tests want them, and the facts each
evaluator reads — penalties through the ingestion pipeline, commitments signed through
the portal, list entries in force and evaluation results written as their engines leave
them."""

import datetime

import pytest
from django.utils import timezone

from xinyong.alerts.models import AlertRule
from xinyong.commitments.tests.conftest import company  # noqa: F401 - shared fixture
from xinyong.evaluation.models import EvaluationResult, ModelVersion, SubjectGrade
from xinyong.lists.models import ListEntry, ListType

GRADES = {
    "grades": [
        {"grade": "A", "min": 900, "name": "优"},
        {"grade": "B", "min": 700, "name": "良"},
        {"grade": "C", "min": 0, "name": "差"},
    ]
}


def rule(code: str, evaluator: str | None = None, **over) -> AlertRule:
    """The rule ``code`` (the seeded one, or a new one) set as the test says."""
    values = {
        "name": f"规则{code}",
        "evaluator": evaluator or code,
        "params": {},
        "recipients": "evidence",
        "departments": [],
        "notify_subject": False,
        "active": True,
        "changed_at": timezone.now(),
        "changed_by": "test",
    } | over
    AlertRule.objects.exclude(code=code).update(active=False)  # only this one runs
    found, _ = AlertRule.objects.update_or_create(code=code, defaults=values)
    return found


def penalties(actor, *dates: datetime.date, first: int = 1):
    """Administrative penalties against 华为 decided on ``dates`` (numbered from ``first``),
    through the ingestion pipeline."""
    from xinyong.evaluation.tests.conftest import penalties as push

    push(
        actor,
        *[
            {
                "CF_WSH": f"信市监罚〔2026〕{n}号",
                "CF_JDRQ": day.isoformat(),
                "CF_YXQ": (day + datetime.timedelta(days=365)).isoformat(),
            }
            for n, day in enumerate(dates, first)
        ],
    )


def entry(subject, list_code: str, department, *, days_ago: int = 1, **over) -> ListEntry:
    """A published entry of ``subject`` on ``list_code`` (as the procedure leaves it)."""
    now = timezone.now() - datetime.timedelta(days=days_ago)
    values = {
        "list_type": ListType.objects.get(code=list_code),
        "subject": subject,
        "department": department,
        "status": "published",
        "grounds": "未按规定报送年度报告",
        "legal_basis": "《企业信息公示暂行条例》第八条",
        "act_date": now.date(),
        "decided_on": now.date(),
        "published_at": now,
        "opened_by": "test",
        "opened_at": now,
    } | over
    return ListEntry.objects.create(**values)


def grades(subject, *history: str, days_ago: int = 1):
    """``subject`` evaluated with ``history`` (oldest first); the last is current."""
    version, _ = ModelVersion.objects.get_or_create(
        code="alerts_test",
        version=1,
        defaults={
            "name": "模型",
            "source": "",
            "digest": "0" * 64,
            "definition": GRADES,
            "active": False,
            "loaded_at": timezone.now(),
            "loaded_by": "test",
        },
    )
    results = [
        EvaluationResult.objects.create(
            run_id=1,
            subject=subject,
            model_version=version,
            as_of=timezone.localdate(),
            score=800,
            grade=g,
            points={},
            facts={},
        )
        for g in history
    ]
    SubjectGrade.objects.update_or_create(
        subject=subject,
        defaults={
            "result": results[-1],
            "model_version": version,
            "score": 800,
            "grade": history[-1],
            "as_of": timezone.localdate(),
            "evaluated_at": timezone.now() - datetime.timedelta(days=days_ago),
        },
    )
    return results


@pytest.fixture
def person(org_with_rep):
    """张三, 华为's legal representative (a person subject)."""
    return org_with_rep.related_persons.get().person


@pytest.fixture
def alert(org_with_rep, person, departments):
    """An open alert to the market regulator (华为's registrar): its legal representative
    newly on the serious-dishonesty list; the rule warns the subject."""
    from xinyong.alerts.models import Alert
    from xinyong.alerts.run import alerts_run

    rule(
        "related_person_listed",
        params={"days": 30, "lists": ["serious_dishonesty", "watch"]},
        recipients="registering",
        notify_subject=True,
    )
    entry(person, "serious_dishonesty", departments["tax"])
    alerts_run()
    return Alert.objects.get()
