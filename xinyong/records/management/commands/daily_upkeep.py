"""`xinyong daily_upkeep`: the daily jobs now — records past their retention leave the
credit file, list entries past their term leave their lists, then the publication sweep.
``--schedule`` instead queues the recurring run in the worker (idempotent; `scripts/demo`
does it), for platforms that keep no cron."""

from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.utils import timezone

from xinyong.core.context import request_context
from xinyong.disclosure.management.commands.publicity_sweep import LABELS
from xinyong.records.tasks import upkeep_run, upkeep_schedule


class Command(BaseCommand):
    help = "每日维护：保存期满的信用记录退出信用档案，并执行双公示定时处理（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="不立即执行，而是在后台任务队列中安排每日执行"
        )

    def handle(self, *args, schedule: bool, **opts):
        if schedule:
            from xinyong.ingest.tasks import watch_schedule

            watch_schedule()  # batches whose worker died are taken again within minutes
            at = upkeep_schedule()
            if at is None:
                self.stderr.write(
                    "当前任务后端不支持定时执行：请用 cron 每日运行 xinyong daily_upkeep"
                )
            else:
                self.stdout.write(
                    f"每日维护已安排，下次执行：{timezone.localtime(at):%Y-%m-%d %H:%M}"
                )
            return
        with request_context(channel="cli"):
            retention, expired_entries, sweep = upkeep_run()
            evaluated = _evaluation_now()
        expired = "，".join(f"{k} {n}" for k, n in retention.expired.items()) or "无"
        self.stdout.write(f"保存期满退出信用档案：{expired}；随之撤下公示 {retention.unpublished}")
        self.stdout.write(f"名单期满移出：{expired_entries}")
        self.stdout.write("，".join(f"{LABELS[k]} {v}" for k, v in asdict(sweep).items()))
        if evaluated is not None:
            self.stdout.write(
                f"增量评价：评价主体 {evaluated.subjects_done} 个，等级变化 "
                f"{evaluated.grades_changed} 个（{evaluated.get_status_display()}）"
            )
        if sweep.calendar_missing:
            self.stderr.write("工作日历未覆盖部分年份，相关公示期限未能计算：xinyong workdays show")


def _evaluation_now():
    """The incremental run the upkeep requested, executed here when no worker took it (the
    cron way); the worker's, when one did (its claim makes running it twice impossible)."""
    from xinyong.evaluation.choices import RunStatus
    from xinyong.evaluation.engine import run_execute
    from xinyong.evaluation.selectors import run_busy

    run = run_busy()
    if run is None or run.requested_by != "system":
        return None
    if run.status == RunStatus.QUEUED:
        return run_execute(run.pk)
    return run
