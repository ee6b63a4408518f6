"""The dashboard page, a chart's XLSX and the portal's public statistics, as a user meets
them (tests/world.py: the figures)."""

import io

import openpyxl
import pytest
from django.test import Client

from xinyong.core.tests.visible import assert_no_codes
from xinyong.stats.tests import world


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_the_dashboard_draws_every_chart_from_json_with_its_table(users, departments):
    world.build(departments)
    html = (
        signed_in(users["operator"]).get(f"/backoffice/statistics/?{world.PERIOD}").content.decode()
    )
    for key in ("records", "publicity", "lists", "checks", "measures", "objections"):
        assert f'id="chart-{key}-data" type="application/json"' in html
        assert f'href="/backoffice/statistics/{key}.xlsx?{world.PERIOD}"' in html.replace(
            "&amp;", "&"
        )
    assert "<script>" not in html  # no inline script: the data blocks are JSON
    assert (
        '<th scope="row">市市场监督管理局</th><td>3</td><td>1</td><td>1</td><td>1</td><td>50.0</td>'
        in html
    )
    assert_no_codes(html, departments=[d.code for d in departments.values()])


@pytest.mark.django_db
def test_a_chart_downloads_as_xlsx_with_the_tables_figures(users, departments):
    world.build(departments)
    resp = signed_in(users["auditor"]).get(f"/backoffice/statistics/checks.xlsx?{world.PERIOD}")
    assert resp.status_code == 200
    assert (
        resp["Content-Disposition"] == 'attachment; filename="stats-checks-20260101-20260630.xlsx"'
    )
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "信用核查与反馈"
    assert cells[1][0] == "统计期间：2026-01-01 至 2026-06-30"
    assert cells[2][0] == "部门：全部部门"
    assert list(cells[4][:5]) == ["部门", "核查次数", "命中名单", "已反馈", "反馈率（%）"]
    assert list(cells[5][:5]) == ["市市场监督管理局", 3, 2, 1, 50.0]
    assert list(cells[6][:5]) == ["市税务局", 1, 1, 0, 0.0]


@pytest.mark.django_db
def test_a_clerks_xlsx_holds_its_department_only(users, departments):
    world.build(departments)
    c = signed_in(users["market_clerk"])
    ws = openpyxl.load_workbook(
        io.BytesIO(c.get(f"/backoffice/statistics/checks.xlsx?{world.PERIOD}").content)
    ).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][0] == "部门：市市场监督管理局"
    assert rows[5][0] == "市市场监督管理局" and not any(rows[6])  # its row, then the note
    refused = c.get(f"/backoffice/statistics/checks.xlsx?{world.PERIOD}&department=SW")
    assert (
        refused.status_code == 400 and "部门：只能查看本部门的统计数据" in refused.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, says",
    [
        ("date_from=2026-02-30", "起始日期</b>：日期格式应为 YYYY-MM-DD"),
        ("date_from=2026-06-01&date_to=2026-01-01", "截止日期</b>：截止日期不能早于起始日期"),
        ("date_from=2001-01-01&date_to=2026-01-01", "起始日期</b>：统计期间不能超过 5 年"),
        ("department=NOPE", "部门</b>：没有这个部门"),
        ("department=SW", "部门</b>：只能查看本部门的统计数据"),
    ],
)
def test_a_bad_filter_answers_400_naming_the_field(users, departments, query, says):
    resp = signed_in(users["market_clerk"]).get(f"/backoffice/statistics/?{query}")
    assert resp.status_code == 400
    assert says in resp.content.decode()


@pytest.mark.django_db
def test_the_public_page_shows_counts_and_no_subject(departments):
    built = world.build(departments)
    html = Client().get("/statistics/").content.decode()
    assert "统计数据" in html and "严重失信主体名单" in html
    for subject in built["subjects"]:
        assert subject.name not in html and subject.uscc not in html
    assert_no_codes(html, public=True, departments=[d.code for d in departments.values()])
    assert 'href="/statistics/"' in Client().get("/").content.decode()  # linked from every page
