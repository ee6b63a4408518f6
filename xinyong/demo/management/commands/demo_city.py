from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from xinyong.accounts.actors import SYSTEM
from xinyong.alerts.demo import build_alerts
from xinyong.bodies.demo import build_public_bodies
from xinyong.core.context import request_context
from xinyong.declarations.demo import build_declarations
from xinyong.demo.city import DEMO_PASSWORD, USERS, build_city, build_records
from xinyong.demo.commitments import build_commitments
from xinyong.demo.evaluation import build_evaluation
from xinyong.demo.lists import PORTAL_USER, build_lists
from xinyong.demonstration.demo import build_demonstration
from xinyong.disclosure.sweep import publication_sweep
from xinyong.evaluation.selectors import grade_distribution
from xinyong.practitioners.demo import build_practitioners
from xinyong.supervision.demo import build_supervision
from xinyong.tips.demo import CODES as TIP_CODES
from xinyong.tips.demo import build_tips


class Command(BaseCommand):
    help = (
        "生成确定性的演示城市（信安市）：部门、用户、法人、个体工商户、自然人及关联人。可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子（同一种子生成同一城市）"
        )
        parser.add_argument("--subjects", type=int, default=20_000, help="主体总数（默认 20000）")
        parser.add_argument("--chunk", type=int, default=50_000, help="每个事务写入的主体数")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args, seed, subjects, chunk, quiet, **options):
        if subjects < 10 or subjects > 20_000_000:
            raise CommandError("--subjects: 应在 10 到 20000000 之间")
        if chunk < 100:
            raise CommandError("--chunk: 至少 100")
        with (
            request_context(channel="cli"),
            tqdm(total=subjects, unit="主体", disable=quiet, desc="演示城市") as bar,
        ):
            result = build_city(seed=seed, total=subjects, chunk=chunk, progress=bar.update)
        with request_context(channel="cli"):
            records = build_records(seed=seed, total=subjects)
            publication_sweep(actor=SYSTEM)  # the portal shows the city's licences and penalties
            tips = build_tips()  # rewarded tips in every state, one transferred
            entries = build_lists()
            commitments = build_commitments()
            build_declarations()  # the demo company's self-declarations, one verified
            # a public institution on a list, its notices waiting; a staff misconduct notice
            build_public_bodies(seed=seed, total=subjects)
            run = build_evaluation()  # grades from everything above (the draw reads them)
            build_supervision()  # a joint double-random plan, drawn, seed published
            build_demonstration()  # a credit-village campaign published, one taking applications
            build_alerts()  # early warnings over the city, one for the demo company
            # constructors published on the portal; supervising engineers not
            build_practitioners(seed=seed, total=subjects)
        self.stdout.write(
            f"演示城市就绪：新增信用记录 {records}，名单条目 {entries}，信用承诺 {commitments}，"
            f"新增主体 {result.subjects_inserted}，关联人 {result.related_inserted}，"
            f"登记信息 {result.registrations_inserted}"
        )
        if run is not None:
            grades = "，".join(f"{g} 级 {n}" for g, n in grade_distribution() if n) or "无"
            self.stdout.write(f"公共信用综合评价：评价主体 {run.subjects_done} 个（{grades}）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, display, role, _dept in USERS:
            self.stdout.write(f"  {username:<14} {display}（{role.label}）")
        self.stdout.write(
            f"  {PORTAL_USER:<14} 企业经办人（门户 /account/login/，已绑定一家被列入名单的企业）"
        )
        if tips:
            self.stdout.write(
                f"演示举报 {tips} 件，凭查询码在 /tips/follow/ 查询："
                f"待受理 {TIP_CODES['submitted']}，已受理 {TIP_CODES['accepted']}，"
                f"查证属实 {TIP_CODES['substantiated']}，"
                f"已转办 {TIP_CODES['transferred']}"
            )
        if result.api_token:
            self.stdout.write(f"演示接口令牌（只显示一次）：{result.api_token}")
