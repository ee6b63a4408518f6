"""`xinyong evaluate`: a run of the public credit evaluation now, in this process, with its
progress printed — ``--incremental`` (the default: the subjects whose file changed since
the last run, or whose facts changed by the calendar) or ``--full``; ``--as-of`` the day
the recency cut-offs count from. ``--load FILE`` first loads a model file as a new version
and puts it in use (a refused file is named by its line and rule, and nothing is loaded);
``--no-run`` then stops there. The worker runs the runs requested in the back office; this
is the operator's and the demo's way, and the cron way where no worker runs.

``--engine duckdb|spark`` computes a full run on a batch engine (``xinyong.engines``) from
the export at ``--data DIR`` (``xinyong parquet_export``), or from one made now; on Spark,
``--master`` (else ``XINYONG_SPARK_MASTER``, spark-submit's or ``local[*]``) and
``--spark-conf KEY=VALUE``. ``--engine database`` (the default) is the run above."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.core.errors import ValidationFailed
from xinyong.engines.options import parse_spark_conf as _conf
from xinyong.evaluation import services
from xinyong.evaluation.choices import RunKind, RunStatus
from xinyong.evaluation.engine import run_execute


def _day(value: str) -> datetime.date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of 应为日期 YYYY-MM-DD：{value!r}") from None


def _refused(e: ValidationFailed) -> CommandError:
    return CommandError("；".join(f"{err.message}" for err in e.errors))


class Command(BaseCommand):
    help = "公共信用综合评价：立即执行一次评价（默认增量），可先载入新的评价模型文件"

    def add_arguments(self, parser):
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--full", action="store_true", help="全量评价：所有组织和个体工商户")
        kind.add_argument(
            "--incremental", action="store_true", help="增量评价（默认）：只评价档案有变化的主体"
        )
        parser.add_argument("--as-of", dest="as_of", help="评价基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--load", metavar="FILE", help="先载入评价模型文件（YAML）并启用")
        parser.add_argument("--no-run", action="store_true", help="只载入模型，不执行评价")
        parser.add_argument(
            "--engine", choices=("database", "duckdb", "spark"), default="database",
            help="计算引擎：database（默认，数据库内）、duckdb（嵌入式）、spark（集群）；"
                 "后两者执行全量评价",
        )  # fmt: skip
        parser.add_argument("--data", metavar="DIR",
                            help="批处理引擎读取的数据导出目录（默认现在导出）")  # fmt: skip
        parser.add_argument("--master", help="Spark master 地址（spark://…、yarn、local[*]）")
        parser.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                            help="Spark 配置项，可重复")  # fmt: skip

    def handle(self, *args, full: bool, as_of: str | None, load: str | None, no_run: bool,
               engine: str, data: str | None, master: str | None, spark_conf: list[str],
               **opts):  # fmt: skip
        day = _day(as_of) if as_of else None
        if engine == "database" and (data or master or spark_conf):
            raise CommandError("--data、--master、--spark-conf 只用于 --engine duckdb 或 spark")
        if engine != "database" and opts.get("incremental"):
            raise CommandError(f"--engine {engine} 只执行全量评价，不能与 --incremental 同用")
        conf = _conf(spark_conf)
        with request_context(channel="cli"):
            if load:
                self._load(Path(load))
            if no_run:
                return
            if engine != "database":
                return self._batch(engine, data, day, master, conf)
            kind = RunKind.FULL if full else RunKind.INCREMENTAL
            try:
                run = services.run_request(actor=SYSTEM, kind=kind, as_of=day)
            except ValidationFailed as e:
                raise _refused(e) from None
            self.stdout.write(
                f"评价批次 {run.pk}：{run.get_kind_display()}，{run.model_version}，"
                f"评价基准日 {run.as_of:%Y-%m-%d}"
            )
            run = run_execute(run.pk, progress=self._progress)
        self._outcome(run)

    def _outcome(self, run) -> None:
        if run.status != RunStatus.DONE:
            raise CommandError(f"评价失败：{run.error}")
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"完成：评价主体 {run.subjects_done} 个，等级变化 {run.grades_changed} 个，"
            f"用时 {seconds:.1f} 秒"
        )

    def _batch(self, engine: str, data: str | None, day, master, conf) -> None:
        from xinyong.engines.services import evaluation_batch_run

        self.stdout.write(f"全量评价，计算引擎 {engine}，数据 {data or '现在导出'}")
        try:
            run = evaluation_batch_run(
                actor=SYSTEM, engine=engine, data=Path(data) if data else None, as_of=day,
                master=master, conf=conf, progress=self._progress,
            )  # fmt: skip
        except ValidationFailed as e:  # the option named: --data, --engine
            raise CommandError("；".join(f"--{x.field}：{x.message}" for x in e.errors)) from None
        self._outcome(run)

    def _load(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise CommandError(f"无法读取模型文件 {path}：{e.strerror or e}") from None
        except UnicodeDecodeError:
            raise CommandError(f"模型文件 {path} 应为 UTF-8 编码的文本") from None
        try:
            mv = services.model_version_load(actor=SYSTEM, text=text)
        except ValidationFailed as e:
            raise CommandError(f"{path}：{_refused(e)}") from None
        self.stdout.write(f"已载入并启用：{mv}（{mv.digest[:12]}…）")

    def _progress(self, done: int, total: int) -> None:
        share = done * 100 // total if total else 100
        self.stdout.write(f"  {done} / {total}（{share}%）  {timezone.localtime():%H:%M:%S}")
