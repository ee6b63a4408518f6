"""The back-office pages: the month's scorecards (every department for the credit office,
its own for a department), a department's twelve months, the reports with their
downloads — another department's figures never appear — and bad months or an unknown
department refused (400) with the field named on the page."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from xinyong.accounts.actors import SYSTEM
from xinyong.core.tests.visible import assert_no_codes
from xinyong.stats.models import MonthlyReport
from xinyong.stats.services import monthly_report_generate
from xinyong.stats.tests.conftest import MONTH


@pytest.fixture
def browse(users):
    def signed_in(name: str) -> Client:
        c = Client()
        c.force_login(users[name])
        return c

    return signed_in


def test_the_office_sees_every_department(city, browse):
    r = browse("operator").get(f"/backoffice/scorecards/?month={MONTH}")
    html = r.content.decode()
    assert r.status_code == 200
    shown = ("市市场监督管理局", "市税务局", "市住房和城乡建设局", "75.0%", "3 / 4", "环比 +25.0")
    for words in shown:
        assert words in html, words
    assert_no_codes(html, where="scorecards")


def test_a_department_sees_its_own_only(city, browse):
    clerk = browse("tax_clerk")
    html = clerk.get(f"/backoffice/scorecards/?month={MONTH}").content.decode()
    assert "市税务局" in html and "市市场监督管理局" not in html and "75.0%" not in html
    assert clerk.get(f"/backoffice/scorecards/departments/SCJG/?month={MONTH}").status_code == 403
    own = clerk.get(f"/backoffice/scorecards/departments/SW/?month={MONTH}")
    assert own.status_code == 200 and "100.0%" in own.content.decode()


def test_a_departments_twelve_months(city, browse):
    r = browse("market_reviewer").get(f"/backoffice/scorecards/departments/SCJG/?month={MONTH}")
    html = r.content.decode()
    assert r.status_code == 200 and "市市场监督管理局跟踪问效" in html
    assert "2025-11" in html and "2026-10" in html and "33.3%" in html
    assert_no_codes(html, where="scorecard of a department")


@pytest.mark.parametrize(
    ("url", "words"),
    [("/backoffice/scorecards/?month=2026-13", "月份应为 YYYY-MM"),
     ("/backoffice/scorecards/?month=2999-01", "尚未开始"),
     ("/backoffice/scorecards/departments/NOPE/", "没有该部门"),
     ("/backoffice/scorecards/departments/SCJG/?month=x", "月份应为 YYYY-MM"),
     ("/backoffice/scorecards/reports/2026-99/report.pdf", "月份应为 YYYY-MM")],
)  # fmt: skip
def test_hostile_inputs_are_refused_naming_the_field(city, browse, url, words):
    r = browse("operator").get(url)
    html = r.content.decode()
    assert r.status_code == 400 and words in html
    assert "<b>月份</b>" in html or "<b>部门</b>" in html  # the field, by its label


def test_reports_and_downloads_hold_the_readers_rows_only(city, browse):
    monthly_report_generate(actor=SYSTEM, month=MONTH)
    clerk = browse("tax_clerk")
    page = clerk.get("/backoffice/scorecards/reports/").content.decode()
    assert "2026-10" in page and "生成月报" not in page  # only the office generates
    r = clerk.get(f"/backoffice/scorecards/reports/{MONTH}/report.xlsx")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert {row[1] for row in rows[1:]} == {"市税务局"}
    pdf = clerk.get(f"/backoffice/scorecards/reports/{MONTH}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert clerk.get("/backoffice/scorecards/reports/2026-08/report.pdf").status_code == 404


def test_the_office_generates_a_month(departments, browse):
    office = browse("operator")
    r = office.post("/backoffice/scorecards/reports/", {"month": "2026-09"})
    assert r.status_code == 302 and MonthlyReport.objects.filter(month="2026-09").exists()
    again = office.post("/backoffice/scorecards/reports/", {"month": "2026-09"}, follow=True)
    assert "此前已生成" in again.content.decode() and MonthlyReport.objects.count() == 1
    bad = office.post("/backoffice/scorecards/reports/", {"month": "2026-9"})
    assert bad.status_code == 400 and "月份应为 YYYY-MM" in bad.content.decode()
    refused = browse("market_clerk").post("/backoffice/scorecards/reports/", {"month": "2026-08"})
    assert refused.status_code == 302 and MonthlyReport.objects.count() == 1


def test_hostile_months_to_generate_answer_without_5xx_and_write_nothing(departments, browse):
    """Hostile text as the month to generate (NUL, lone surrogates, odd numbers): a refusal
    (400) and no report, never a 5xx."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from xinyong.commitments.tests.test_backoffice_hostile import EXAMPLES, SETTINGS, _post, values
    from xinyong.core.tests import fuzzstats

    office = browse("operator")

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(st.one_of(values, st.sampled_from(["2026-00", "0000-01", "2026-1", "9999-12"])))
    def check(month):
        with fuzzstats.timed("monthly report form (hostile)"):
            r = _post(office, "/backoffice/scorecards/reports/", {"month": month})
        fuzzstats.record("monthly report form (hostile)", r.status_code)
        assert r.status_code in (400, 302), month
        assert MonthlyReport.objects.count() == 0, month

    check()


def test_in_english_the_page_speaks_english_and_the_pdf_stays_chinese(city, browse):
    from xinyong.reports.tests.conftest import pdf_text

    office = browse("operator")
    office.cookies["django_language"] = "en"
    html = office.get(f"/backoffice/scorecards/?month={MONTH}").content.decode()
    assert "Dual publicity on time" in html and "vs. previous month +25.0" in html
    office.post("/backoffice/scorecards/reports/", {"month": MONTH})
    pdf = office.get(f"/backoffice/scorecards/reports/{MONTH}/report.pdf").content
    assert "双公示按时公示率" in pdf_text(pdf)  # an official document, in Chinese
