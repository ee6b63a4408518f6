"""``xinyong records_reconcile --engine duckdb|spark [--data DIR]``: the records of an
export (``xinyong parquet_export``, or one made now) counted per department and catalog
item on a batch engine, against the database's count of the records stored before the
export's data time. Prints the totals and every difference, by department and item name;
fails (non-zero exit) when there is one. Writes nothing; refused with the option named for
an unknown engine, a directory that is not an export of this database, an engine that
cannot start."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinyong.engines.options import (
    BATCH_ENGINE_HELP,
    BATCH_ENGINES,
    add_engine_options,
    run_on_engine,
)


class Command(BaseCommand):
    help = "对账：在批处理引擎上按部门和目录项清点导出的信用记录，与数据库核对"

    def add_arguments(self, parser):
        add_engine_options(parser, engines=BATCH_ENGINES, help=BATCH_ENGINE_HELP)

    def handle(self, *args, engine: str, data: str | None, master: str | None,
               spark_conf: list[str], **opts):  # fmt: skip
        from xinyong.accounts.selectors import department_names
        from xinyong.catalog.selectors import item_names
        from xinyong.engines.services import records_reconcile

        rec = run_on_engine(records_reconcile, engine=engine, data=data, master=master,
                            spark_conf=spark_conf)  # fmt: skip
        until = timezone.localtime(rec.data_time)
        self.stdout.write(
            f"信用记录对账（计算引擎 {rec.engine}，数据截至 {until:%Y-%m-%d %H:%M:%S}）："
            f"部门和目录项 {rec.compared} 个，引擎计数 {rec.total_engine} 条，"
            f"数据库计数 {rec.total_database} 条"
        )
        depts, items = department_names(), item_names()
        for d in rec.differences:
            self.stdout.write(
                f"  不一致：{depts.get(d.provider_id, d.provider_id)}，"
                f"{items.get(d.item_code, d.item_code)}：引擎 {d.engine} 条，"
                f"数据库 {d.database} 条（差 {d.delta:+d}）"
            )
        if not rec.agrees:
            raise CommandError(f"对账不一致：{len(rec.differences)} 个部门和目录项")
        self.stdout.write("一致")
