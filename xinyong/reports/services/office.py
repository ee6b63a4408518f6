"""Downloads from the back office and the API: a report's PDF, and a batch's ZIP (every
PDF, its signed JSON twin and an index). Only the requesting department's staff and
systems and the operator download; the auditor sees the list, not the reports. Reading a
non-public report is one audited act (``report.read``), one event per download."""

import csv
import io
import json
import tempfile
import zipfile

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.core.errors import Conflict
from xinyong.reports import selectors
from xinyong.reports.choices import BatchStatus, ReportKind
from xinyong.reports.models import Report
from xinyong.reports.services.batch import batch_code_of

INDEX_HEADER = ["统一社会信用代码", "名称", "报告编号", "验证码", "文件摘要（SHA-256）"]


def report_pdf_read(*, actor: Actor, report_id: int) -> tuple[Report, bytes]:
    """A report's PDF by its row id, for whoever may have its files
    (:attr:`Action.REPORT_FILE`: the requesting department, the operator for a department's
    report — never a subject's own or special report asked from the portal); audited
    unless public. Another department's report is "not found", the rest refused."""
    report = selectors.report_get(actor=actor, report_id=report_id)
    access.require(
        actor, Action.REPORT_FILE, report,
        message=_("报告文件仅限申请人下载（部门的报告：申请部门和平台运营方）"),
    )  # fmt: skip
    data = selectors.report_pdf(report)
    with transaction.atomic(durable=True):
        selectors.report_read_audit(actor, kind=report.kind, object_type="report",
                                    object_id=report.number, file="pdf",
                                    subject=report.subject_id)  # fmt: skip
    return report, data


def report_batch_zip(*, actor: Actor, batch_id: int):
    """The ZIP of a finished batch, as an open temporary file (rewound): per report its
    PDF and signed JSON twin, and ``index.csv`` (USCC, name, number, verification code,
    digest). One audit event names the batch and its report numbers (not for a batch
    of public reports)."""
    batch = selectors.batch_get(actor=actor, batch_id=batch_id)
    access.require(actor, Action.REPORT_BATCH, batch,
                   message=_("批量报告仅限申请部门和平台运营方下载"))  # fmt: skip
    if batch.status != BatchStatus.DONE:
        raise Conflict("batch", "batch.not_done", _("批量任务尚未完成，完成后才能下载"))
    reports = selectors.batch_reports(batch)
    out = tempfile.TemporaryFile()
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(INDEX_HEADER)
    with zipfile.ZipFile(out, "w") as z:
        for r in reports:
            stem = f"{r.subject.uscc or r.subject_id}_{r.number}"
            z.writestr(stem + ".pdf", selectors.report_pdf(r), compress_type=zipfile.ZIP_STORED)
            envelope = json.dumps(selectors.report_twin_signed(r), ensure_ascii=False, indent=1)
            z.writestr(stem + ".json", envelope, compress_type=zipfile.ZIP_DEFLATED)
            writer.writerow([r.subject.uscc or "", r.subject.name, r.number, batch_code_of(r),
                             r.pdf_sha256])  # fmt: skip
        # With a BOM: Excel opens UTF-8 CSV as such.
        z.writestr("index.csv", "\ufeff" + index.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
    out.seek(0)
    if batch.kind != ReportKind.PUBLIC:
        with transaction.atomic(durable=True):
            selectors.report_read_audit(actor, kind=batch.kind, object_type="report_batch",
                                        object_id=batch.pk, file="zip",
                                        numbers=[r.number for r in reports])  # fmt: skip
    return batch, out
