"""The special report's "none found" is what replaces a certificate: it must never be said
where a record of the period exists or where nobody's records were searched."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from xinyong.core.errors import ValidationFailed
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.reports import services, special
from xinyong.reports.models import ReportDomain

pytestmark = pytest.mark.django_db


def _section(issued, key) -> dict:
    return {s["key"]: s for s in issued.report.twin["sections"]}[key]


def test_a_listing_decided_before_the_period_and_in_force_is_found(listed, penalty_record, actors):
    old = timezone.localdate() - relativedelta(years=4)
    Record.objects.filter(pk=penalty_record.pk).update(decision_date=old)
    ListEntry.objects.filter(pk=listed.pk).update(decided_on=old)
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="special", subject=penalty_record.subject,
        domains=["market"], purpose="行政许可审批",
    )  # fmt: skip
    market = _section(issued, "market")
    assert market["found"] is True
    assert [e["title"] for e in market["entries"]] == [listed.list_type.name]


def test_a_listing_removed_before_the_period_is_not_found(listed, penalty_record, actors):
    old = timezone.localdate() - relativedelta(years=5)
    Record.objects.filter(pk=penalty_record.pk).update(decision_date=old)
    ListEntry.objects.filter(pk=listed.pk).update(
        decided_on=old, status="removed", removal_reason="expired",
        removed_at=timezone.now() - relativedelta(years=4),
    )  # fmt: skip
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="special", subject=penalty_record.subject,
        domains=["market"], purpose="行政许可审批",
    )  # fmt: skip
    assert _section(issued, "market")["found"] is False


def test_a_penalty_without_a_decision_date_is_found_and_said_so(published, actors):
    Record.objects.filter(pk=published.pk).update(decision_date=None)
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="special", subject=published.subject,
        domains=["market"], purpose="行政许可审批",
    )  # fmt: skip
    (entry,) = _section(issued, "market")["entries"]
    assert "决定日期不详" in entry["flags"]


def test_a_domain_missing_one_of_its_departments_is_not_offered(departments):
    ReportDomain.objects.create(
        code="mixed", name="住建与消防", replaces="两部门的证明",
        departments=["SCJG", "NO_SUCH_DEPT"], items=["administrative_penalty"],
    )  # fmt: skip
    assert "mixed" not in {d.code for d, _deps in special.available_domains()}
    with pytest.raises(ValidationFailed) as e:
        special.domains_pick(["mixed"])
    assert e.value.errors[0].rule == "unknown_domain"


@pytest.mark.parametrize("items", [[], ["administrative_penality"], ["judicial_judgment"]])
def test_a_domain_searching_no_penalties_is_not_offered(departments, items):
    ReportDomain.objects.create(
        code="market2", name="市场监管（新）", replaces="证明", departments=["SCJG"], items=items
    )
    assert "market2" not in {d.code for d, _deps in special.available_domains()}


def test_none_found_names_the_departments_and_what_was_searched(published, actors):
    issued = services.report_issue(
        actor=actors["market_clerk"], kind="special", subject=published.subject,
        domains=["tax"], purpose="行政许可审批",
    )  # fmt: skip
    tax = _section(issued, "tax")
    assert tax["found"] is False
    assert "市税务局" in tax["empty"] and "行政处罚（含简易程序）" in tax["empty"]
    assert "行政强制" in tax["empty"] and "严重失信主体名单" in tax["empty"]


def test_the_credit_office_cannot_save_a_domain_that_would_state_none_found_falsely(
    departments,
):
    from xinyong.reports.admin import ReportDomainForm

    base = {"code": "x", "name": "某领域", "replaces": "证明", "lists": True, "order": 1,
            "active": True}  # fmt: skip
    form = ReportDomainForm(
        data={**base, "departments": '["SCJG"]', "items": '["judicial_judgment"]'}
    )
    assert not form.is_valid() and "items" in form.errors
    form = ReportDomainForm(
        data={**base, "departments": '["XF"]', "items": '["administrative_penalty"]'}
    )
    assert not form.is_valid() and "departments" in form.errors
    form = ReportDomainForm(
        data={**base, "departments": '["SCJG"]', "items": '["administrative_penalty"]'}
    )
    assert form.is_valid(), form.errors
