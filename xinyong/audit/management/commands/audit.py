from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "审计链操作。xinyong audit verify：逐条校验哈希链，指出被修改、插入或删除的位置。"

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["verify"], help="verify: 校验审计链")

    def handle(self, *args, operation, **options):
        result = audit_chain_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {result.checked} 个事件"))
            return
        for b in result.breaks:
            self.stderr.write(f"#{b.seq} [{b.rule}] {b.message}")
        raise CommandError(
            f"审计链断开：{len(result.breaks)} 处，第一处在事件 #{result.breaks[0].seq}"
        )
