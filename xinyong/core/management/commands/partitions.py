"""`xinyong partitions`: the partitioned tables (PostgreSQL) — their state, converting a
large live database online before the migration would do it in one long transaction, and
the monthly upkeep (next months ready, months past retention archived and dropped)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from xinyong.accounts.actors import SYSTEM
from xinyong.core import partitions, services
from xinyong.core.context import request_context


class Command(BaseCommand):
    help = (
        "数据表分区（PostgreSQL）：status 查看；apply [--table 表] [--online] 转换为分区表"
        "（--online：分批复制，仅在最后切换时短暂锁表）；upkeep 建好后续月份分区并按保存期限"
        "归档、删除核查日志的过期月份"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "apply", "upkeep"])
        parser.add_argument("--table", action="append", default=[], help="只处理该表（可重复）")
        parser.add_argument("--online", action="store_true", help="在线转换（分批复制）")

    def handle(self, *args, action, table, online, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("分区只用于 PostgreSQL：当前数据库是 " + connection.vendor)
        try:
            specs = [partitions.spec_for(t) for t in table] or list(partitions.SPECS)
        except ValueError as e:
            raise CommandError(str(e)) from None
        with request_context(channel="cli"):
            if action == "status":
                self._status(specs)
            elif action == "apply":
                for spec in specs:
                    self._apply(spec, online)
            else:
                done = services.partitions_upkeep(actor=SYSTEM)
                self.stdout.write(f"新建分区：{'、'.join(done['created']) or '无'}")
                for name, rows in done["dropped"]:
                    self.stdout.write(f"已归档并删除 {name}（{rows} 行）")

    def _status(self, specs):
        wanted = {s.table for s in specs}
        for t in partitions.partitions_status():
            if t["table"] not in wanted:
                continue
            how = f"{t['method'].upper()} ({t['key']})" if t["partitioned"] else "未分区"
            rows = sum(n for _, n in t["partitions"])
            self.stdout.write(f"{t['table']}: {how}，{len(t['partitions'])} 个分区，约 {rows} 行")

    def _apply(self, spec, online):
        try:
            done = services.partition_convert(actor=SYSTEM, table=spec.table, online=online)
        except partitions.PartitionError as e:
            raise CommandError(str(e)) from None
        if done.get("skipped"):
            self.stdout.write(f"{spec.table}: 已是分区表")
        else:
            self.stdout.write(
                f"{spec.table}: 已转换，复制 {done['rows']} 行，追平 {done['caught_up']} 行，"
                f"锁表 {done['lock_seconds']:.2f} 秒"
            )
