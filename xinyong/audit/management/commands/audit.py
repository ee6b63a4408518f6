from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit import keys
from xinyong.audit.selectors import ChainBroken, audit_chain_verify, audit_checkpoint_write
from xinyong.core.context import request_context


class Command(BaseCommand):
    help = (
        "审计链操作。verify：逐条校验哈希链并对照签名检查点，指出被修改、插入、删除、截断或"
        "重新计算哈希的位置；checkpoint：校验自上一检查点以来的事件后签名记录当前链头；"
        "public-key：检查点验签公钥；new-signing-key：生成新的签名私钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "operation",
            choices=["verify", "checkpoint", "public-key", "new-signing-key"],
            help="verify | checkpoint | public-key | new-signing-key",
        )
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="检查点文件（默认 XINYONG_AUDIT_CHECKPOINT_FILE），如上级平台保存的副本",
        )

    def handle(self, *args, operation, checkpoints, **options):
        if operation == "public-key":
            self.stdout.write(keys.public_key_b64())
            return
        if operation == "new-signing-key":
            self.stdout.write(keys.new_signing_key())
            return
        if operation == "checkpoint":
            with request_context(channel="cli"):
                try:
                    cp = audit_checkpoint_write(path=checkpoints)
                except ChainBroken as e:
                    for b in e.breaks:
                        self.stderr.write(f"#{b.seq} [{b.rule}] {b.message}")
                    raise CommandError(f"未签名检查点：{e}") from None
            self.stdout.write(
                self.style.SUCCESS(f"检查点已签名：事件 #{cp.seq}，共 {cp.count} 个事件，{cp.at}")
            )
            return
        result = audit_chain_verify(checkpoints_path=checkpoints)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计链完整：已校验 {result.checked} 个事件，"
                    f"对照 {result.checkpoints} 个签名检查点"
                )
            )
            return
        for b in result.breaks:
            self.stderr.write(f"#{b.seq} [{b.rule}] {b.message}")
        raise CommandError(
            f"审计链断开：{len(result.breaks)} 处，第一处在事件 #{result.breaks[0].seq}"
        )
