"""`xinyong exchange_import [DIR]`: import the packages exchange nodes dropped in their
inboxes (or in DIR): each checked whole, its files submitted as batches through the
ingestion pipeline, a receipt written back to the node; a bad package is refused whole
and moved to ``rejected`` with a receipt naming the rule. A package imported before is
skipped. Exits non-zero when a package was refused."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.exchange import nodes
from xinyong.exchange.fileservices import package_import


class Command(BaseCommand):
    help = "接收交换结点放入 inbox 的数据包，校验后经报送流程入库（GB/T 39443-2020 文件接口）"

    def add_arguments(self, parser):
        parser.add_argument(
            "dir", nargs="?", type=Path, help="收件目录；省略时读取每个已启用结点的 inbox"
        )

    def handle(self, *args, dir: Path | None, **opts):
        if dir is not None and not dir.is_dir():
            raise CommandError(f"DIR 不是已存在的目录：{dir}")
        inboxes = [dir] if dir else [nodes.folder(n.code, "inbox") for n in nodes.active_nodes()]
        refused = 0
        with request_context(channel="cli"):
            for inbox in inboxes:
                for package in sorted(p for p in inbox.iterdir() if _is_package(p)):
                    done = package_import(actor=SYSTEM, package=package)
                    refused += done.status == "rejected"
                    self.stdout.write(_line(done))
        if refused:
            raise CommandError(f"拒收 {refused} 个数据包，回执见 rejected 目录")


def _is_package(p: Path) -> bool:
    return p.is_dir() and not p.name.startswith(".")


def _line(done) -> str:
    if done.status == "skipped":
        return f"{done.name}：此前已接收，跳过"
    if done.status == "rejected":
        return f"{done.name}：拒收（{done.rule}）{done.message}"
    parts = "；".join(
        f"{b['file']} 接收 {b['accepted']} 行、拒收 {b['rejected']} 行" for b in done.batches
    )
    return f"{done.name}：已接收，{parts}"
