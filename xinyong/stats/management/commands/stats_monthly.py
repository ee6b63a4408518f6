"""`xinyong stats_monthly [--month YYYY-MM] [--out DIR]`: generate a month's effectiveness
report (跟踪问效月报; default last month) as the platform — what the daily upkeep does —
and optionally write its PDF and XLSX (every department) to a directory. A month already
generated is left as it is (the stored figures are the report)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.core.errors import ValidationFailed
from xinyong.stats import monthly, scorecards
from xinyong.stats.services import monthly_report_generate


class Command(BaseCommand):
    help = "生成跟踪问效月报（默认上月）"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--out", type=Path, help="write the PDF and the XLSX here")

    def handle(self, *args, month=None, out=None, **options):
        month = month or scorecards.label(scorecards.last_month(timezone.localdate()))
        with request_context(channel="cli"):
            try:
                report, made = monthly_report_generate(actor=SYSTEM, month=month)
            except ValidationFailed as e:
                raise CommandError("; ".join(f"{x.field}: {x.message} ({x.rule})"
                                             for x in e.errors)) from None  # fmt: skip
        said = "generated" if made else "already generated"
        self.stdout.write(f"{report.month}: {said} at {report.generated_at:%Y-%m-%d %H:%M}, "
                          f"{len(report.figures['departments'])} departments, "
                          f"sha256 {report.digest}")  # fmt: skip
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for kind in ("pdf", "xlsx"):
                data, _type, name = monthly.download(actor=SYSTEM, month=report.month, kind=kind)
                (out / name).write_bytes(data)
                self.stdout.write(f"wrote {out / name} ({len(data)} bytes)")
