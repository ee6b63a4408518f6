"""`xinyong alerts_run`: evaluate the early-warning rules now (the daily upkeep does it
too): every active rule, or those named with ``--rule``. Repeatable: a run with the same
evidence writes nothing."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.alerts.models import AlertRule
from xinyong.alerts.run import alerts_run
from xinyong.core.context import request_context


class Command(BaseCommand):
    help = "失信预警：按启用的预警规则比对，生成或更新预警（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", default=[], help="只运行该编码的规则")

    def handle(self, *args, rule: list[str], **opts):
        unknown = set(rule) - set(
            AlertRule.objects.filter(code__in=rule).values_list("code", flat=True)
        )
        if unknown:
            raise CommandError(f"没有预警规则：{'、'.join(sorted(unknown))}")
        with request_context(channel="cli"):
            runs = alerts_run(codes=rule or None)
        for r in runs:
            self.stdout.write(
                f"{r.rule}：命中主体 {r.fired}，新增预警 {len(r.raised)}，更新 {len(r.updated)}，"
                f"无变化 {r.unchanged}，预警提示书 {r.notices}"
            )
