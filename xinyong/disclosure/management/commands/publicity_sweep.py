"""`xinyong publicity_sweep`: publish received licences and penalties and take ended or
withdrawn ones out of public view. Idempotent; run daily (e.g. cron `5 0 * * *`) — batches
also trigger it when they are applied."""

from dataclasses import asdict

from django.core.management.base import BaseCommand

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.disclosure.sweep import publication_sweep

LABELS = {
    "refreshed": "新算期限", "published": "新公示", "not_published": "不公示",
    "ended": "期满撤下", "withdrawn": "撤销撤下", "calendar_missing": "工作日历缺失",
}  # fmt: skip


class Command(BaseCommand):
    help = "双公示定时处理：公示新接收的许可和处罚，撤下公示期满或已撤销的决定（可重复执行）"

    def handle(self, *args, **opts):
        with request_context(channel="cli"):
            report = publication_sweep(actor=SYSTEM)
        self.stdout.write("，".join(f"{LABELS[k]} {v}" for k, v in asdict(report).items()))
        if report.calendar_missing:
            self.stderr.write("工作日历未覆盖部分年份，相关公示期限未能计算：xinyong workdays show")
