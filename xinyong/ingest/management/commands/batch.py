"""`xinyong batch retry ID [--queue]`: process a failed or stuck batch again (here, with a
progress bar; ``--queue`` leaves it to the worker). `xinyong batch recover`: queue again the
batches whose worker died, now. `xinyong batch purge`: delete the stored payloads past
``XINYONG_BATCH_PAYLOAD_DAYS``, now (the daily upkeep does both)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.core.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    describe,
)
from xinyong.ingest import recovery, services
from xinyong.ingest.tasks import enqueue_batch


class Command(BaseCommand):
    help = (
        "报送批次运维：retry 重新处理失败或中断的批次；recover 恢复处理进程失联的批次；"
        "purge 删除到期的原始文件"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        retry = sub.add_parser(
            "retry", help="重新处理失败或中断的批次（幂等：已入库的记录不会重复）"
        )
        retry.add_argument("batch_id", type=int)
        retry.add_argument("--queue", action="store_true", help="交给后台处理进程，而不是在此处理")
        sub.add_parser("recover", help="立即把处理进程失联（租约到期）的批次重新排队")
        sub.add_parser("purge", help="立即删除超过保存期限的批次原始文件")

    def handle(self, *args, operation: str, **opts):
        with request_context(channel="cli"):
            getattr(self, f"_{operation}")(**opts)

    def _retry(self, *, batch_id: int, queue: bool, verbosity: int, **_):
        try:
            batch = recovery.batch_retry(
                actor=SYSTEM, batch_id=batch_id, enqueue=enqueue_batch if queue else None
            )
        except ValidationFailed as e:
            raise CommandError(describe(e.errors)) from None
        except Conflict as e:
            raise CommandError(e.error.message) from None
        except (NotFound, PermissionDenied) as e:
            raise CommandError(str(e)) from None
        if queue:
            self.stdout.write(f"批次 {batch.pk} 已重新排队，由后台处理进程处理")
            return
        with tqdm(unit="行", desc=f"批次 {batch.pk}", disable=verbosity < 1) as bar:
            batch = services.batch_process(batch_id=batch.pk, progress=bar.update)
        self.stdout.write(
            f"批次 {batch.pk} {batch.get_status_display()}：共 {batch.total} 行，新增 "
            f"{batch.created}，更新 {batch.updated}，重复 {batch.unchanged}，拒收 {batch.rejected}"
        )
        if batch.status != "done":
            raise CommandError(describe([FieldError(**e) for e in batch.errors]))

    def _recover(self, **_):
        done = recovery.batches_recover(actor=SYSTEM, enqueue=enqueue_batch)
        self.stdout.write(
            f"重新排队 {len(done.queued)} 个批次{_ids(done.queued)}；"
            f"超过重试次数、标记失败 {len(done.failed)} 个{_ids(done.failed)}"
        )

    def _purge(self, **_):
        n = recovery.batch_payloads_purge(actor=SYSTEM)
        days = settings.XINYONG_BATCH_PAYLOAD_DAYS
        if days <= 0:
            self.stdout.write("XINYONG_BATCH_PAYLOAD_DAYS=0：原始文件长期保存，未删除任何文件")
            return
        self.stdout.write(f"已删除 {n} 个批次超过 {days} 天的原始文件")


def _ids(ids: list[int]) -> str:
    return f"（{', '.join(map(str, ids[:20]))}）" if ids else ""
