"""`xinyong ingest_file FILE --item CODE --provider CODE`: load a bulk CSV/XLSX file through
the same pipeline as the API and uploads, with a progress bar, and print the batch report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed, describe
from xinyong.ingest import parsers, services
from xinyong.records.choices import Channel


class Command(BaseCommand):
    help = "批量导入信用信息文件（CSV：UTF-8 或 GBK；XLSX），逐行校验、匹配主体并入库"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--item", required=True, help="目录项编码，如 administrative_penalty")
        parser.add_argument("--provider", required=True, help="报送部门编码，如 SCJG")

    def handle(self, *args, file: Path, item: str, provider: str, **opts):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            file_format = parsers.format_of(file.name)
            with request_context(channel="cli"):
                batch = services.batch_submit(
                    actor=SYSTEM,
                    item_code=item,
                    channel=Channel.CLI,
                    file_format=file_format,
                    payload=file,
                    file_name=file.name,
                    provider_code=provider,
                )
                with tqdm(unit="行", desc=f"批次 {batch.pk}", disable=opts["verbosity"] < 1) as bar:
                    batch = services.batch_process(batch_id=batch.pk, progress=bar.update)
        except (ValidationFailed, parsers.Unreadable) as e:
            raise CommandError(describe(e.errors)) from None
        except (NotFound, PermissionDenied) as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"批次 {batch.pk} {batch.get_status_display()}：共 {batch.total} 行，"
            f"新增 {batch.created}，"
            f"更新 {batch.updated}，重复 {batch.unchanged}，撤销 {batch.withdrawn}，"
            f"拒收 {batch.rejected}，新建主体 {batch.subjects_created}"
        )
        if batch.status != "done":
            reasons = describe([FieldError(**e) for e in batch.errors or []])
            raise CommandError(f"批次 {batch.pk} 未入库任何记录：\n{reasons}")
