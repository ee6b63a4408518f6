"""``xinyong draw_verify CCJH…``: re-run a plan's published draw from its frozen candidate
list, frozen inspector pools and exclusions and its published seed, and compare with the
stored tasks (the algorithm: :mod:`xinyong.supervision.draw`). Exit 1 when anything differs."""

import sys

from django.core.management.base import BaseCommand, CommandError

from xinyong.core.errors import NotFound
from xinyong.supervision import selectors


class Command(BaseCommand):
    help = "重新运行已公布随机种子的检查计划的抽取，并与已存任务比对"

    def add_arguments(self, parser):
        parser.add_argument("plan", help="计划编号（CCJH…）")

    def handle(self, *args, **options):
        try:
            plan = selectors.plan_public(options["plan"])
            result = selectors.draw_verify(plan)
        except NotFound as e:
            raise CommandError(str(e)) from None
        w = self.stdout.write
        w(f"计划 {plan.number} {plan.name}")
        w(f"随机种子 {plan.seed}")
        w(f"种子摘要 {plan.seed_hash} {'一致' if result.seed_matches_hash else '不一致'}")
        w(
            f"候选名单摘要 {plan.candidates_digest} "
            f"{'一致' if result.candidates_digest_matches else '不一致'}"
        )
        same = "一致" if result.pool_digest_matches else "不一致"
        w(f"检查人员名录摘要 {plan.pool_digest} {same}")
        w(f"任务 重新计算 {result.recomputed} 项，已存 {result.stored} 项")
        for line in result.differences:
            w(f"  不同：{line}")
        if result.ok:
            w("结论：重新运行的抽取结果与公布结果一致")
            return
        self.stderr.write("结论：不一致")
        sys.exit(1)
