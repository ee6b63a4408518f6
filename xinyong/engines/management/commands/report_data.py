"""``xinyong report_data --engine duckdb|spark [--batch N] [--data DIR]``: the reports'
data — per subject and catalog item, the records the public sees and the newest of them,
and the same of the whole file per providing department and disclosure — computed on a
batch engine from the export at ``--data`` (``xinyong parquet_export``), or from one made
now, for every subject not a person or for those of report batch N, and written back as
the data in force; a batch of public or review reports then reads it instead of the
records table, for the subjects unchanged since the export.
On Spark, ``--master`` and ``--spark-conf KEY=VALUE`` as for ``evaluate``. Refused with
the option named, and nothing written: an unknown engine or batch, a finished batch, a
directory that is not an export of this database or is older than
the data in force, an engine that cannot start."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from xinyong.engines.options import (
    BATCH_ENGINE_HELP,
    BATCH_ENGINES,
    add_engine_options,
    run_on_engine,
)


class Command(BaseCommand):
    help = "信用报告：在批处理引擎（DuckDB、Spark）上预计算公共信用信息报告和信用审查报告的数据"

    def add_arguments(self, parser):
        add_engine_options(parser, engines=BATCH_ENGINES, help=BATCH_ENGINE_HELP)
        parser.add_argument("--batch", type=int, metavar="N",
                            help="只计算该批量报告任务的主体（默认全部非自然人主体）")  # fmt: skip

    def handle(self, *args, engine: str, data: str | None, master: str | None,
               spark_conf: list[str], batch: int | None, **opts):  # fmt: skip
        from xinyong.engines.services import report_data_build

        scope = f"批量报告任务 {batch}" if batch is not None else "全部非自然人主体"
        self.stdout.write(f"预计算信用报告数据（{scope}），计算引擎 {engine}，"
                          f"数据 {data or '现在导出'}")  # fmt: skip
        t = time.perf_counter()
        run = run_on_engine(report_data_build, engine=engine, data=data, master=master,
                            spark_conf=spark_conf, batch=batch)  # fmt: skip
        until = timezone.localtime(run.data_time)
        self.stdout.write(
            f"完成：主体 {run.subjects} 个，数据截至 {until:%Y-%m-%d %H:%M:%S}，"
            f"适用于 {run.as_of:%Y-%m-%d} 出具的报告，用时 {time.perf_counter() - t:.1f} 秒"
        )
