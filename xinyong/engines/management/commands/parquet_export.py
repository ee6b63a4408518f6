"""`xinyong parquet_export DIR`: the tables batch jobs read, exported to Parquet in DIR
(default: a new directory under ``XINYONG_PARQUET_DIR``) with its manifest — for
``xinyong evaluate --engine duckdb|spark --data DIR``. On a Spark cluster DIR is shared
storage that every executor reads at the same path."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.engines import export
from xinyong.engines.services import parquet_export


class Command(BaseCommand):
    help = "导出批处理引擎（DuckDB、Spark）读取的数据表为 Parquet 文件"

    def add_arguments(self, parser):
        parser.add_argument("dir", nargs="?", help="导出目录（默认在 XINYONG_PARQUET_DIR 下新建）")

    def handle(self, *args, dir: str | None, **opts):
        dest = Path(dir) if dir else export.default_dir()
        if dest.exists() and not dest.is_dir():
            raise CommandError(f"导出目录不是目录：{dest}")
        with request_context(channel="cli"):
            m = parquet_export(actor=SYSTEM, dest=dest)
        rows = "，".join(f"{name} {n}" for name, n in m.rows.items())
        self.stdout.write(f"已导出到 {m.path}：{rows}；数据截至 {m.data_time:%Y-%m-%d %H:%M:%S}")
