from django.core.management.base import BaseCommand

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.subjects import selectors, services
from xinyong.subjects.choices import DefectKind


class Command(BaseCommand):
    help = "重错码检查：找出无效代码、一码多名、一名多码，保存结果并列出。"

    def add_arguments(self, parser):
        parser.add_argument("--no-scan", action="store_true", help="不重新检查，只列出上次结果")
        parser.add_argument("--kind", choices=DefectKind.values, help="只列出某一类问题")
        parser.add_argument("--limit", type=int, default=50, help="每类最多列出的条数（默认 50）")

    def handle(self, *args, no_scan, kind, limit, **options):
        if not no_scan:
            with request_context(channel="cli"):
                services.code_defects_scan(actor=SYSTEM)
        summary = selectors.code_defect_summary()
        for value, label in DefectKind.choices:
            if kind and value != kind:
                continue
            self.stdout.write(f"== {label}：{summary['counts'][value]} 项")
            for d in selectors.code_defects(kind=value)[:limit]:
                sources = "；".join(_describe(s) for s in d.sources)
                self.stdout.write(f"  {d.key}: {sources}")


def _describe(source: dict) -> str:
    registrar = "登记机关 " if source["registry"] else ""
    rule = f" {source['error_rule']}" if source["error_rule"] else ""
    return f"{source['code']} {source['name']}（{registrar}{source['department']}{rule}）"
