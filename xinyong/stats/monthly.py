"""The monthly effectiveness report (跟踪问效月报): its content, computed once and stored as
JSON (``figures_of``), and the two files rendered from it on each download — a PDF in the
platform's document style (Typst, ``stats/typst/monthly.typ`` through ``reports.render``,
Noto CJK embedded) and an XLSX (openpyxl). Both are rendered from the stored JSON only, so
a report reads the same whenever it is downloaded; each reader gets the departments it may
see (``Action.SCORECARD_VIEW``): a department's file holds its own row and nothing else.
The wording is Chinese whatever the interface language, like the platform's documents."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.core.errors import NotFound
from xinyong.core.exports import spreadsheet_safe
from xinyong.reports.render import render_template
from xinyong.stats import scorecards
from xinyong.stats.choices import Figure
from xinyong.stats.models import MonthlyReport

TEMPLATE = Path(__file__).resolve().parent / "typst" / "monthly.typ"


def figures_of(first: datetime.date, now: datetime.datetime) -> dict:
    """What a month's report stores: the month, the figures' names and definitions, and
    every department's scorecard (its id, code and name as they were) with the change from
    the month before."""
    with translation.override("zh-hans"):  # an official document: in Chinese
        return _figures_of(first, now)


def _figures_of(first: datetime.date, now: datetime.datetime) -> dict:
    departments = scorecards.scorecard_departments()
    return {
        "month": scorecards.label(first),
        "previous": scorecards.label(scorecards.shift(first, -1)),
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "figures": [_definition(k, *d) for k, d in scorecards.DEFINITIONS.items()],
        "departments": [_card(c) for c in scorecards.cards(departments, first)],
    }


def _definition(key, numerator, denominator, meaning) -> dict:
    return {"key": str(key), "name": str(Figure(key).label), "numerator": str(numerator),
            "denominator": str(denominator), "meaning": str(meaning)}  # fmt: skip


def _card(c: scorecards.Card) -> dict:
    return {"id": c.department_id, "code": c.code, "name": c.name,
            "figures": {k: r.as_dict() for k, r in c.figures.items()}}  # fmt: skip


def report_of(*, actor: Actor, month) -> MonthlyReport:
    """A stored report, for a reader who sees some scorecard; a bad month is refused naming
    the field, a month not generated is not found."""
    access.require(actor, Action.SCORECARD_VIEW)
    first = scorecards.parse_month(month)
    report = MonthlyReport.objects.filter(month=scorecards.label(first)).first()
    if report is None:
        message = gettext("%(month)s 的跟踪问效月报尚未生成") % {"month": scorecards.label(first)}
        raise NotFound(message)
    return report


def reports_list(*, actor: Actor) -> list[MonthlyReport]:
    access.require(actor, Action.SCORECARD_VIEW)
    return list(MonthlyReport.objects.defer("figures").order_by("-month"))


def rows_for(actor: Actor, report: MonthlyReport) -> list[dict]:
    """The report's departments ``actor`` may see (the access rule on each, by id)."""
    return [
        d
        for d in report.figures["departments"]
        if access.allowed(actor, Action.SCORECARD_VIEW, Department(pk=d["id"]))
    ]


# -- rendering -----------------------------------------------------------------------------
def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def change_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if value else "0.0"


def _month_text(month: str) -> str:
    year, m = month.split("-")
    return f"{int(year)}年{int(m)}月"


def _moment_text(iso: str) -> str:
    t = datetime.datetime.fromisoformat(iso)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def _scope(rows: list[dict], everyone: bool) -> str:
    if everyone:
        return f"全部部门（{len(rows)} 个）"
    return "、".join(d["name"] for d in rows) or "无"


def pdf_data(report: MonthlyReport, rows: list[dict], *, everyone: bool) -> dict:
    """The PDF's data for the Typst template: every value text, placed as it is."""
    f = report.figures
    defs = f["figures"]
    return {
        "title": "跟踪问效月度报告",
        "platform": settings.XINYONG_PLATFORM_NAME,
        "facts": [
            {"name": "统计月份", "value": _month_text(f["month"])},
            {"name": "环比月份", "value": _month_text(f["previous"])},
            {"name": "统计范围", "value": _scope(rows, everyone)},
            {"name": "生成时间", "value": _moment_text(f["generated_at"])},
        ],
        "intro": (
            f"本报告统计{_month_text(f['month'])}各部门落实信用信息归集、双公示、联合奖惩、"
            "异议处理、信用修复和信用承诺核查等工作的情况。每项指标列出分子、分母和比率，"
            "并与上月比较（环比变化以百分点计）；分母为零的指标记为“—”。"
        ),
        "definitions": [
            {"name": d["name"], "meaning": f"{d['meaning']}（{d['numerator']}÷{d['denominator']}）"}
            for d in defs
        ],
        "columns": [d["name"] for d in defs],
        "summary": [
            {"name": r["name"], "cells": [_summary_cell(r["figures"][d["key"]]) for d in defs]}
            for r in rows
        ],
        "details": [
            {"name": r["name"], "rows": [_detail_row(d, r["figures"][d["key"]]) for d in defs]}
            for r in rows
        ],
        "footnote": f"数据摘要（SHA-256）：{report.digest}",
    }


def _summary_cell(v: dict) -> list[str]:
    return [rate_text(v["rate"]), change_text(v["change"])]


def _detail_row(d: dict, v: dict) -> list[str]:
    return [d["name"], f"{v['numerator']} / {v['denominator']}", rate_text(v["rate"]),
            rate_text(v["previous"]), change_text(v["change"])]  # fmt: skip


def render_pdf(report: MonthlyReport, rows: list[dict], *, everyone: bool) -> bytes:
    return render_template(TEMPLATE, pdf_data(report, rows, everyone=everyone))


def render_xlsx(report: MonthlyReport, rows: list[dict]) -> bytes:
    """One row per department and figure (to filter and pivot), and the definitions."""
    f = report.figures
    wb = Workbook()
    sheet = wb.active
    sheet.title = "跟踪问效"
    header = ["月份", "部门", "指标", "分子", "分母", "比率（%）", "上月比率（%）",
              "环比变化（百分点）"]  # fmt: skip
    sheet.append(header)
    for r in rows:
        for d in f["figures"]:
            v = r["figures"][d["key"]]
            sheet.append([f["month"], spreadsheet_safe(r["name"]), d["name"], v["numerator"],
                          v["denominator"], v["rate"], v["previous"], v["change"]])  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (10, 28, 22, 8, 8, 10, 14, 18), strict=True):
        sheet.column_dimensions[column].width = width
    defs = wb.create_sheet("指标说明")
    defs.append(["指标", "分子", "分母", "口径"])
    for d in f["figures"]:
        defs.append([d["name"], d["numerator"], d["denominator"], d["meaning"]])
    for cell in defs[1]:
        cell.font = Font(bold=True)
    defs.column_dimensions["D"].width = 80
    for row in defs.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True)
    made = datetime.datetime.fromisoformat(f["generated_at"]).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = made
    wb.properties.title = f"{_month_text(f['month'])}跟踪问效月度报告"
    wb.properties.creator = settings.XINYONG_PLATFORM_NAME
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def download(*, actor: Actor, month, kind: str) -> tuple[bytes, str, str]:
    """A report's file for ``actor`` (``kind``: ``pdf`` or ``xlsx``): its bytes, content
    type and file name. Only the departments the reader may see are in it."""
    report = report_of(actor=actor, month=month)
    rows = rows_for(actor, report)
    name = f"跟踪问效月报-{report.month}"
    if kind == "pdf":
        data = render_pdf(report, rows, everyone=access.reads_every_department(actor))
        return data, "application/pdf", name + ".pdf"
    data = render_xlsx(report, rows)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return data, xlsx, name + ".xlsx"
