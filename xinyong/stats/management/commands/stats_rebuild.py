"""``xinyong stats_rebuild --engine duckdb|spark [--data DIR]``: the statistics' rollups —
records collected per day, department and catalog item; dual publicity per decision day,
department and item and per day published; credit checks and their measures per day and
checking department — rebuilt on a batch engine from the export at
``--data`` (``xinyong parquet_export``), or from one made now: what a province runs instead
of ``stats_rollup --rebuild`` in its database. On Spark, ``--master`` (else
``XINYONG_SPARK_MASTER``, spark-submit's or ``local[*]``) and ``--spark-conf KEY=VALUE``.
The rollups then count up to the export's data time; the records stored, the publications
published and the checks made after it are counted live, as after any refresh. Refused with the
option named, and nothing written: an unknown engine, a directory that is not an export of
this database, an export older than a rollup's mark, an engine that cannot start."""

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
    help = "统计：在批处理引擎（DuckDB、Spark）上重建信用记录、双公示和信用核查日汇总"

    def add_arguments(self, parser):
        add_engine_options(parser, engines=BATCH_ENGINES, help=BATCH_ENGINE_HELP)

    def handle(self, *args, engine: str, data: str | None, master: str | None,
               spark_conf: list[str], **opts):  # fmt: skip
        from xinyong.engines.services import ROLLUPS, statistics_batch_rebuild

        self.stdout.write(f"重建统计汇总，计算引擎 {engine}，数据 {data or '现在导出'}")
        t = time.perf_counter()
        written, manifest = run_on_engine(statistics_batch_rebuild, engine=engine, data=data,
                                          master=master, spark_conf=spark_conf)  # fmt: skip
        until = timezone.localtime(manifest.data_time)
        rows = "，".join(f"{ROLLUPS[name].name} {n} 行" for name, n in written.items())
        self.stdout.write(
            f"完成：{rows}，统计截至 {until:%Y-%m-%d %H:%M:%S}，"
            f"用时 {time.perf_counter() - t:.1f} 秒"
        )
