"""`xinyong exchange_export --feed F [--node CODE] [--after SEQ] [--to DIR]`: write the
package of a feed's entries not yet sent to an exchange node (GB/T 39443-2020's file
interface) into its outbox. From the node's cursor by default (the cursor then moves:
the next run starts where this one ended); ``--after`` re-sends from a seq and leaves the
cursor alone. The daily upkeep does the same for every node's configured feeds."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.exchange import nodes
from xinyong.exchange.choices import Feed
from xinyong.exchange.fileservices import package_export


class Command(BaseCommand):
    help = "按国家交换规范（GB/T 39443-2020 文件接口）为交换结点导出数据包"

    def add_arguments(self, parser):
        parser.add_argument("--feed", required=True, choices=Feed.values, help="数据类别")
        parser.add_argument("--node", help="交换结点编码；只登记了一个结点时可省略")
        parser.add_argument("--after", type=int, help="从该序号之后重发（不移动导出进度）")
        parser.add_argument("--to", type=Path, help="写入该目录，而不是结点的 outbox")

    def handle(self, *args, feed: str, node: str | None, after, to, **opts):
        if after is not None and after < 0:
            raise CommandError(f"--after 应为不小于 0 的序号，而不是 {after}")
        if to is not None and not to.is_dir():
            raise CommandError(f"--to 不是已存在的目录：{to}")
        target = _node(node)
        with request_context(channel="cli"):
            done = package_export(actor=SYSTEM, node=target, feed=feed, after=after, to=to)
        if done is None:
            self.stdout.write(f"{Feed(feed).label}：没有新的变动，未生成数据包")
            return
        self.stdout.write(
            f"已生成数据包 {done.path}：{done.count} 条，序号 {done.after + 1}–{done.upto}"
        )


def _node(code: str | None):
    if code:
        found = nodes.node_named(code)
        if found is None:
            raise CommandError(f"--node：没有启用的交换结点 {code}")
        return found
    active = nodes.active_nodes()
    if len(active) != 1:
        raise CommandError(f"--node：请指定交换结点（已启用 {len(active)} 个）")
    return active[0]
