"""`xinyong alerts_run`: evaluate the early-warning rules now (the daily upkeep does it
too): every active rule, or those named with ``--rule``. Repeatable: a run with the same
evidence writes nothing; alerts whose rule no longer holds are closed."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.alerts.models import AlertRule
from xinyong.alerts.rules import CODE
from xinyong.alerts.run import alerts_run
from xinyong.core.context import request_context


class Command(BaseCommand):
    help = "失信预警：按启用的预警规则比对，生成或更新预警（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", default=[], help="只运行该编码的规则")

    def handle(self, *args, rule: list[str], **opts):
        malformed = [c for c in rule if not CODE.match(c)]
        if malformed:  # said before any query: a code is never NUL bytes or 400 characters
            shown = "、".join(ascii(c)[1:-1][:60] for c in malformed)
            raise CommandError(f"--rule：规则编码应为小写字母、数字或下划线（{shown}）")
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
                f"无变化 {r.unchanged}，自动关闭 {len(r.closed)}，预警提示书 {r.notices}"
            )
