"""``xinyong stats_rollup [--rebuild]``: bring the statistics' rollups of records collected
and of credit checks up to now and rebuild the dual-publicity rollup (the daily upkeep does
all three); ``--rebuild`` counts every record and check again (after a bulk load, or to
check the rollups)."""

import time

from django.core.management.base import BaseCommand

from xinyong.stats.rollups import (
    checks_rollup_refresh,
    publications_rollup_rebuild,
    records_rollup_refresh,
)


class Command(BaseCommand):
    help = "统计：更新信用记录和信用核查日汇总，重建双公示日汇总（--rebuild 全部重算）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, rebuild=False, **options):
        t = time.perf_counter()
        n = records_rollup_refresh(rebuild=rebuild)
        self.stdout.write(f"records: {n} rows in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        n = checks_rollup_refresh(rebuild=rebuild)
        self.stdout.write(f"checks: {n} rows in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        n = publications_rollup_rebuild()
        self.stdout.write(f"publications: {n} rows in {time.perf_counter() - t:.1f} s")
