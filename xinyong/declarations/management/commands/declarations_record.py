"""`xinyong declarations_record`: write the credit records of verified self-declarations
still pending (their ingestion failed when they were verified). Idempotent; the daily
upkeep runs it too."""

from django.core.management.base import BaseCommand

from xinyong.core.context import request_context
from xinyong.declarations.services import declarations_record_pending


class Command(BaseCommand):
    help = "自主申报入档补写：把已核实但尚未写入信用档案的自主申报写入（可重复执行）"

    def handle(self, *args, **opts):
        with request_context(channel="cli"):
            written, pending = declarations_record_pending()
        self.stdout.write(f"已入档 {written}，仍待入档 {pending}")
        if pending:
            self.stderr.write("仍有自主申报未能入档：原因见后台自主申报页面")
