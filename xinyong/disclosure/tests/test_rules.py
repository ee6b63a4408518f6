"""Publicity periods of penalties from the rules table: classes, the longest period among
several penalty kinds, Civil Code counting (month ends, leap days), and rule changes only
with a legal basis."""

import datetime

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.disclosure import selectors, services
from xinyong.disclosure.rules import penalty_period

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


def period(decision="2026-01-15", **data):
    data.setdefault("CF_CFLB", "罚款")
    return penalty_period(data, D(decision), selectors.publicity_rules())


def test_general_penalty_three_months_to_a_year():
    p = period()
    assert (p.penalty_class, p.publish) == ("general", True)
    assert (p.min_until, p.public_until) == (D("2026-04-15"), D("2027-01-15"))
    assert "国家发展改革委令2023年第58号" in p.basis


def test_serious_by_statement_or_by_kind_and_the_longest_wins():
    assert period(CF_YZCD="严重").public_until == D("2029-01-15")
    several = period(CF_CFLB="罚款;吊销许可证件")  # a fine and a revocation in one decision
    assert (several.penalty_class, several.min_until) == ("serious", D("2027-01-15"))
    assert several.public_until == D("2029-01-15")


def test_warnings_and_summary_procedure_are_not_published():
    for p in (period(CF_CFLB="警告"), period(CF_CFLB="警告;通报批评"),
              period(CF_CXLX="简易程序")):  # fmt: skip
        assert (p.publish, p.public_until) == (False, None)
    assert period(CF_CFLB="警告;罚款").penalty_class == "general"  # not only a warning
    assert period(CF_CFLB="警告", CF_YZCD="严重").penalty_class == "serious"


def test_month_ends_and_leap_days():
    assert period("2024-02-29").public_until == D("2025-02-28")  # no 29 Feb in 2025
    assert period("2024-02-29", CF_YZCD="严重").public_until == D("2027-02-28")
    assert period("2025-11-30").min_until == D("2026-02-28")  # 3 months: no 30 Feb
    assert period("2023-02-28", CF_YZCD="严重").public_until == D("2026-02-28")


def test_a_supplied_end_of_publicity_is_kept():
    assert period(CF_GSJZQ="2026-10-01").public_until == D("2026-10-01")


def test_rules_change_only_with_basis_and_by_the_operator(actors):
    with pytest.raises(PermissionDenied):
        services.publicity_rule_save(
            actor=actors["market_clerk"], penalty_class="general", publish=True, min_months=6,
            max_months=12, kinds=[], basis="x",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.publicity_rule_save(
            actor=SYSTEM, penalty_class="general", publish=True, min_months=13, max_months=12,
            kinds=["打板子"], basis="",
        )  # fmt: skip
    assert {x.rule for x in e.value.errors} == {"required", "range", "enum"}
    assert period().public_until == D("2027-01-15")  # nothing changed
    services.publicity_rule_save(
        actor=SYSTEM, penalty_class="general", publish=True, min_months=6, max_months=24,
        kinds=[], basis="某市公共信用信息管理办法（测试）",
    )  # fmt: skip
    assert (period().min_until, period().public_until) == (D("2026-07-15"), D("2028-01-15"))
    assert AuditEvent.objects.filter(action="publicity_rule.save").count() == 1


@pytest.mark.calendar_uncovered
def test_rules_and_calendar_page(users):
    from django.test import Client

    c = Client()
    c.force_login(users["operator"])
    html = c.get("/backoffice/publicity/rules/", {"year": "2027"}).content.decode()
    assert "2027 年尚未覆盖" in html and "国家发展改革委令2023年第58号" in html
    r = c.post("/backoffice/publicity/rules/?year=2027", {
        "form": "rule", "penalty_class": "general", "publish": "on", "min_months": "6",
        "max_months": "24", "kinds": "", "basis": "某市公共信用信息管理办法（测试）"})  # fmt: skip
    assert r.status_code == 302 and period().public_until == D("2028-01-15")
    r = c.post("/backoffice/publicity/rules/?year=2027", {
        "form": "rule", "penalty_class": "general", "publish": "on", "min_months": "x",
        "max_months": "24", "kinds": "", "basis": "b"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and 'id="rule-general-errors"' in html  # on the rule's row
    assert "最短公示期（月）：应为整数（月）" in html
    assert "integer.format" not in html
    c.post("/backoffice/publicity/rules/?year=2027", {
        "form": "day", "day": "2027-01-01", "name": "元旦", "basis": "国办发明电（测试）",
    })  # fmt: skip
    c.post("/backoffice/publicity/rules/?year=2027", {
        "form": "year", "year": "2027", "basis": "国办发明电（测试）"})  # fmt: skip
    html = c.get("/backoffice/publicity/rules/", {"year": "2027"}).content.decode()
    assert "2027 年尚未覆盖" not in html and "元旦" in html
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    page = clerk.get("/backoffice/publicity/rules/").content.decode()
    assert "保存" not in page and "一般失信行为" in page
    clerk.post("/backoffice/publicity/rules/", {
        "form": "rule", "penalty_class": "general", "publish": "", "basis": "x"})  # fmt: skip
    assert period().publish is True  # a clerk's post changes nothing
