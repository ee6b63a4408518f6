"""The monthly report: generated once (service, daily upkeep, command) with one audit event,
its PDF a real PDF with the CJK fonts embedded (a page kept as PNG to look at) and its
XLSX cells, both holding only the rows the reader may see, and rendered the same each time."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.reports.tests.conftest import look
from xinyong.stats import monthly
from xinyong.stats.models import MonthlyReport
from xinyong.stats.services import monthly_report_generate
from xinyong.stats.tests.conftest import MONTH


def _events() -> int:
    return AuditEvent.objects.filter(action="monthly_report.generate").count()


def test_generated_once_with_one_audit_event(city, actors):
    report, made = monthly_report_generate(actor=actors["operator"], month=MONTH)
    assert made and _events() == 1
    market = next(d for d in report.figures["departments"] if d["name"] == "市市场监督管理局")
    assert market["figures"]["publicity"] == {
        "numerator": 3, "denominator": 4, "rate": 75.0, "previous": 50.0, "change": 25.0,
    }  # fmt: skip
    again, made = monthly_report_generate(actor=SYSTEM, month=MONTH)
    assert not made and again.pk == report.pk and _events() == 1
    assert MonthlyReport.objects.count() == 1


@pytest.mark.parametrize(("who", "month", "error"), [
    ("market_clerk", MONTH, PermissionDenied),
    ("auditor", MONTH, PermissionDenied),
    ("operator", "2026-13", ValidationFailed),
])  # fmt: skip
def test_refused_writes_nothing(departments, actors, who, month, error):
    with pytest.raises(error):
        monthly_report_generate(actor=actors[who], month=month)
    assert MonthlyReport.objects.count() == 0 and _events() == 0


def test_a_month_not_ended_is_refused(departments):
    this = timezone.localdate().strftime("%Y-%m")
    with pytest.raises(ValidationFailed) as e:
        monthly_report_generate(actor=SYSTEM, month=this)
    assert [(x.field, x.rule) for x in e.value.errors] == [("month", "month.not_ended")]


def test_the_daily_upkeep_generates_last_month_once(departments):
    from xinyong.records.tasks import upkeep_run

    first_day = timezone.make_aware(datetime.datetime(2026, 11, 1, 0, 5))
    upkeep_run(now=first_day)
    upkeep_run(now=first_day + datetime.timedelta(days=1))
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == ["2026-10"]
    assert _events() == 1
    assert MonthlyReport.objects.get().generated_by == "system"


def test_the_command(departments, tmp_path):
    out = io.StringIO()
    call_command("stats_monthly", "--month", "2026-09", "--out", str(tmp_path), stdout=out)
    call_command("stats_monthly", "--month", "2026-09", stdout=out)
    assert "2026-09: generated" in out.getvalue() and "already generated" in out.getvalue()
    assert (tmp_path / "跟踪问效月报-2026-09.pdf").read_bytes().startswith(b"%PDF-")
    assert _events() == 1


def _look(data: bytes, name: str) -> str:
    """A real PDF with every font embedded (Noto CJK), its pages kept as PNG, not blank."""
    assert b"NotoSansCJK" in data or b"NotoSerifCJK" in data
    return look(data, name, folder="stats")


def test_the_pdf_for_the_office_and_for_a_department(city, actors):
    monthly_report_generate(actor=SYSTEM, month=MONTH)
    data, kind, name = monthly.download(actor=actors["operator"], month=MONTH, kind="pdf")
    assert kind == "application/pdf" and name.endswith(".pdf")
    text = _look(data, "monthly-office")
    for words in ("跟踪问效月度报告", "2026年10月", "市市场监督管理局", "市税务局", "75.0%",
                  "+25.0", "3/4", "33.3%", "-66.7"):  # fmt: skip
        assert words in text, words
    assert "SCJG" not in text  # names, never codes
    again, *_ = monthly.download(actor=actors["operator"], month=MONTH, kind="pdf")
    assert again == data  # the stored report renders the same file
    own, *_ = monthly.download(actor=actors["tax_clerk"], month=MONTH, kind="pdf")
    text = _look(own, "monthly-tax")
    assert "市税务局" in text and "市市场监督管理局" not in text and "75.0%" not in text


def test_the_xlsx_cells(city, actors):
    monthly_report_generate(actor=SYSTEM, month=MONTH)
    data, *_ = monthly.download(actor=actors["auditor"], month=MONTH, kind="xlsx")
    sheet = load_workbook(io.BytesIO(data))["跟踪问效"]
    rows = [tuple(c.value for c in r) for r in sheet.iter_rows()]
    assert rows[0][:6] == ("月份", "部门", "指标", "分子", "分母", "比率（%）")
    assert ("2026-10", "市市场监督管理局", "双公示按时公示率", 3, 4, 75.0, 50.0, 25.0) in rows
    assert ("2026-10", "市市场监督管理局", "异议按时办结率", 1, 3, 33.3, 100.0, -66.7) in rows
    assert ("2026-10", "市住房和城乡建设局", "信用修复按时办结率", 0, 0, None, None, None) in rows
    assert len(rows) == 1 + 3 * 7
    own, *_ = monthly.download(actor=actors["tax_clerk"], month=MONTH, kind="xlsx")
    theirs = [tuple(c.value for c in r) for r in load_workbook(io.BytesIO(own)).active.iter_rows()]
    assert {r[1] for r in theirs[1:]} == {"市税务局"} and len(theirs) == 1 + 7
